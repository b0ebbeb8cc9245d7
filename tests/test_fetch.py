"""fetch: conditional GET, limits, errors and concurrency, against a real local server."""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from monitor.errors import FeedGoneError, FetchError
from monitor.fetch import (
    USER_AGENT,
    FetchRequest,
    fetch_feed,
    fetch_many,
    make_client,
    next_poll_after,
    parse_retry_after,
)
from monitor.models import FetchResult
from tests.feedserver import FeedServer, closed_port_url

FEEDS = Path(__file__).parent / "data" / "feeds"
RSS = (FEEDS / "rss2.xml").read_bytes()
LAST_MODIFIED = "Mon, 20 Oct 2025 08:30:00 GMT"


def _local() -> httpx.Client:
    """A feed client that may reach the test server on 127.0.0.1."""
    return make_client(allow_private=True)


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with make_client(connect_timeout=2.0, read_timeout=2.0, allow_private=True) as c:
        yield c


# -- success and conditional GET -------------------------------------------------


def test_200_returns_bytes_headers_and_validators(
    feed_server: FeedServer, client: httpx.Client
) -> None:
    feed_server.add_file(
        "/rss.xml",
        FEEDS / "rss2.xml",
        etag='"v1"',
        last_modified=LAST_MODIFIED,
        headers={"X-Extra": "yes"},
    )
    result = fetch_feed(client, feed_server.url("/rss.xml"))
    assert result.status == 200
    assert result.content == RSS
    assert not result.not_modified
    assert result.etag == '"v1"'
    assert result.last_modified == LAST_MODIFIED
    assert result.url == feed_server.url("/rss.xml")
    assert result.headers["content-type"] == "application/xml"
    assert result.headers["x-extra"] == "yes"  # names are lower-cased
    (req,) = feed_server.requests
    assert req.headers["user-agent"] == USER_AGENT
    assert "application/rss+xml" in req.headers["accept"]
    assert "if-none-match" not in req.headers and "if-modified-since" not in req.headers


def test_304_with_etag(feed_server: FeedServer, client: httpx.Client) -> None:
    feed_server.add("/a.xml", RSS, etag='"v1"')
    result = fetch_feed(client, feed_server.url("/a.xml"), etag='"v1"', last_modified=LAST_MODIFIED)
    assert result.status == 304 and result.not_modified
    assert result.content is None
    assert result.etag == '"v1"'
    assert result.last_modified == LAST_MODIFIED  # kept from the request
    (req,) = feed_server.requests
    assert req.headers["if-none-match"] == '"v1"'
    assert req.headers["if-modified-since"] == LAST_MODIFIED


def test_changed_etag_gets_the_new_body(feed_server: FeedServer, client: httpx.Client) -> None:
    feed_server.add("/a.xml", RSS, etag='"v2"')
    result = fetch_feed(client, feed_server.url("/a.xml"), etag='"v1"')
    assert result.status == 200 and result.content == RSS and result.etag == '"v2"'


def test_304_with_last_modified(feed_server: FeedServer, client: httpx.Client) -> None:
    feed_server.add("/b.xml", RSS, last_modified=LAST_MODIFIED)
    result = fetch_feed(client, feed_server.url("/b.xml"), last_modified=LAST_MODIFIED)
    assert result.not_modified and result.content is None
    assert result.last_modified == LAST_MODIFIED
    (req,) = feed_server.requests
    assert req.headers["if-modified-since"] == LAST_MODIFIED
    assert "if-none-match" not in req.headers


def test_gzip_body_is_decoded(feed_server: FeedServer, client: httpx.Client) -> None:
    feed_server.add("/gz.xml", RSS, gzip=True)
    result = fetch_feed(client, feed_server.url("/gz.xml"))
    assert result.content == RSS
    assert "gzip" in feed_server.requests[0].headers["accept-encoding"]


def test_raw_deflate_body_is_decoded(feed_server: FeedServer, client: httpx.Client) -> None:
    z = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    raw = z.compress(RSS) + z.flush()
    feed_server.add("/deflate.xml", raw, headers={"Content-Encoding": "deflate"})
    assert fetch_feed(client, feed_server.url("/deflate.xml")).content == RSS


def test_redirect_is_followed_and_final_url_returned(
    feed_server: FeedServer, client: httpx.Client
) -> None:
    feed_server.add("/old.xml", redirect_to="/new.xml", status=301)
    feed_server.add("/new.xml", RSS)
    result = fetch_feed(client, feed_server.url("/old.xml"))
    assert result.url == feed_server.url("/new.xml")
    assert result.content == RSS


# -- HTTP errors -----------------------------------------------------------------


def test_404_is_fetch_error(feed_server: FeedServer, client: httpx.Client) -> None:
    with pytest.raises(FetchError) as info:
        fetch_feed(client, feed_server.url("/missing.xml"))
    assert info.value.status == 404
    assert not isinstance(info.value, FeedGoneError)
    assert info.value.retry_after_seconds is None


def test_410_is_feed_gone(feed_server: FeedServer, client: httpx.Client) -> None:
    feed_server.add("/gone.xml", b"gone", status=410)
    with pytest.raises(FeedGoneError) as info:
        fetch_feed(client, feed_server.url("/gone.xml"))
    assert info.value.status == 410


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds(feed_server: FeedServer, client: httpx.Client, status: int) -> None:
    feed_server.add("/busy.xml", b"busy", status=status, headers={"Retry-After": "120"})
    with pytest.raises(FetchError) as info:
        fetch_feed(client, feed_server.url("/busy.xml"))
    assert info.value.status == status
    assert info.value.retry_after_seconds == 120.0


def test_retry_after_http_date(feed_server: FeedServer, client: httpx.Client) -> None:
    date = datetime(2025, 10, 28, 9, 0, tzinfo=UTC)
    feed_server.add(
        "/busy.xml",
        b"busy",
        status=503,
        headers={
            "Date": format_datetime(date, usegmt=True),
            "Retry-After": format_datetime(date + timedelta(minutes=5), usegmt=True),
        },
    )
    with pytest.raises(FetchError) as info:
        fetch_feed(client, feed_server.url("/busy.xml"))
    assert info.value.retry_after_seconds == 300.0


def test_500_is_fetch_error_without_retry_after(
    feed_server: FeedServer, client: httpx.Client
) -> None:
    feed_server.add("/err.xml", b"oops", status=500, headers={"Retry-After": "60"})
    with pytest.raises(FetchError) as info:
        fetch_feed(client, feed_server.url("/err.xml"))
    assert info.value.status == 500
    assert info.value.retry_after_seconds is None
    assert "500" in str(info.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0.0),
        ("3600", 3600.0),
        ("Tue, 28 Oct 2025 09:10:00 GMT", 600.0),
        ("Tue, 28 Oct 2025 08:00:00 GMT", 0.0),  # in the past
        ("soon", None),
        ("", None),
        (None, None),
        ("-5", None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, datetime(2025, 10, 28, 9, 0, tzinfo=UTC)) == expected


# -- network errors ------------------------------------------------------------------


def test_connection_refused(client: httpx.Client) -> None:
    url = closed_port_url("/feed.xml")
    with pytest.raises(FetchError) as info:
        fetch_feed(client, url)
    assert info.value.url == url
    assert info.value.status is None
    assert info.value.cause.startswith("cannot connect")
    assert isinstance(info.value.__cause__, httpx.ConnectError)


def test_redirect_loop(feed_server: FeedServer, client: httpx.Client) -> None:
    feed_server.add("/a", redirect_to="/b")
    feed_server.add("/b", redirect_to="/a")
    with pytest.raises(FetchError) as info:
        fetch_feed(client, feed_server.url("/a"))
    assert info.value.cause == "too many redirects"
    assert len(feed_server.requests) == 6  # the first request and 5 redirects


def test_redirect_to_another_scheme(feed_server: FeedServer, client: httpx.Client) -> None:
    feed_server.add("/a", redirect_to="file:///etc/passwd")
    with pytest.raises(FetchError, match="unsupported URL"):
        fetch_feed(client, feed_server.url("/a"))


def test_invalid_url(client: httpx.Client) -> None:
    with pytest.raises(FetchError):
        fetch_feed(client, "http://exa mple.com:99999/feed")


def test_slow_headers_time_out(feed_server: FeedServer) -> None:
    feed_server.add("/slow.xml", RSS, delay=3.0)
    with make_client(read_timeout=0.3, allow_private=True) as client:
        started = time.monotonic()
        with pytest.raises(FetchError, match="timed out"):
            fetch_feed(client, feed_server.url("/slow.xml"))
    assert time.monotonic() - started < 2.0


# -- limits ------------------------------------------------------------------------


def test_body_over_the_cap(feed_server: FeedServer, client: httpx.Client) -> None:
    feed_server.add("/big.xml", b"x" * 200_000)
    with pytest.raises(FetchError, match="larger than 100000 bytes") as info:
        fetch_feed(client, feed_server.url("/big.xml"), max_bytes=100_000)
    assert info.value.status == 200
    assert fetch_feed(client, feed_server.url("/big.xml"), max_bytes=200_000).content


def test_gzip_bomb_is_cut_at_the_decoded_cap(feed_server: FeedServer, client: httpx.Client) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    feed_server.add("/bomb.xml", bomb, headers={"Content-Encoding": "gzip"})
    started = time.monotonic()
    with pytest.raises(FetchError, match="larger than 1000000 bytes"):
        fetch_feed(client, feed_server.url("/bomb.xml"), max_bytes=1_000_000)
    assert time.monotonic() - started < 2.0


def test_corrupt_gzip(feed_server: FeedServer, client: httpx.Client) -> None:
    feed_server.add(
        "/bad.xml", b"\x1f\x8b\x08\x00garbage-garbage", headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(FetchError, match="bad gzip data"):
        fetch_feed(client, feed_server.url("/bad.xml"))


@pytest.mark.parametrize("coding", ["gzip", "deflate"])
def test_truncated_compressed_body_is_an_error(
    feed_server: FeedServer, client: httpx.Client, coding: str
) -> None:
    whole = gzip.compress(RSS) if coding == "gzip" else zlib.compress(RSS)
    feed_server.add("/cut.xml", whole[: len(whole) // 2], headers={"Content-Encoding": coding})
    with pytest.raises(FetchError, match=f"truncated {coding} data"):
        fetch_feed(client, feed_server.url("/cut.xml"))
    # Whole, and empty, bodies are fine.
    feed_server.add("/whole.xml", whole, headers={"Content-Encoding": coding})
    assert fetch_feed(client, feed_server.url("/whole.xml")).content == RSS
    feed_server.add("/empty.xml", b"", headers={"Content-Encoding": coding})
    assert fetch_feed(client, feed_server.url("/empty.xml")).content == b""


def test_unsupported_content_encoding(feed_server: FeedServer, client: httpx.Client) -> None:
    feed_server.add("/br.xml", b"????", headers={"Content-Encoding": "br"})
    with pytest.raises(FetchError, match="unsupported content-encoding"):
        fetch_feed(client, feed_server.url("/br.xml"))


def test_dripping_body_is_cut_at_the_deadline(
    feed_server: FeedServer, client: httpx.Client
) -> None:
    # 2000 bytes, 10 bytes every 20 ms: 4 s in all, and no single read ever times out.
    feed_server.add("/drip.xml", b"y" * 2000, drip_interval=0.02, drip_chunk=10)
    started = time.monotonic()
    with pytest.raises(FetchError, match="deadline"):
        fetch_feed(client, feed_server.url("/drip.xml"), deadline_seconds=0.5)
    assert time.monotonic() - started < 1.5


def test_stalled_server_is_cut_at_the_deadline(feed_server: FeedServer) -> None:
    feed_server.add("/stall.xml", RSS, delay=5.0)
    with make_client(read_timeout=20.0, allow_private=True) as client:
        started = time.monotonic()
        with pytest.raises(FetchError, match="timed out"):
            fetch_feed(client, feed_server.url("/stall.xml"), deadline_seconds=0.4)
    assert time.monotonic() - started < 1.5


# -- many feeds ----------------------------------------------------------------------


def _requests(srv: FeedServer, paths: list[str]) -> list[FetchRequest]:
    return [
        FetchRequest(feed_id=i, url=srv.url(p), etag=None, last_modified=None)
        for i, p in enumerate(paths)
    ]


def test_fetch_many_yields_fast_feeds_before_a_slow_one(feed_server: FeedServer) -> None:
    feed_server.add("/slow.xml", RSS, delay=0.5)
    for i in range(4):
        feed_server.add(f"/fast{i}.xml", RSS)
    requests = _requests(feed_server, ["/slow.xml"] + [f"/fast{i}.xml" for i in range(4)])
    order = [
        req.url.rsplit("/", 1)[1]
        for req, _ in fetch_many(requests, per_host=8, client_factory=_local)
    ]
    assert order[-1] == "slow.xml"
    assert sorted(order[:-1]) == [f"fast{i}.xml" for i in range(4)]


def test_fetch_many_one_error_does_not_stop_the_others(feed_server: FeedServer) -> None:
    feed_server.add("/ok.xml", RSS, etag='"e"')
    feed_server.add("/gone.xml", b"", status=410)
    requests = [
        *_requests(feed_server, ["/ok.xml", "/gone.xml", "/missing.xml"]),
        FetchRequest(feed_id=9, url=closed_port_url(), etag=None, last_modified=None),
        FetchRequest(feed_id=10, url=feed_server.url("/ok.xml"), etag='"e"', last_modified=None),
    ]
    outcomes = {
        req.feed_id: out for req, out in fetch_many(requests, max_workers=3, client_factory=_local)
    }
    assert set(outcomes) == {0, 1, 2, 9, 10}
    assert isinstance(outcomes[0], FetchResult) and outcomes[0].content == RSS
    assert isinstance(outcomes[1], FeedGoneError)
    assert isinstance(outcomes[2], FetchError) and outcomes[2].status == 404
    assert isinstance(outcomes[9], FetchError) and outcomes[9].status is None
    assert isinstance(outcomes[10], FetchResult) and outcomes[10].not_modified


def test_fetch_many_respects_the_per_host_bound(feed_server: FeedServer) -> None:
    for i in range(6):
        feed_server.add(f"/f{i}.xml", RSS, delay=0.15)
    requests = _requests(feed_server, [f"/f{i}.xml" for i in range(6)])
    results = list(fetch_many(requests, max_workers=8, per_host=2, client_factory=_local))
    assert len(results) == 6
    assert all(isinstance(out, FetchResult) for _, out in results)
    assert feed_server.max_in_flight == 2


def test_fetch_many_passes_fetch_kwargs(feed_server: FeedServer) -> None:
    feed_server.add("/big.xml", b"z" * 5000)
    ((_, out),) = fetch_many(
        _requests(feed_server, ["/big.xml"]), max_bytes=100, client_factory=_local
    )
    assert isinstance(out, FetchError) and "larger than 100 bytes" in out.cause


def test_fetch_many_lets_programming_errors_out(feed_server: FeedServer) -> None:
    feed_server.add("/a.xml", RSS)
    with pytest.raises(TypeError):
        list(
            fetch_many(_requests(feed_server, ["/a.xml"]), no_such_option=1, client_factory=_local)
        )


# -- backoff --------------------------------------------------------------------------

NOW = datetime(2025, 10, 28, 9, 0, tzinfo=UTC)
HOUR = 3600
DAY = 24 * HOUR


@pytest.mark.parametrize(
    ("interval", "errors", "retry_after", "expected_seconds"),
    [
        (900, 0, None, 900),  # success: the interval
        (900, 1, None, 1800),
        (900, 2, None, 3600),
        (900, 3, None, 7200),
        (900, 6, None, 57600),
        (900, 7, None, DAY),  # 115200 capped at a day
        (900, 1000, None, DAY),  # no overflow
        (900, 1, 7200, 7200),  # Retry-After longer than the backoff wins
        (900, 3, 60, 7200),  # ...but never shortens it
        (900, 1, 5 * DAY, DAY),  # and is capped too
        (2 * DAY, 0, None, 2 * DAY),  # a long interval is not shortened
        (2 * DAY, 3, None, 2 * DAY),
        (900, -1, None, 900),
    ],
)
def test_next_poll_after(
    interval: int, errors: int, retry_after: float | None, expected_seconds: int
) -> None:
    got = next_poll_after(NOW, interval, errors, retry_after)
    assert got == NOW + timedelta(seconds=expected_seconds)
    assert got.tzinfo is not None


def test_fetch_many_uses_one_client_per_host_and_closes_each(feed_server: FeedServer) -> None:
    # httpx's pool scans all of a client's connections for every request: one client per
    # host keeps that scan short in a wide cycle (and a host's connections go with it)
    for i in range(3):
        feed_server.add(f"/h{i}.xml", RSS)
    urls = [feed_server.url(f"/h{i}.xml") for i in range(3)]
    other = urls[0].replace("127.0.0.1", "localhost")  # the same server, another host name
    requests = [
        FetchRequest(feed_id=i, url=url, etag=None, last_modified=None)
        for i, url in enumerate([*urls, other])
    ]
    made: list[httpx.Client] = []

    def factory() -> httpx.Client:
        made.append(_local())
        return made[-1]

    results = list(fetch_many(requests, max_workers=4, per_host=2, client_factory=factory))
    assert len(results) == 4 and all(isinstance(out, FetchResult) for _, out in results)
    assert len(made) == 2
    assert all(c.is_closed for c in made)


# -- per-request costs -------------------------------------------------------------


def test_cookies_are_read_only_from_answers_that_set_them(
    feed_server: FeedServer, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[object] = []
    original = httpx.Cookies._CookieCompatRequest

    class Counted(original):  # type: ignore[misc, valid-type]
        def __init__(self, request: httpx.Request) -> None:
            built.append(request)
            super().__init__(request)

    monkeypatch.setattr(httpx.Cookies, "_CookieCompatRequest", Counted)
    feed_server.add("/plain.xml", RSS)
    fetch_feed(client, feed_server.url("/plain.xml"))
    assert built == []  # no Set-Cookie: urllib's request and response are not built
    feed_server.add("/sets.xml", RSS, headers={"Set-Cookie": "session=abc; Path=/"})
    fetch_feed(client, feed_server.url("/sets.xml"))
    assert built  # a cookie set is kept...
    fetch_feed(client, feed_server.url("/plain.xml"))
    assert feed_server.requests_for("/plain.xml")[-1].headers.get("cookie") == "session=abc"


def test_a_304_leaves_its_connection_for_the_next_feed_of_the_host(
    feed_server: FeedServer, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor import netguard

    connects: list[str] = []
    original = netguard.GuardedBackend.connect_tcp

    def counted(self: netguard.GuardedBackend, host: str, *args: Any, **kwargs: Any) -> Any:
        connects.append(host)
        return original(self, host, *args, **kwargs)

    monkeypatch.setattr(netguard.GuardedBackend, "connect_tcp", counted)
    feed_server.add("/a.xml", RSS, etag='"a"')
    feed_server.add("/b.xml", RSS, etag='"b"')
    for path, etag in (("/a.xml", '"a"'), ("/b.xml", '"b"'), ("/a.xml", '"a"')):
        assert fetch_feed(client, feed_server.url(path), etag=etag).not_modified
    assert len(connects) == 1


def test_fetch_threads_start_as_fetches_need_them() -> None:
    """A thread starts only when no started one is idle, up to the bound: one at a time
    makes one thread; five at once with room for three make three, and all five run."""
    import threading

    from monitor.fetch import _DaemonThreads

    def idle() -> None:  # the thread that ran the last job is waiting for the next
        deadline = time.monotonic() + 10
        while pool._idle < 1 and time.monotonic() < deadline:
            time.sleep(0.001)

    pool = _DaemonThreads(3, "t")
    for i in range(4):
        assert pool.submit(lambda i=i: i * 2).result(timeout=10) == i * 2
        idle()
    assert len(pool._threads) == 1
    gate = threading.Event()
    futures = [pool.submit(lambda i=i: gate.wait(10) and i) for i in range(5)]
    assert len(pool._threads) == 3
    gate.set()
    assert [f.result(timeout=10) for f in futures] == [0, 1, 2, 3, 4]
    pool.shutdown(wait_for_threads=True)
    assert not any(t.is_alive() for t in pool._threads)
