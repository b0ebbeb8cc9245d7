"""One address policy for every outgoing request: the rule, each redirect hop, the address
actually connected to, polling and ``explain URL``."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from monitor import netguard, pipeline
from monitor.clock import FakeClock
from monitor.errors import FetchError
from monitor.fetch import fetch_feed
from tests.feedserver import FeedServer
from tests.helpers import BREACH_ITEM, rss, write_watchlist

REFUSED = [
    "127.0.0.1",
    "127.1.2.3",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "100.64.0.1",  # carrier-grade NAT
    "100.127.255.254",
    "169.254.169.254",  # link-local (cloud metadata)
    "192.0.2.1",  # documentation
    "198.18.0.1",  # benchmarking
    "240.0.0.1",  # reserved
    "::1",
    "fe80::1",
    "fc00::1",
    "fec0::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::127.0.0.1",  # IPv4-compatible
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo of 127.0.0.1
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
]
NEVER = ["0.0.0.0", "::", "224.0.0.1", "255.255.255.255", "ff02::1"]
ALLOWED = ["8.8.8.8", "1.1.1.1", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]


@pytest.mark.parametrize("address", REFUSED)
def test_private_and_local_addresses_are_refused_unless_allowed(address: str) -> None:
    assert netguard.refusal(address) is not None
    assert netguard.refusal(address, allow_private=True) is None


@pytest.mark.parametrize("address", NEVER)
def test_addresses_no_request_can_go_to_are_always_refused(address: str) -> None:
    assert netguard.refusal(address, allow_private=True) is not None


@pytest.mark.parametrize("address", ALLOWED)
def test_global_addresses_are_allowed(address: str) -> None:
    assert netguard.refusal(address) is None


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.2:{port}/x",
        "http://[::1]:{port}/x",
        "http://0.0.0.0:{port}/x",
        "http://100.64.0.1:{port}/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://2130706434:{port}/x",  # 127.0.0.2 in decimal
        "http://[::ffff:127.0.0.2]:{port}/x",
    ],
)
def test_every_redirect_hop_is_checked(feed_server: FeedServer, target: str) -> None:
    port = feed_server.url("/").rsplit(":", 1)[1].split("/")[0]
    feed_server.add("/start.xml", status=302, redirect_to=target.format(port=port))
    # The server's own address is allowed explicitly, as a user might allow one host.
    with netguard.guarded_client(
        allow_addresses=["127.0.0.1"], follow_redirects=True, timeout=5
    ) as client:
        with pytest.raises(FetchError, match="refused"):
            fetch_feed(client, feed_server.url("/start.xml"))
    assert [r.path for r in feed_server.requests] == ["/start.xml"]


def test_a_name_is_resolved_once_and_the_checked_address_connected_to(
    feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed_server.add("/f.xml", rss([BREACH_ITEM]))
    port = int(feed_server.url("/").rsplit(":", 1)[1].split("/")[0])
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        asked.append(str(host))
        if host == "feeds.test":  # the internet's DNS, mocked: an allowed first answer...
            answer = "127.0.0.1" if asked.count("feeds.test") == 1 else "10.0.0.1"
            return real(answer, *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with netguard.guarded_client(allow_addresses=["127.0.0.1"], timeout=5) as client:
        result = fetch_feed(client, f"http://feeds.test:{port}/f.xml")
    assert result.status == 200 and result.content
    assert asked.count("feeds.test") == 1  # ...and no second look-up to be rebound
    [request] = feed_server.requests_for("/f.xml")
    assert request.headers["host"] == f"feeds.test:{port}"  # the name stays in Host


def test_polling_a_local_feed_is_refused_unless_allowed(
    feed_server: FeedServer,
    clock: FakeClock,
    tmp_path: Path,
    open_monitor: Callable[..., Any],
) -> None:
    feed_server.add("/f.xml", rss([BREACH_ITEM]))
    path = write_watchlist(
        tmp_path, {"F": feed_server.url("/f.xml")}, polling={"allow_private_addresses": False}
    )
    m: pipeline.Monitor = open_monitor(path, clock)
    report = pipeline.poll(m)
    assert "refused" in report.errors["F"] and "allow_private_addresses" in report.errors["F"]
    assert feed_server.requests == []  # refused before connecting
    [feed] = m.store.feeds()
    assert feed.error_count == 1 and "refused" in (feed.last_error or "")


def test_explain_url_refuses_a_redirect_to_a_local_address(feed_server: FeedServer) -> None:
    from monitor.pages import fetch_page

    port = feed_server.url("/").rsplit(":", 1)[1].split("/")[0]
    feed_server.add("/a.html", status=302, redirect_to=f"http://100.64.0.1:{port}/")
    with pytest.raises(FetchError, match="refused"):
        fetch_page(feed_server.url("/a.html"))
    assert feed_server.requests == []


def test_guarded_transport_serves_a_client_of_ones_own(feed_server: FeedServer) -> None:
    feed_server.add("/hook", b"ok", content_type="text/plain")
    with httpx.Client(transport=netguard.guarded_transport()) as client:
        with pytest.raises(httpx.ConnectError, match="refused"):
            client.post(feed_server.url("/hook"), content=b"{}")
    with httpx.Client(transport=netguard.guarded_transport(allow_private=True)) as client:
        assert client.get(feed_server.url("/hook")).text == "ok"


def test_a_hanging_dns_look_up_fails_that_feed_not_the_poll(
    feed_server: FeedServer,
    clock: FakeClock,
    tmp_path: Path,
    open_monitor: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``getaddrinfo`` has no timeout of its own: a resolver that never answers must cost
    one feed its connect timeout, not hold the whole poll (the other feed is stored)."""
    feed_server.add("/f.xml", rss([BREACH_ITEM]))
    port = int(feed_server.url("/").rsplit(":", 1)[1].split("/")[0])
    real = socket.getaddrinfo
    release = threading.Event()

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "hangs.test":  # the internet's DNS, mocked: a resolver that never answers
            if not release.wait(30):
                raise OSError("the mocked resolver gave up after 30 s")
            raise OSError("released")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    path = write_watchlist(
        tmp_path,
        {"Hangs": f"http://hangs.test:{port}/f.xml", "Good": feed_server.url("/f.xml")},
        polling={"allow_private_addresses": True, "connect_timeout_seconds": 1},
    )
    m: pipeline.Monitor = open_monitor(path, clock)
    try:
        report = pipeline.poll(m)
    finally:
        release.set()
    assert "DNS look-up of hangs.test took longer than 1 s" in report.errors["Hangs"]
    assert "Good" not in report.errors and report.new_articles == 1


def test_resolve_passes_on_the_resolvers_own_error() -> None:
    with pytest.raises(OSError):
        netguard.resolve("no-such-host.invalid", 80, timeout=5)
    assert netguard.resolve("127.0.0.1", 80, timeout=5) == ["127.0.0.1"]


def test_an_address_is_read_in_place_and_a_name_looked_up_in_a_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    looked_up: list[str] = []
    real = netguard._lookup

    def lookup(host: str, port: int, timeout: float) -> list[Any]:
        looked_up.append(host)
        return real(host, port, timeout)

    monkeypatch.setattr(netguard, "_lookup", lookup)
    assert netguard.resolve("127.0.0.1", 80, timeout=5) == ["127.0.0.1"]
    assert looked_up == []  # an address: no resolver, no thread
    assert "127.0.0.1" in netguard.resolve("localhost", 80, timeout=5)
    assert looked_up == ["localhost"]
