"""Retention (issue 9): old article text and old sent messages are removed, evidence and
status history stay, and a pruned article is still recognised when a feed repeats it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from monitor import cyclelog, daemon, oversight, pipeline
from monitor.clock import FakeClock
from monitor.db import ArticleRow, EvidenceRow, OutboxRow, StatusEventRow
from tests.feedserver import FeedServer
from tests.helpers import BREACH_ITEM, QUIET_ITEM, rss, write_watchlist

START = datetime(2025, 10, 24, 12, 0, tzinfo=UTC)
DAY = 24 * 3600


def test_old_text_and_sent_messages_go_evidence_and_history_stay(
    tmp_path: Path,
    feed_server: FeedServer,
    database_url: str,
    open_monitor: Callable[..., pipeline.Monitor],
) -> None:
    feed_server.add("/pk.xml", rss([BREACH_ITEM, QUIET_ITEM]))
    config_file = write_watchlist(
        tmp_path,
        {"PK": feed_server.url("/pk.xml")},
        database_url=database_url,
        retention={"article_text_days": 30, "outbox_days": 10},
    )
    clock = FakeClock(START)
    m = open_monitor(config_file, clock)
    first = pipeline.run_cycle(m)
    assert first.poll.new_articles == 2 and first.delivery.sent >= 1
    evidence_before = m.store.evidence_for("ceasefire")
    assert evidence_before

    def table(row: type, where: object = True) -> int:
        with m.store.transaction() as s:
            return int(s.scalar(select(func.count()).select_from(row).where(where)) or 0)

    events, sent = table(StatusEventRow), table(OutboxRow)
    clock.advance(9 * DAY)  # younger than both limits: nothing goes
    assert pipeline.prune(m) == pipeline.PruneReport(0, 0)
    clock.advance(2 * DAY)  # the messages are 11 days old
    assert pipeline.prune(m) == pipeline.PruneReport(0, sent)
    assert table(OutboxRow) == 0
    clock.advance(20 * DAY)  # the articles are 31 days old
    assert pipeline.prune(m) == pipeline.PruneReport(2, 0)
    assert pipeline.prune(m) == pipeline.PruneReport(0, 0)  # done once
    with m.store.transaction() as s:
        articles = list(s.scalars(select(ArticleRow).order_by(ArticleRow.id)))
    assert [a.text for a in articles] == ["", ""]
    assert [a.title for a in articles] == [BREACH_ITEM["title"], QUIET_ITEM["title"]]
    assert [a.url for a in articles] == [BREACH_ITEM["link"], QUIET_ITEM["link"]]
    # evidence (with its quote) and status history are kept whole
    assert m.store.evidence_for("ceasefire") == evidence_before
    assert table(EvidenceRow) == len(evidence_before) and table(StatusEventRow) == events
    # the feed still carries both items: recognised by their keys, not stored again
    feed_server.add("/pk.xml", rss([BREACH_ITEM, QUIET_ITEM]), etag='"changed"')
    again = pipeline.run_cycle(m)
    assert again.poll.polled == 1 and again.poll.new_articles == 0


def test_old_cycles_go_but_the_newest_stays(
    tmp_path: Path, feed_server: FeedServer, open_monitor: Callable[..., pipeline.Monitor]
) -> None:
    feed_server.add("/pk.xml", rss([QUIET_ITEM]))
    config_file = write_watchlist(
        tmp_path, {"PK": feed_server.url("/pk.xml")}, retention={"cycles_days": 30}
    )
    clock = FakeClock(START)
    m = open_monitor(config_file, clock)
    for _ in range(3):
        pipeline.run_cycle(m)
        clock.advance(DAY)
    assert cyclelog.cycle_count(m.store) == 3
    clock.advance(28 * DAY)  # the cycles are 31, 30 and 29 days old: only the first goes
    assert pipeline.prune(m).cycles_deleted == 1
    clock.advance(60 * DAY)  # all are old: the newest stays, as the heartbeat
    assert pipeline.prune(m).cycles_deleted == 1
    last = cyclelog.last_cycle(m.store)
    assert cyclelog.cycle_count(m.store) == 1 and last is not None
    assert last.started_at == START + timedelta(days=2)


def test_retention_off_keeps_everything(
    tmp_path: Path,
    feed_server: FeedServer,
    open_monitor: Callable[..., pipeline.Monitor],
) -> None:
    feed_server.add("/pk.xml", rss([QUIET_ITEM]))
    config_file = write_watchlist(
        tmp_path,
        {"PK": feed_server.url("/pk.xml")},
        retention={"article_text_days": None, "outbox_days": None},
    )
    clock = FakeClock(START)
    m = open_monitor(config_file, clock)
    pipeline.run_cycle(m)
    clock.advance(3650 * DAY)
    assert pipeline.prune(m) == pipeline.PruneReport(0, 0)
    with m.store.transaction() as s:
        assert list(s.scalars(select(ArticleRow.text))) == [QUIET_ITEM["description"]]


def test_an_unjudged_article_keeps_its_text(
    tmp_path: Path,
    feed_server: FeedServer,
    open_monitor: Callable[..., pipeline.Monitor],
) -> None:
    feed_server.add("/pk.xml", rss([QUIET_ITEM]))
    config_file = write_watchlist(
        tmp_path, {"PK": feed_server.url("/pk.xml")}, retention={"article_text_days": 1}
    )
    clock = FakeClock(START)
    m = open_monitor(config_file, clock)
    pipeline.poll(m)  # stored, not judged yet (a judge backlog)
    clock.advance(5 * DAY)
    assert pipeline.prune(m).articles_blanked == 0
    [article] = m.store.unjudged_articles(1)
    assert article.text


def test_the_daemon_prunes_daily(tmp_path: Path, open_monitor: Callable[..., object]) -> None:
    config_file = write_watchlist(tmp_path, {})
    m = open_monitor(config_file, FakeClock(START))
    assert isinstance(m, pipeline.Monitor)
    sched = daemon.build_scheduler(m)
    job = sched.get_job("prune")
    assert job is not None and job.coalesce and job.max_instances == 1
    first = job.trigger.get_next_fire_time(None, START)
    second = job.trigger.get_next_fire_time(first, first)
    assert (second - first).total_seconds() == DAY


def test_rejudge_leaves_articles_whose_text_was_pruned(
    tmp_path: Path,
    feed_server: FeedServer,
    database_url: str,
    open_monitor: Callable[..., pipeline.Monitor],
) -> None:
    """Judged again on its headline alone, a pruned article would lose the evidence its
    text gave (and send a RETRACTED alert): `rejudge` leaves it as it was."""
    feed_server.add("/pk.xml", rss([BREACH_ITEM, QUIET_ITEM]))
    config_file = write_watchlist(
        tmp_path,
        {"PK": feed_server.url("/pk.xml")},
        database_url=database_url,
        retention={"article_text_days": 30},
    )
    clock = FakeClock(START)
    m = open_monitor(config_file, clock)
    pipeline.run_cycle(m)
    before = [(e.article_id, e.label, e.score) for e in m.store.evidence_for("ceasefire")]
    status = m.store.commitment_states()["ceasefire"].status
    assert before
    clock.advance(31 * DAY)
    assert pipeline.prune(m).articles_blanked == 2
    report = oversight.rejudge(m)
    assert report.articles == 0 and report.pruned == 2 and report.changes == []
    assert [(e.article_id, e.label, e.score) for e in m.store.evidence_for("ceasefire")] == before
    assert m.store.commitment_states()["ceasefire"].status == status
    assert not [o for o in m.store.outbox(limit=100) if o.key.startswith("retracted:")]
