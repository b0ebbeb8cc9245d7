"""Feed faults through the real poll path (issue 4, item 1).

Each fault is served next to a healthy feed, through ``pipeline.poll`` into a real
SQLite store.  For every fault: the poll ends within its time bound and raises
nothing, the healthy feed is stored as usual, and the faulty feed's row shows what
happened.  A failing feed backs off more after each failure and is back to its normal
interval after a success; a feed whose content is odd but readable is stored.
"""

from __future__ import annotations

import functools
import gzip
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from monitor import pipeline
from monitor.cli import main
from monitor.clock import FakeClock
from monitor.config import load_config
from monitor.db import ArticleRow, make_engine, upgrade
from monitor.models import Feed
from monitor.store import Store
from tests.feedserver import FeedServer, closed_port_url
from tests.helpers import rss, write_watchlist

DEADLINE = 1.0
POLLING = {
    "interval_minutes": 1,
    "max_concurrency": 8,
    "per_host": 8,
    "connect_timeout_seconds": 0.5,
    "read_timeout_seconds": 0.5,
    "deadline_seconds": DEADLINE,
    "max_bytes": 20_000,
}
INTERVAL = timedelta(minutes=1)
BOUND = 3 * DEADLINE  # seconds one poll may take, generously

HEALTHY = rss(
    [
        {
            "guid": "h-1",
            "link": "https://healthy.example/1",
            "title": "Healthy one",
            "description": "First healthy item.",
        },
        {
            "guid": "h-2",
            "link": "https://healthy.example/2",
            "title": "Healthy two",
            "description": "Second healthy item.",
        },
    ],
    title="Healthy",
)

GOOD = rss(
    [
        {
            "guid": "f-1",
            "link": "https://faulty.example/1",
            "title": "Back again",
            "description": "The faulty feed works again.",
        },
    ],
    title="Faulty",
)

_RSS_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
    "<title>Faulty</title><link>https://faulty.example/</link>"
    "<description>d</description>"
)


def _doc(items: str, head: str = _RSS_HEAD) -> bytes:
    return (head + items + "</channel></rss>").encode("utf-8")


@functools.cache
def _gzip_bomb(decoded_mib: int) -> bytes:
    """A gzip member that inflates to ``decoded_mib`` MiB of zeros (built piecewise)."""
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(1 << 20)
    parts = [z.compress(chunk) for _ in range(decoded_mib)]
    parts.append(z.flush())
    return b"".join(parts)


_open: list[Store] = []
_servers: list[FeedServer] = []


@pytest.fixture(autouse=True)
def _cleanup() -> Iterator[None]:
    yield
    while _open:
        _open.pop().close()
    while _servers:
        _servers.pop().stop()


# --- the faults ------------------------------------------------------------------------

# Configures the server to serve the fault at a path; returns the faulty feed's URL.
Setup = Callable[[FeedServer, str], str]
PATH = "/faulty.xml"


def _route(body: bytes = b"", **kwargs: object) -> Setup:
    def setup(srv: FeedServer, path: str) -> str:
        srv.add(path, body, **kwargs)  # type: ignore[arg-type]
        return srv.url(path)

    return setup


def _refused(srv: FeedServer, path: str) -> str:
    return closed_port_url(path)


def _dns(srv: FeedServer, path: str) -> str:
    return f"http://feed.monitor-test.invalid{path}"


def _redirect_loop(srv: FeedServer, path: str) -> str:
    srv.add(path, redirect_to=f"{path}-b")
    srv.add(f"{path}-b", redirect_to=path)
    return srv.url(path)


def _heal_same_server(srv: FeedServer, url: str) -> None:
    srv.add(PATH, GOOD, content_type="application/rss+xml")


def _heal_refused(srv: FeedServer, url: str) -> None:
    """Start a server on the port that refused connections."""
    port = urlsplit(url).port
    assert port is not None
    back = FeedServer(port=port).start()
    _servers.append(back)
    back.add(PATH, GOOD, content_type="application/rss+xml")


@dataclass(frozen=True)
class Fault:
    setup: Setup
    error: str  # expected in the feed's last_error (lower-case)
    heal: Callable[[FeedServer, str], None] | None = _heal_same_server
    retry_after: float | None = None


FAILING: dict[str, Fault] = {
    "connection-refused": Fault(_refused, "cannot connect", heal=_heal_refused),
    "dns-failure": Fault(_dns, "cannot connect", heal=None),
    "timeout": Fault(_route(GOOD, delay=5.0), "timed out"),
    "slow-drip": Fault(_route(GOOD, drip_interval=0.05), "deadline"),
    "http-404": Fault(_route(b"nope", status=404), "http 404"),
    "http-429-retry-after": Fault(
        _route(status=429, headers={"Retry-After": "3600"}), "http 429", retry_after=3600
    ),
    "http-503-retry-after": Fault(
        _route(status=503, headers={"Retry-After": "7200"}), "http 503", retry_after=7200
    ),
    "http-500": Fault(_route(b"oops", status=500), "http 500"),
    "redirect-loop": Fault(_redirect_loop, "too many redirects"),
    "body-over-cap": Fault(
        _route(
            _doc("<item><title>x</title><description>" + "y" * 100_000 + "</description></item>")
        ),
        "larger than",
    ),
    "gzip-bomb": Fault(_route(_gzip_bomb(64), headers={"Content-Encoding": "gzip"}), "larger than"),
    "corrupt-gzip": Fault(
        _route(b"\x1f\x8b\x08\x00not gzip at all", headers={"Content-Encoding": "gzip"}), "bad gzip"
    ),
    "truncated-gzip": Fault(
        _route(gzip.compress(GOOD)[:-30], headers={"Content-Encoding": "gzip"}), "truncated gzip"
    ),
    "not-xml": Fault(
        _route(b"\x00\x01\x02 binary garbage \xff\xfe", content_type=None), "not a feed"
    ),
    "html-page": Fault(
        _route(b"<html><body><p>Log in</p></body></html>", content_type="text/html"), "not a feed"
    ),
    "empty-body": Fault(_route(b""), "empty document"),
}


def _items(*specs: str) -> str:
    return "".join(f"<item>{s}</item>" for s in specs)


@dataclass(frozen=True)
class Odd:
    """Content that is odd but readable: stored, with these titles."""

    setup: Setup
    titles: tuple[str, ...]
    warning: bool = False  # the feed row records that the feed is malformed
    check: Callable[[list[ArticleRow], datetime], None] | None = None


def _no_dates(rows: list[ArticleRow], now: datetime) -> None:
    assert all(r.published_at is None and r.guid is None for r in rows)
    assert [r.url for r in rows] == [None, None]


def _not_in_future(rows: list[ArticleRow], now: datetime) -> None:
    # The real clock: the test server's Date header says when the feed was served.
    wall = datetime.now(UTC)
    for r in rows:
        assert r.published_at is None or r.published_at <= wall + timedelta(days=1), r.title


TRUNCATED = _doc(
    _items(
        "<guid>t-1</guid><title>Complete item</title>",
        "<guid>t-2</guid><title>Second complete</title>",
        "<guid>t-3</guid><title>Cut off in the mid",
    )
)
TRUNCATED = TRUNCATED[: TRUNCATED.index(b"in the mid") + 6]

LATIN1_DECLARED_UTF8 = (
    _doc(_items("<guid>e-1</guid><title>Caf\xe9 cr\xe8me in M\xfcnchen</title>"))
    .decode("utf-8")
    .encode("latin-1")
)

ODD: dict[str, Odd] = {
    "wrong-content-type": Odd(
        _route(GOOD, content_type="text/html; charset=utf-8"), ("Back again",)
    ),
    "missing-content-type": Odd(_route(GOOD, content_type=None), ("Back again",)),
    "octet-stream": Odd(_route(GOOD, content_type="application/octet-stream"), ("Back again",)),
    "malformed-xml": Odd(
        _route(
            _doc(
                _items(
                    "<guid>m-1</guid><title>Tom & Jerry <b>bold</title>",
                    "<guid>m-2</guid><title>Second</title><bogus>",
                )
            )
        ),
        ("Tom & Jerry bold", "Second"),
        warning=True,
    ),
    "truncated-xml": Odd(_route(TRUNCATED), ("Complete item", "Second complete"), warning=True),
    "wrong-declared-encoding": Odd(
        _route(LATIN1_DECLARED_UTF8), ("Caf\xe9 cr\xe8me in M\xfcnchen",)
    ),
    "wrong-header-charset": Odd(
        _route(
            _doc(_items("<guid>w-1</guid><title>Новости — “quoted”</title>")),
            content_type="text/xml; charset=windows-1251",
        ),
        ("Новости — “quoted”",),
    ),
    "empty-feed": Odd(_route(_doc("")), ()),
    "no-guid-link-or-date": Odd(
        _route(
            _doc(
                _items(
                    "<title>Only a title</title>", "<description>Only a description</description>"
                )
            )
        ),
        ("Only a title", ""),
        check=_no_dates,
    ),
    "duplicate-guids": Odd(
        _route(
            _doc(
                _items(
                    "<guid>d-1</guid><title>First of d-1</title>",
                    "<guid>d-1</guid><title>Second of d-1</title>",
                    "<guid>d-2</guid><title>Only d-2</title>",
                )
            )
        ),
        ("First of d-1", "Only d-2"),
    ),
    "dates-in-the-future": Odd(
        _route(
            _doc(
                _items(
                    "<guid>z-1</guid><title>From 2099</title>"
                    "<pubDate>Thu, 01 Jan 2099 00:00:00 +0000</pubDate>",
                    "<guid>z-2</guid><title>From next year</title>"
                    f"<pubDate>{(datetime.now(UTC) + timedelta(days=400)):%a, %d %b %Y}"
                    " 10:00:00 +0000</pubDate>",
                    "<guid>z-3</guid><title>From the past</title>"
                    "<pubDate>Fri, 24 Oct 2025 10:00:00 +0000</pubDate>",
                )
            )
        ),
        ("From 2099", "From next year", "From the past"),
        check=_not_in_future,
    ),
}


# --- harness ---------------------------------------------------------------------------


def _monitor(tmp_path: Path, clock: FakeClock, feeds: dict[str, str]) -> pipeline.Monitor:
    path = write_watchlist(tmp_path, feeds, polling=POLLING)
    config = load_config(str(path), env={})
    upgrade(config.database_url)
    store = Store(make_engine(config.database_url))
    _open.append(store)
    m = pipeline.Monitor(config, store, clock)
    pipeline.sync(m)
    return m


def _poll(m: pipeline.Monitor) -> pipeline.PollReport:
    started = time.monotonic()
    report = pipeline.poll(m)  # must not raise
    took = time.monotonic() - started
    assert took < BOUND, f"poll took {took:.2f}s, bound {BOUND}s"
    return report


def _feeds(m: pipeline.Monitor) -> dict[str, Feed]:
    return {f.name: f for f in m.store.feeds()}


def _articles(m: pipeline.Monitor, feed_id: int) -> list[ArticleRow]:
    with m.store.transaction() as s:
        return list(
            s.scalars(
                select(ArticleRow).where(ArticleRow.feed_id == feed_id).order_by(ArticleRow.id)
            )
        )


def _assert_healthy_unaffected(m: pipeline.Monitor) -> None:
    healthy = _feeds(m)["Healthy"]
    assert healthy.error_count == 0 and healthy.last_error is None
    assert healthy.last_ok_at is not None and healthy.last_ok_at > m.clock.now() - INTERVAL
    assert healthy.next_poll_at == healthy.last_ok_at + INTERVAL
    assert [a.title for a in _articles(m, healthy.id)] == ["Healthy one", "Healthy two"]


@pytest.fixture
def healthy_server(feed_server: FeedServer) -> FeedServer:
    feed_server.add("/healthy.xml", HEALTHY, content_type="application/rss+xml")
    return feed_server


@pytest.mark.parametrize("name", list(FAILING))
def test_failing_feed_backs_off_shows_its_error_and_recovers(
    name: str, healthy_server: FeedServer, clock: FakeClock, tmp_path: Path
) -> None:
    fault = FAILING[name]
    srv = healthy_server
    url = fault.setup(srv, PATH)
    m = _monitor(tmp_path, clock, {"Healthy": srv.url("/healthy.xml"), "Faulty": url})

    waits: list[timedelta] = []
    for attempt in (1, 2):
        report = _poll(m)
        assert set(report.errors) == {"Faulty"}
        _assert_healthy_unaffected(m)
        faulty = _feeds(m)["Faulty"]
        assert faulty.error_count == attempt and not faulty.gone
        assert fault.error in (faulty.last_error or "").lower(), faulty.last_error
        assert faulty.next_poll_at is not None
        waits.append(faulty.next_poll_at - clock.now())
        if fault.retry_after is not None:
            assert waits[-1] >= timedelta(seconds=fault.retry_after)
        assert _articles(m, faulty.id) == []
        health = {h.name: h for h in pipeline.feed_health(m)}
        assert not health["Faulty"].healthy and health["Faulty"].error_count == attempt
        assert health["Healthy"].healthy
        if attempt == 1:  # not polled again before its time
            clock.set(faulty.next_poll_at - timedelta(seconds=1))
            assert "Faulty" not in _poll(m).errors
        clock.set(faulty.next_poll_at)
    assert waits[1] > waits[0] or (fault.retry_after and waits[1] >= waits[0])
    assert waits[0] > INTERVAL

    if fault.heal is None:
        return
    fault.heal(srv, url)
    report = _poll(m)
    assert report.errors == {}
    faulty = _feeds(m)["Faulty"]
    assert faulty.error_count == 0 and faulty.last_error is None
    assert faulty.next_poll_at == clock.now() + INTERVAL  # backoff reset
    assert [a.title for a in _articles(m, faulty.id)] == ["Back again"]


@pytest.mark.parametrize("name", list(ODD))
def test_odd_but_readable_feed_is_stored(
    name: str, healthy_server: FeedServer, clock: FakeClock, tmp_path: Path
) -> None:
    odd = ODD[name]
    srv = healthy_server
    feeds = {"Healthy": srv.url("/healthy.xml"), "Faulty": odd.setup(srv, PATH)}
    m = _monitor(tmp_path, clock, feeds)
    report = _poll(m)
    assert report.errors == {}
    _assert_healthy_unaffected(m)
    faulty = _feeds(m)["Faulty"]
    assert faulty.error_count == 0 and faulty.last_ok_at == clock.now()
    assert faulty.next_poll_at == clock.now() + INTERVAL
    if odd.warning:
        assert "malformed" in (faulty.last_error or ""), faulty.last_error
    else:
        assert faulty.last_error is None
    rows = _articles(m, faulty.id)
    assert tuple(r.title for r in rows) == odd.titles
    if odd.check is not None:
        odd.check(rows, clock.now())
    # Polled again: nothing new, nothing duplicated.
    clock.advance(INTERVAL.total_seconds())
    assert _poll(m).new_articles == 0
    assert len(_articles(m, faulty.id)) == len(odd.titles)


def test_gone_feed_is_not_polled_again_and_shows_in_status(
    healthy_server: FeedServer, clock: FakeClock, tmp_path: Path
) -> None:
    srv = healthy_server
    srv.add(PATH, b"gone", status=410)
    m = _monitor(tmp_path, clock, {"Healthy": srv.url("/healthy.xml"), "Faulty": srv.url(PATH)})
    report = _poll(m)
    assert set(report.errors) == {"Faulty"}
    _assert_healthy_unaffected(m)
    faulty = _feeds(m)["Faulty"]
    assert faulty.gone and faulty.error_count == 1 and "gone" in (faulty.last_error or "")
    health = {h.name: h for h in pipeline.feed_health(m)}
    assert not health["Faulty"].healthy and "gone" in (health["Faulty"].last_error or "")

    for _ in range(3):  # a day later: never requested again, the others still are
        clock.advance(8 * 3600)
        assert _poll(m).polled == 1
        _assert_healthy_unaffected(m)
    assert len(srv.requests_for(PATH)) == 1

    config = str(tmp_path / "watchlist.yaml")
    result = CliRunner().invoke(main, ["status", "--config", config], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if "Faulty" in x)
    assert "UNHEALTHY" in line and "410" in line and "gone" in line


def test_all_faults_in_one_cycle(
    healthy_server: FeedServer, clock: FakeClock, tmp_path: Path
) -> None:
    """Every fault at once (each on its own path): one bounded poll, the healthy feed kept."""
    srv = healthy_server
    feeds = {"Healthy": srv.url("/healthy.xml")}
    faults: dict[str, Setup] = {n: f.setup for n, f in FAILING.items()}
    faults |= {n: o.setup for n, o in ODD.items()}
    for name, setup in faults.items():
        feeds[name] = setup(srv, f"/{name}.xml")
    srv.add(PATH, b"gone", status=410)
    feeds["gone"] = srv.url(PATH)
    m = _monitor(tmp_path, clock, feeds)
    report = _poll(m)
    assert report.polled == len(feeds)
    _assert_healthy_unaffected(m)
    rows = _feeds(m)
    for name in FAILING:
        assert rows[name].error_count == 1, name
    for name in ODD:
        assert rows[name].error_count == 0, (name, rows[name].last_error)
    assert rows["gone"].gone


def test_gzip_bomb_fixture_really_is_one() -> None:
    bomb = _gzip_bomb(64)
    assert len(bomb) < 200_000
    assert len(gzip.decompress(bomb)) == 64 << 20
