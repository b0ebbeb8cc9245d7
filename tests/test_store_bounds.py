"""Strings from outside are bounded to their columns alike on SQLite and PostgreSQL (issue 10).

PostgreSQL refuses a string longer than its VARCHAR, a NUL or a lone surrogate; SQLite
keeps all three.  The store makes both store the same thing, so one hostile feed cannot
stop a cycle on PostgreSQL, and the good feeds of that cycle are stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor import pipeline
from monitor.clock import FakeClock
from monitor.db import ArticleRow, FeedRow, make_engine, upgrade
from monitor.models import Entry
from monitor.store import FeedSpec, Store
from tests.feedserver import FeedServer
from tests.helpers import QUIET_ITEM, rss, write_watchlist

NOW = datetime(2025, 10, 28, 9, 0, tzinfo=UTC)
LONG_LINK = "https://news.example/" + "p" * 2100  # a link past the old 2,000
LONG_ETAG = '"' + "e" * 598 + '"'  # 600, past etag's 500
LONG_LAST_MODIFIED = "Tue, 28 Oct 2025 09:00:00 GMT" + " x" * 61  # 151, past 100


def test_a_hostile_feed_does_not_stop_the_good_ones(
    tmp_path: Path,
    feed_server: FeedServer,
    database_url: str,
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
) -> None:
    hostile = {
        "guid": "long-1",
        "link": LONG_LINK,
        "title": "A very long link",
        "description": "Its host name and its path are both far too long.",
    }
    feed_server.add(
        "/hostile.xml",
        rss([hostile]),
        headers={"ETag": LONG_ETAG, "Last-Modified": LONG_LAST_MODIFIED},
    )
    feed_server.add("/good.xml", rss([QUIET_ITEM]), etag='"good"')
    config_file = write_watchlist(
        tmp_path,
        {"Hostile": feed_server.url("/hostile.xml"), "Good": feed_server.url("/good.xml")},
        database_url=database_url,
    )
    m = open_monitor(config_file, clock)
    report = pipeline.run_cycle(m)
    assert report.poll.errors == {}
    assert report.poll.new_articles == 2
    with m.store.transaction() as s:
        articles = {a.title: a for a in s.scalars(select(ArticleRow))}
        feeds = {f.name: f for f in s.scalars(select(FeedRow))}
    assert set(articles) == {"A very long link", QUIET_ITEM["title"]}
    long = articles["A very long link"]
    assert long.url is not None and long.url.endswith("p" * 2100)  # kept whole: it still opens
    assert long.source == "news.example"
    # a validator that does not fit is dropped (a cut one would never match); the good
    # feed keeps its own
    assert feeds["Hostile"].etag is None and feeds["Hostile"].last_modified is None
    assert feeds["Hostile"].last_error is None and feeds["Hostile"].last_ok_at == clock.now()
    assert feeds["Good"].etag == '"good"'
    # the next cycle polls the hostile feed again, without validators, and stores nothing twice
    clock.advance(3600)
    again = pipeline.run_cycle(m)
    assert again.poll.errors == {} and again.poll.new_articles == 0
    assert "if-none-match" not in feed_server.requests_for("/hostile.xml")[-1].headers


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    upgrade(database_url)
    s = Store(make_engine(database_url))
    s.sync_watchlist([FeedSpec("A", "http://a.example/feed", 900)], [], NOW)
    yield s
    s.close()


def test_every_string_an_entry_brings_is_stored_alike(store: Store) -> None:
    feed = store.feeds()[0]
    entry = Entry(
        identity="g" * 3000,
        guid="g" * 3000,
        url=LONG_LINK,
        title="nul \x00 and a lone \ud800 surrogate",
        text="body \x00 \udfff end",
        published_at=NOW,
        publisher="P" * 1000,
    )
    new = store.save_entries(
        feed,
        [entry],
        now=NOW,
        status=200,
        etag=LONG_ETAG,
        last_modified="Tue, 28 Oct 2025 09:00:00 GMT",
        next_poll_at=NOW + timedelta(minutes=15),
        warning="malformed \x00 feed",
    )
    assert new == 1
    [article] = store.unjudged_articles(10)
    assert article.title == "nul \ufffd and a lone \ufffd surrogate"
    assert article.text == "body \ufffd \ufffd end"
    assert article.source == "P" * 300 and article.url == LONG_LINK
    with store.transaction() as s:
        row = s.scalars(select(ArticleRow)).one()
        stored = s.get_one(FeedRow, feed.id)
    assert row.guid == "g" * 2000
    assert stored.etag is None and stored.last_modified == "Tue, 28 Oct 2025 09:00:00 GMT"
    assert stored.last_error == "malformed \ufffd feed"
    # the same entry again is recognised by its keys, which hash the whole strings
    assert (
        store.save_entries(
            feed,
            [entry],
            now=NOW,
            status=200,
            etag=None,
            last_modified=None,
            next_poll_at=NOW,
        )
        == 0
    )


def test_feed_errors_and_health_details_are_stored_alike(store: Store) -> None:
    feed = store.feeds()[0]
    store.record_feed_error(
        feed.id, now=NOW, error="bad \x00 reason \ud800", status=500, next_poll_at=NOW
    )
    assert store.feeds()[0].last_error == "bad \ufffd reason \ufffd"
    assert store.record_health(feed.id, "ok", "failing", "detail \x00", NOW)
    [event] = store.unalerted_health_events()
    assert event.detail == "detail \ufffd"


def test_an_entry_stored_by_another_daemon_meanwhile_is_not_stored_twice(
    database_url: str,
) -> None:
    """Daemon A looks its entries' keys up (none known), daemon B stores the same entry and
    commits, then A inserts: A's copy is dropped (its keys conflict), B's stays."""
    from sqlalchemy import event, func

    from monitor.db import ArticleKeyRow

    upgrade(database_url)
    a, b = Store(make_engine(database_url)), Store(make_engine(database_url))
    try:
        a.sync_watchlist([FeedSpec("A", "http://a.example/feed", 900)], [], NOW)
        feed = a.feeds()[0]
        same = Entry(
            identity="g1",
            guid="g1",
            url="https://news.example/1",
            title="T",
            text="body",
            published_at=NOW,
        )
        other = Entry(
            identity="g2",
            guid="g2",
            url="https://news.example/2",
            title="U",
            text="more",
            published_at=NOW,
        )
        fired: list[int] = []

        def b_first(_c: object, _cur: object, sql: str, *_rest: object) -> None:
            if sql.lstrip().startswith("INSERT INTO articles") and not fired:
                fired.append(1)
                assert (
                    b.save_entries(
                        feed,
                        [same],
                        now=NOW,
                        status=200,
                        etag=None,
                        last_modified=None,
                        next_poll_at=NOW,
                    )
                    == 1
                )

        event.listen(a.engine, "before_cursor_execute", b_first)
        new = a.save_entries(
            feed,
            [same, other],
            now=NOW,
            status=200,
            etag=None,
            last_modified=None,
            next_poll_at=NOW,
        )
        assert fired and new == 1  # only "other" is A's
        with a.transaction() as s:
            titles = sorted(s.scalars(select(ArticleRow.title)))
            keys = s.scalar(select(func.count()).select_from(ArticleKeyRow))
            orphans = s.scalar(
                select(func.count())
                .select_from(ArticleKeyRow)
                .where(ArticleKeyRow.article_id.not_in(select(ArticleRow.id)))
            )
        assert titles == ["T", "U"] and keys == 6 and orphans == 0
    finally:
        a.close()
        b.close()
