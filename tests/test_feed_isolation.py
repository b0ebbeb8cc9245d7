"""No single feed stops a poll: hostile bodies, headers and links, generated here, are
each contained to their own feed while a good feed in the same cycle is stored (on
SQLite and PostgreSQL); parses over their budget are that feed's error; a stop ends a
poll whatever is parsing; an unchanged body is not parsed again; over the entry cap the
newest entries are kept and the count of the others recorded."""

from __future__ import annotations

import gzip
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from monitor import pipeline
from monitor.clock import FakeClock
from monitor.db import ArticleRow, CycleRow, FeedRow
from monitor.fetch import MAX_ETAG_CHARS, MAX_LAST_MODIFIED_CHARS
from monitor.parse import MAX_URL_CHARS
from tests.feedserver import FeedServer
from tests.helpers import BREACH_ITEM, QUIET_ITEM, rss, write_watchlist

GOOD = [
    {
        "guid": f"good-{i}",
        "link": f"https://example.org/good-{i}",
        "title": f"good article {i}",
        "description": "An ordinary article.",
    }
    for i in (1, 2)
]


def _item(title: str, link: str = "https://example.org/hostile", guid: str = "hostile-1") -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>"
        f"<description>{title} text</description></item>"
    )


def _feed(items: str, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{prolog}<rss version="2.0"><channel>'
        f"<title>Hostile</title>{items}</channel></rss>"
    ).encode()


@dataclass(frozen=True)
class Hostile:
    body: bytes
    headers: dict[str, str]
    check: Callable[[FeedRow, list[ArticleRow]], None]


def _stored_with_replacement(feed: FeedRow, rows: list[ArticleRow]) -> None:
    assert feed.error_count == 0, feed.last_error
    [row] = rows
    assert "\ufffd" in row.title and "\ufffd" in row.text, (row.title, row.text)
    row.title.encode("utf-8")  # valid Unicode: encodes without error


def _stored_without_url(feed: FeedRow, rows: list[ArticleRow]) -> None:
    assert feed.error_count == 0, feed.last_error
    [row] = rows
    assert row.url is None and (row.guid or "").endswith("hostile-1")


def _stored_without_validators(feed: FeedRow, rows: list[ArticleRow]) -> None:
    assert feed.error_count == 0, feed.last_error
    assert len(rows) == 1
    assert feed.etag is None and feed.last_modified is None


def _recorded_error(feed: FeedRow, rows: list[ArticleRow]) -> None:
    assert rows == []
    assert feed.error_count == 1 and feed.last_error, feed.last_error


def _stored(feed: FeedRow, rows: list[ArticleRow]) -> None:
    assert feed.error_count == 0, feed.last_error
    assert [r.title for r in rows] == ["prolog"]


def _hostiles() -> dict[str, Hostile]:
    empty_member = gzip.compress(b"")
    return {
        "surrogate-charref": Hostile(
            _feed(_item("a&#xD800;b &#55296;")), {}, _stored_with_replacement
        ),
        "out-of-range-charref": Hostile(_feed(_item("a&#x110000;b")), {}, _stored_with_replacement),
        "huge-charref": Hostile(
            _feed(_item("a&#" + "9" * 40 + ";b")), {}, _stored_with_replacement
        ),
        "zero-charref": Hostile(_feed(_item("a&#0;b&#x0000;")), {}, _stored_with_replacement),
        "gzip-of-empty-members": Hostile(
            empty_member * (200_000 // len(empty_member)),
            {"Content-Encoding": "gzip"},
            _recorded_error,
        ),
        "9000-char-link": Hostile(
            _feed(_item("long link", link="https://example.org/" + "a" * 9000)),
            {},
            _stored_without_url,
        ),
        "400-char-host": Hostile(
            _feed(_item("long host", link="https://" + "h" * 400 + ".example/x")),
            {},
            _stored_without_url,
        ),
        "600-char-etag-150-char-last-modified": Hostile(
            _feed(_item("validators")),
            {"ETag": '"' + "e" * (MAX_ETAG_CHARS + 98) + '"', "Last-Modified": "M" * 150},
            _stored_without_validators,
        ),
        "non-ascii-etag-and-last-modified": Hostile(
            _feed(_item("validators")),
            {"ETag": '"caf\xe9"', "Last-Modified": "Mon, 20 Oct 2025 08:30:00 GM\xc9"},
            _stored_without_validators,
        ),
        "prolog-of-newlines": Hostile(_feed(_item("prolog"), prolog="\n" * 80_000), {}, _stored),
    }


HOSTILES = _hostiles()


def _monitor(
    open_monitor: Callable[..., Any],
    tmp_path: Path,
    feeds: dict[str, str],
    clock: FakeClock,
    database_url: str | None = None,
    **polling: Any,
) -> pipeline.Monitor:
    path = write_watchlist(
        tmp_path,
        feeds,
        database_url=database_url,
        polling={"connect_timeout_seconds": 2, "read_timeout_seconds": 5, **polling},
    )
    m: pipeline.Monitor = open_monitor(path, clock)
    return m


def _rows(m: pipeline.Monitor, name: str) -> tuple[FeedRow, list[ArticleRow]]:
    with m.store.transaction() as s:
        feed = s.scalars(select(FeedRow).where(FeedRow.name == name)).one()
        rows = list(
            s.scalars(select(ArticleRow).where(ArticleRow.feed_id == feed.id).order_by("id"))
        )
        s.expunge_all()
    return feed, rows


@pytest.mark.parametrize("name", list(HOSTILES))
def test_a_hostile_feed_never_stops_the_good_one(
    name: str,
    database_url: str,
    feed_server: FeedServer,
    clock: FakeClock,
    tmp_path: Path,
    open_monitor: Callable[..., Any],
) -> None:
    hostile = HOSTILES[name]
    feed_server.add("/good.xml", rss(GOOD))
    feed_server.add(
        "/hostile.xml", hostile.body, content_type="application/rss+xml", headers=hostile.headers
    )
    m = _monitor(
        open_monitor,
        tmp_path,
        {"Good": feed_server.url("/good.xml"), "Hostile": feed_server.url("/hostile.xml")},
        clock,
        database_url,
    )
    for cycle in range(2):  # and again, the next cycle
        report = pipeline.poll(m)
        assert report.polled == 2, report
        good, good_rows = _rows(m, "Good")
        assert good.error_count == 0 and [r.title for r in good_rows] == [
            "good article 1",
            "good article 2",
        ]
        if cycle == 0:
            feed, rows = _rows(m, "Hostile")
            hostile.check(feed, rows)
        clock.advance(4 * 3600)


def test_long_urls_are_bounded_to_the_column() -> None:
    from monitor.parse import canonical_url

    assert canonical_url("https://example.org/" + "a" * (MAX_URL_CHARS - 20)) is not None
    assert canonical_url("https://example.org/" + "a" * MAX_URL_CHARS) is None
    assert canonical_url("https://" + "h" * 254 + "/") is None
    assert MAX_LAST_MODIFIED_CHARS == FeedRow.__table__.c.last_modified.type.length  # type: ignore[attr-defined]
    assert MAX_ETAG_CHARS == FeedRow.__table__.c.etag.type.length  # type: ignore[attr-defined]
    url_length = ArticleRow.__table__.c.url.type.length  # type: ignore[attr-defined]
    assert url_length is None or MAX_URL_CHARS <= url_length  # None: TEXT, unbounded


# -- budgets -------------------------------------------------------------------------


def _heavy_feed(items: int = 8000) -> bytes:
    """A big, valid feed: parsing it takes a couple of CPU seconds.

    Its root carries an ``xml:base``, which the fast RSS reader leaves to feedparser, so
    the cost (and memory) of parsing it stays that of feedparser's.
    """
    return rss(
        [
            {
                "guid": f"h{i}",
                "link": f"https://example.org/h{i}",
                "title": f"heavy {i}",
                "description": "word " * 50,
            }
            for i in range(items)
        ]
    ).replace(b'<rss version="2.0">', b'<rss version="2.0" xml:base="https://example.org/">', 1)


def test_a_parse_over_its_cpu_budget_is_that_feeds_error(
    feed_server: FeedServer, clock: FakeClock, tmp_path: Path, open_monitor: Callable[..., Any]
) -> None:
    feed_server.add("/good.xml", rss(GOOD))
    feed_server.add("/heavy.xml", _heavy_feed())
    m = _monitor(
        open_monitor,
        tmp_path,
        {"Good": feed_server.url("/good.xml"), "Heavy": feed_server.url("/heavy.xml")},
        clock,
        parse_cpu_seconds=0.5,
    )
    report = pipeline.poll(m)
    assert report.polled == 2
    assert "budget" in report.errors["Heavy"], report.errors
    heavy, rows = _rows(m, "Heavy")
    assert rows == [] and heavy.error_count == 1 and "budget" in (heavy.last_error or "")
    good, good_rows = _rows(m, "Good")
    assert good.error_count == 0 and len(good_rows) == 2


def test_stop_ends_a_poll_whatever_is_parsing(
    feed_server: FeedServer,
    clock: FakeClock,
    tmp_path: Path,
    open_monitor: Callable[..., Any],
    figures: Callable[[str], None],
) -> None:
    feed_server.add("/heavy.xml", _heavy_feed(20_000))  # 8 MB, ~6 s of parsing on one core
    m = _monitor(
        open_monitor,
        tmp_path,
        {"Heavy": feed_server.url("/heavy.xml")},
        clock,
        max_bytes=20_000_000,
        parse_cpu_seconds=60,
    )
    stopped_at: list[float] = []

    def stop_once_parsing() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not feed_server.requests_for("/heavy.xml"):
            time.sleep(0.01)
        time.sleep(0.5)  # the body is in a parse worker by now
        stopped_at.append(time.monotonic())
        m.stop.set()

    threading.Thread(target=stop_once_parsing, daemon=True).start()
    report = pipeline.poll(m)
    ended = time.monotonic()
    assert stopped_at, "the stop was never set"
    assert report.new_articles == 0 and report.polled == 0, report
    heavy, rows = _rows(m, "Heavy")
    assert rows == []
    figures(f"poll returned {ended - stopped_at[0]:.2f} s after stop, mid-parse (noisy)")
    # The claimed feed keeps its lease: it is polled again later, nothing lost.
    assert heavy.next_poll_at is not None and heavy.next_poll_at > clock.now()


# -- skipping what did not change, and the entry cap ------------------------------------


def test_an_identical_body_is_not_parsed_again(
    database_url: str,
    feed_server: FeedServer,
    clock: FakeClock,
    tmp_path: Path,
    open_monitor: Callable[..., Any],
) -> None:
    feed_server.add("/f.xml", rss(GOOD))  # no ETag, no Last-Modified: always 200
    m = _monitor(open_monitor, tmp_path, {"F": feed_server.url("/f.xml")}, clock, database_url)
    first = pipeline.poll(m)
    assert first.new_articles == 2 and first.unchanged == 0
    feed, _ = _rows(m, "F")
    assert feed.body_hash is not None and len(feed.body_hash) == 64
    clock.advance(4 * 3600)
    second = pipeline.poll(m)
    assert second.polled == 1 and second.unchanged == 1 and second.new_articles == 0
    feed, _ = _rows(m, "F")
    assert feed.last_ok_at == clock.now() and feed.error_count == 0
    feed_server.add(
        "/f.xml",
        rss(
            [
                *GOOD,
                {**GOOD[0], "guid": "good-3", "link": "https://example.org/3", "title": "three"},
            ]
        ),
    )
    clock.advance(4 * 3600)
    third = pipeline.poll(m)
    assert third.unchanged == 0 and third.new_articles == 1


def test_over_the_cap_the_newest_entries_are_kept_and_the_rest_counted(
    database_url: str,
    feed_server: FeedServer,
    clock: FakeClock,
    tmp_path: Path,
    open_monitor: Callable[..., Any],
) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    n = pipeline.MAX_ENTRIES + 37
    items = [
        {
            "guid": f"e{i}",
            "link": f"https://example.org/e{i}",
            "title": f"entry {i}",
            "description": "text",
            "date": format_datetime(start + timedelta(hours=i)),
        }
        for i in range(n)
    ]
    random.Random(7).shuffle(items)  # the newest are anywhere in the document
    feed_server.add("/big.xml", rss(items))
    m = _monitor(open_monitor, tmp_path, {"Big": feed_server.url("/big.xml")}, clock, database_url)
    report = pipeline.poll(m)
    assert report.new_articles == pipeline.MAX_ENTRIES
    feed, rows = _rows(m, "Big")
    kept = sorted(int(r.title.split()[1]) for r in rows)
    assert kept == list(range(37, n))  # the 37 oldest were left out
    assert feed.entries_dropped == 37
    assert "37 older entries left out" in (feed.last_error or "")


def test_sigterm_stops_the_daemon_mid_parse(
    feed_server: FeedServer, tmp_path: Path, figures: Callable[[str], None]
) -> None:
    import os
    import signal
    import subprocess
    import sys

    from tests.feedserver import wait_until

    feed_server.add("/heavy.xml", _heavy_feed(20_000))  # ~6 s of parsing on one core
    path = write_watchlist(
        tmp_path,
        {"Heavy": feed_server.url("/heavy.xml")},
        polling={"max_bytes": 20_000_000, "parse_cpu_seconds": 120},
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    with open(tmp_path / "daemon.log", "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "monitor", "run", "--tick", "60", "--config", str(path)],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    try:
        assert wait_until(lambda: bool(feed_server.requests_for("/heavy.xml")), timeout=60)
        time.sleep(1.0)  # the body is being parsed in a worker
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        took = time.monotonic() - sent
        text = (tmp_path / "daemon.log").read_text()
        assert proc.returncode == 0, text
        assert "daemon_stopped" in text and "Traceback" not in text
        assert "feed_polled" not in text  # it was stopped mid-parse, not after
        figures(f"daemon exit after SIGTERM mid-parse: {took:.2f} s (noisy)")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_parse_over_its_memory_budget_is_that_feeds_error(
    feed_server: FeedServer, clock: FakeClock, tmp_path: Path, open_monitor: Callable[..., Any]
) -> None:
    feed_server.add("/good.xml", rss(GOOD))
    feed_server.add("/heavy.xml", _heavy_feed(20_000))  # 8 MB: well over 64 MB to parse
    m = _monitor(
        open_monitor,
        tmp_path,
        {"Good": feed_server.url("/good.xml"), "Heavy": feed_server.url("/heavy.xml")},
        clock,
        max_bytes=20_000_000,
        parse_memory_mb=64,
        parse_cpu_seconds=120,
    )
    report = pipeline.poll(m)
    assert "memory budget" in report.errors["Heavy"], report.errors
    good, good_rows = _rows(m, "Good")
    assert good.error_count == 0 and len(good_rows) == 2


def test_a_long_parse_does_not_hold_up_the_other_feeds(
    feed_server: FeedServer,
    clock: FakeClock,
    tmp_path: Path,
    open_monitor: Callable[..., Any],
    figures: Callable[[str], None],
) -> None:
    good = {f"Good {i}": f"/good-{i}.xml" for i in range(12)}
    for i, path in enumerate(good.values()):
        # they answer late: the big feed is already being parsed when they arrive
        body = rss([{**g, "guid": f"{g['guid']}-{i}"} for g in GOOD])
        feed_server.add(path, body, delay=1.0)
    feed_server.add("/heavy.xml", _heavy_feed(20_000))  # ~6 s of parsing on one core
    feeds = {name: feed_server.url(path) for name, path in good.items()}
    feeds["Heavy"] = feed_server.url("/heavy.xml")
    m = _monitor(open_monitor, tmp_path, feeds, clock, max_bytes=20_000_000, parse_cpu_seconds=120)
    stored: list[float] = []
    m.progress = lambda _message: stored.append(time.monotonic())
    started = time.monotonic()
    report = pipeline.poll(m)
    assert report.polled == 13 and report.errors == {}, report.errors
    _heavy, heavy_rows = _rows(m, "Heavy")
    assert len(heavy_rows) == pipeline.MAX_ENTRIES
    # The twelve small feeds were stored while the big one was still being parsed.
    assert len(stored) == 13
    figures(
        f"12 small feeds (1 s server delay, 2 at a time: 6 s at best) all stored "
        f"{stored[11] - started:.2f} s into a poll whose 8 MB feed was stored at "
        f"{stored[12] - started:.2f} s (noisy)"
    )
    assert stored[11] < stored[12]


def _alert_before_the_second_feed(m: Any, tmp_path: Path) -> pipeline.CycleReport:
    """Run a cycle of two feeds; assert the first feed's alert was in the outbox before
    the second feed was stored."""
    outbox = tmp_path / "outbox"
    seen: list[tuple[str, int]] = []  # each feed stored, with the alerts written by then
    m.progress = lambda message: seen.append((message, len(list(outbox.glob("*.eml")))))
    report = pipeline.run_cycle(m)
    polled = [(message.split(" feeds")[0], alerts) for message, alerts in seen]
    polled = [p for p in polled if p[0].startswith("polled")]
    assert polled[0] == ("polled 1/2", 0)
    assert polled[-1][0] == "polled 2/2" and polled[-1][1] >= 1, seen
    return report


def test_a_slow_feed_does_not_hold_up_the_other_feeds_alerts(
    database_url: str,
    feed_server: FeedServer,
    clock: FakeClock,
    tmp_path: Path,
    open_monitor: Callable[..., Any],
) -> None:
    """While the poll waits on a slow feed, what it has stored is judged and alerted: the
    breach in the quick feed is in the outbox before the slow feed is stored."""
    feed_server.add("/news.xml", rss([BREACH_ITEM]))
    feed_server.add("/slow.xml", rss([QUIET_ITEM]), delay=3.0)
    feeds = {"News": feed_server.url("/news.xml"), "Slow": feed_server.url("/slow.xml")}
    m = _monitor(open_monitor, tmp_path, feeds, clock, database_url)
    report = _alert_before_the_second_feed(m, tmp_path)
    assert report.poll.new_articles == 2 and report.judged == 2
    assert report.delivery.sent >= 1 and report.queued >= 1
    with m.store.transaction() as s:
        [cycle] = s.scalars(select(CycleRow)).all()
        assert (cycle.feeds_due, cycle.feeds_ok, cycle.new_articles) == (2, 2, 2)
        assert cycle.ended_at is not None


def test_a_poll_left_with_only_a_slowed_parse_acts_at_once(
    database_url: str,
    feed_server: FeedServer,
    clock: FakeClock,
    tmp_path: Path,
    open_monitor: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the quiet timer out of the way, a poll whose only parse still running has
    been slowed (a huge feed) judges and alerts the rest without waiting for it."""
    monkeypatch.setattr(pipeline, "MEANWHILE_AFTER_SECONDS", 600.0)
    huge = [
        {"title": f"T{i}", "description": "S", "guid": f"h{i}", "link": f"https://h.org/{i}"}
        for i in range(25_000)
    ]
    feed_server.add("/news.xml", rss([BREACH_ITEM]))
    feed_server.add("/huge.xml", rss(huge))
    feeds = {"News": feed_server.url("/news.xml"), "Huge": feed_server.url("/huge.xml")}
    m = _monitor(open_monitor, tmp_path, feeds, clock, database_url)
    report = _alert_before_the_second_feed(m, tmp_path)
    assert not report.poll.errors and report.delivery.sent >= 1


def test_the_parse_backlog_holds_bodies_by_count_and_by_bytes() -> None:
    stop = threading.Event()
    backlog = pipeline._Backlog(3, 100)
    assert backlog.acquire(500, stop)  # one body always gets in, however large
    stop.set()
    assert not backlog.acquire(1, stop)  # no room: it waits, and gives up when told to stop
    stop.clear()
    backlog.release(500)
    assert backlog.acquire(60, stop) and backlog.acquire(40, stop)
    stop.set()
    assert not backlog.acquire(1, stop)  # 100 bytes held: full
    stop.clear()
    backlog.release(40)
    assert backlog.acquire(10, stop) and backlog.acquire(10, stop)
    stop.set()
    assert not backlog.acquire(0, stop)  # three bodies held: full
    stop.clear()
    got: list[bool] = []
    waiter = threading.Thread(target=lambda: got.append(backlog.acquire(30, stop)))
    waiter.start()
    backlog.release(60)  # room again: the waiting fetch goes on
    waiter.join(10)
    assert got == [True]
    backlog.release(None)  # an outcome without a body held nothing
    over = threading.Event()
    over.set()  # the poll has ended (it raised, say): a fetch waiting for room gives up
    assert not backlog.acquire(0, stop, over)  # three bodies held: full


@pytest.mark.parametrize("limit", ["PARSE_BACKLOG", "PARSE_BACKLOG_BYTES"])
def test_a_full_parse_backlog_holds_fetching_back_and_loses_nothing(
    feed_server: FeedServer,
    clock: FakeClock,
    tmp_path: Path,
    open_monitor: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    limit: str,
) -> None:
    monkeypatch.setattr(pipeline, limit, 1)  # one body at a time (by count, or by bytes)
    feeds = {}
    for i in range(6):
        items = [{**g, "guid": f"{g['guid']}-{i}", "link": f"{g['link']}-{i}"} for g in GOOD]
        feed_server.add(f"/f{i}.xml", rss(items))
        feeds[f"F{i}"] = feed_server.url(f"/f{i}.xml")
    feed_server.add("/gone.xml", status=500)
    feeds["Broken"] = feed_server.url("/gone.xml")
    m = _monitor(open_monitor, tmp_path, feeds, clock)
    first = pipeline.poll(m)
    assert first.polled == 7 and first.new_articles == 12 and list(first.errors) == ["Broken"]
    clock.advance(4 * 3600)
    second = pipeline.poll(m)  # bodies unchanged: not parsed, and the backlog freed for each
    assert second.polled == 7 and second.unchanged == 6 and second.new_articles == 0
