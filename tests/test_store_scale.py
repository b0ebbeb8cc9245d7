"""Flat cost as the database grows (issue 11): no query of a cycle, of ``status`` or of the
digest reads every article or every piece of evidence; each is an index search."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from monitor import pipeline
from monitor.clock import FakeClock
from monitor.db import make_engine, upgrade
from monitor.models import Commitment, Entry, Kind, Label, Verdict
from monitor.store import FeedSpec, Store
from tests.feedserver import FeedServer
from tests.helpers import BREACH_ITEM, QUIET_ITEM, rss, write_watchlist

NOW = datetime(2025, 10, 28, 9, 0, tzinfo=UTC)
BIG_TABLES = ("articles", "article_keys", "evidence")


def _full_scans(engine: Any, statements: list[tuple[str, Any]]) -> list[str]:
    """Every statement whose SQLite plan scans a big table from end to end."""
    found = []
    with engine.connect() as conn:
        for sql, params in statements:
            if not sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
                continue
            plan = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params).all()
            for row in plan:
                detail = str(row[-1])
                if any(detail.startswith(f"SCAN {t}") for t in BIG_TABLES):
                    found.append(f"{detail}: {' '.join(sql.split())}")
    return found


@pytest.fixture
def recorded() -> Iterator[Callable[[Any], list[tuple[str, Any]]]]:
    listeners: list[tuple[Any, Any]] = []

    def record(engine: Any) -> list[tuple[str, Any]]:
        statements: list[tuple[str, Any]] = []

        def before(_conn: Any, _cursor: Any, sql: str, params: Any, _ctx: Any, many: bool) -> None:
            statements.append((sql, params[0] if many and params else params))

        event.listen(engine, "before_cursor_execute", before)
        listeners.append((engine, before))
        return statements

    yield record
    for engine, fn in listeners:
        event.remove(engine, "before_cursor_execute", fn)


def test_a_cycle_status_and_digest_search_indexes_only(
    tmp_path: Path,
    feed_server: FeedServer,
    open_monitor: Callable[..., pipeline.Monitor],
    recorded: Callable[[Any], list[tuple[str, Any]]],
) -> None:
    feed_server.add("/pk.xml", rss([BREACH_ITEM, QUIET_ITEM]))
    config_file = write_watchlist(tmp_path, {"PK": feed_server.url("/pk.xml")})
    clock = FakeClock(NOW)
    m = open_monitor(config_file, clock)
    assert pipeline.digest(m, key="digest:first")  # later digests read their period only
    statements = recorded(m.store.engine)
    report = pipeline.run_cycle(m)
    assert report.poll.new_articles == 2 and report.judged == 2 and report.queued >= 1
    clock.advance(3600)
    pipeline.run_cycle(m)  # a re-poll: every entry known
    # what `monitor status` and the page read
    m.store.commitment_states()
    assert m.store.latest_evidence()
    pipeline.feed_health(m)
    m.store.outbox_counts()
    m.store.outbox(limit=200)
    assert pipeline.digest(m, key="digest:test")
    assert m.store.article_by_url(BREACH_ITEM["link"]) is not None
    assert len(statements) > 20
    scans = _full_scans(m.store.engine, statements)
    assert scans == [], "\n".join(scans)


def test_the_check_sees_a_full_scan(
    tmp_path: Path, recorded: Callable[[Any], list[tuple[str, Any]]]
) -> None:
    """The plan check itself: a look-up by an unindexed column is reported."""
    engine = make_engine(f"sqlite:///{tmp_path}/m.db")
    upgrade(str(engine.url))
    statements = recorded(engine)
    with engine.connect() as conn:
        conn.execute(text("SELECT id FROM articles WHERE title = :t"), {"t": "x"})
    assert len(_full_scans(engine, statements)) == 1
    engine.dispose()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    upgrade(database_url)
    s = Store(make_engine(database_url))
    commitments = [
        Commitment(
            id=cid,
            title=cid,
            statement="s",
            kind=Kind.CEASEFIRE,
            said_by="x",
            said_at=None,
            source_url=None,
            parties=("a", "b"),
        )
        for cid in ("one", "two", "three")
    ]
    s.sync_watchlist([FeedSpec("A", "http://a.example/feed", 900)], commitments, NOW)
    yield s
    s.close()


def test_latest_evidence_per_commitment_and_article_by_url(store: Store) -> None:
    feed = store.feeds()[0]
    entries = [
        Entry(
            identity=f"g{i}",
            guid=f"g{i}",
            url=f"https://news.example/{i}",
            title=f"T{i}",
            text=f"body {i}",
            published_at=NOW,
        )
        for i in range(6)
    ]
    store.save_entries(
        feed, entries, now=NOW, status=200, etag=None, last_modified=None, next_poll_at=NOW
    )
    articles = store.unjudged_articles(10)
    # "one" gets evidence from articles 0, 2, 4; "two" from 1 only; "three" none
    judged = [
        (a, [Verdict("one" if i % 2 == 0 else "two", Label.BREACH, 0.5 + i / 100, f"q{i}")])
        for i, a in enumerate(articles)
        if i % 2 == 0 or i == 1
    ]
    store.save_verdicts(judged, NOW + timedelta(minutes=1))
    latest = store.latest_evidence()
    assert set(latest) == {"one", "two"}
    assert latest["one"].quote == "q4" and latest["one"].url == "https://news.example/4"
    assert latest["two"].quote == "q1"
    found = store.article_by_url("https://news.example/3")
    assert found is not None and found.title == "T3"
    assert store.article_by_url("https://news.example/none") is None
