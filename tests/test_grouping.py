"""Several alerts in one cycle reach each channel as one message (one Message-ID), while
each alert keeps its own outbox row, marked sent with the group: nothing is sent twice."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

from monitor import pipeline
from monitor.clock import FakeClock
from monitor.config import load_config
from monitor.db import make_engine, upgrade
from monitor.store import Store
from tests.feedserver import FeedServer
from tests.helpers import BREACH_ITEM, QUIET_ITEM, rss, write_watchlist
from tests.smtpserver import SmtpServer
from tests.test_crash import MET_ITEM


def test_alerts_of_one_cycle_are_grouped_per_channel_and_recorded_per_alert(
    tmp_path: Path,
    feed_server: FeedServer,
    smtp_server: SmtpServer,
    database_url: str,
    clock: FakeClock,
) -> None:
    feed_server.add("/f.xml", rss([BREACH_ITEM, MET_ITEM, QUIET_ITEM]))
    path = write_watchlist(
        tmp_path,
        {"F": feed_server.url("/f.xml")},
        database_url=database_url,
        smtp={
            "host": smtp_server.host,
            "port": smtp_server.port,
            "security": "none",
            "timeout_seconds": 5,
            "sender": "monitor@example.org",
            "recipients": ["desk@example.org"],
        },
    )
    config = load_config(str(path), env={})
    upgrade(config.database_url)
    m = pipeline.Monitor(config, Store(make_engine(config.database_url)), clock)
    try:
        pipeline.sync(m)
        report = pipeline.run_cycle(m)
        rows = m.store.outbox(limit=100)
        members = [o for o in rows if o.group_key is not None]
        groups = [o for o in rows if o.kind == "alerts"]
        assert {o.channel for o in groups} == {"smtp", "outbox"}
        alert_ids = {o.key.split(":")[1] for o in members}
        assert len(alert_ids) >= 2, "the breach and the met report should both alert"
        assert {o.group_key for o in members} == {o.key for o in groups}
        assert report.delivery.sent == len(groups) == 2  # one message per channel
        assert all(o.sent_at is not None for o in rows)
        # one mail, one Message-ID, every alert in it
        [mail] = smtp_server.messages
        parsed = email.message_from_bytes(mail.data, policy=email.policy.default)
        [smtp_group] = [o for o in groups if o.channel == "smtp"]
        assert parsed["Message-ID"] == smtp_group.message_id
        assert parsed["Subject"].startswith(f"[monitor] {len(alert_ids)} changes: ")
        body = parsed.get_body(("plain",))
        assert body is not None
        text = body.get_content()
        for commitment in {c for c in m.commitments.values()}:
            if any(o.subject.endswith(commitment.title[:40]) for o in members):
                assert commitment.id in text
        assert text.count("==== ") == len(alert_ids)
        # the members' own messages are kept, never sent on their own
        assert m.store.due_outbox(clock.now()) == []
        files = list((tmp_path / "outbox").glob("*.eml"))
        assert len(files) == 1
        clock.advance(3600)  # (within repeat_interval_hours: a reminder would be a new alert)
        assert pipeline.run_cycle(m).delivery.sent == 0
        assert len(smtp_server.messages) == 1
    finally:
        m.store.close()


def test_grouping_can_be_turned_off(
    tmp_path: Path, feed_server: FeedServer, smtp_server: SmtpServer, clock: FakeClock
) -> None:
    feed_server.add("/f.xml", rss([BREACH_ITEM, MET_ITEM, QUIET_ITEM]))
    path = write_watchlist(
        tmp_path,
        {"F": feed_server.url("/f.xml")},
        outbox=False,
        smtp={
            "host": smtp_server.host,
            "port": smtp_server.port,
            "security": "none",
            "sender": "monitor@example.org",
            "recipients": ["desk@example.org"],
        },
    )
    path.write_text(
        path.read_text(encoding="utf-8").replace("alerts:\n", "alerts:\n  group: false\n", 1),
        encoding="utf-8",
    )
    config = load_config(str(path), env={})
    upgrade(config.database_url)
    m = pipeline.Monitor(config, Store(make_engine(config.database_url)), clock)
    try:
        pipeline.sync(m)
        report = pipeline.run_cycle(m)
        rows = m.store.outbox()
        assert len(rows) >= 2 and all(o.kind == "alert" and o.group_key is None for o in rows)
        assert report.delivery.sent == len(rows) == len(smtp_server.messages)
    finally:
        m.store.close()


def _health_monitor(
    tmp_path: Path, feed_server: FeedServer, smtp_server: SmtpServer, clock: FakeClock, group: bool
) -> pipeline.Monitor:
    for i in range(3):
        feed_server.add(f"/down{i}.xml", b"down", status=503, content_type="text/plain")
    path = write_watchlist(
        tmp_path,
        {f"Down {i}": feed_server.url(f"/down{i}.xml") for i in range(3)},
        smtp={
            "host": smtp_server.host,
            "port": smtp_server.port,
            "security": "none",
            "timeout_seconds": 5,
            "sender": "monitor@example.org",
            "recipients": ["desk@example.org"],
        },
    )
    if not group:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("alerts:\n", "alerts:\n  group: false\n", 1), encoding="utf-8")
    config = load_config(str(path), env={})
    upgrade(config.database_url)
    m = pipeline.Monitor(config, Store(make_engine(config.database_url)), clock)
    pipeline.sync(m)
    return m


def test_feeds_failing_in_one_cycle_make_one_health_alert_per_channel(
    tmp_path: Path, feed_server: FeedServer, smtp_server: SmtpServer, clock: FakeClock
) -> None:
    """A first start with every feed down sends one FAILING alert naming them all, not one
    per feed; each feed's event keeps its own row, marked sent with the group."""
    m = _health_monitor(tmp_path, feed_server, smtp_server, clock, group=True)
    try:
        report = pipeline.run_cycle(m)
        rows = m.store.outbox(limit=100)
        groups = [o for o in rows if o.kind == "healths"]
        members = [o for o in rows if o.kind == "health"]
        assert {o.channel for o in groups} == {"smtp", "outbox"}
        assert len(members) == 3 * 2 and {o.group_key for o in members} == {o.key for o in groups}
        assert report.delivery.sent == 2 and all(o.sent_at is not None for o in rows)
        [mail] = smtp_server.messages
        parsed = email.message_from_bytes(mail.data, policy=email.policy.default)
        assert parsed["Subject"].startswith("[monitor] 3 feeds: FAILING: Down 0, Down 1, Down 2")
        body = parsed.get_body(("plain",))
        assert body is not None and body.get_content().count("==== ") == 3
        assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
        # the feeds come back: one "recovered" message for them all
        for i in range(3):
            feed_server.add(f"/down{i}.xml", rss([QUIET_ITEM]))
        clock.advance(3600)
        assert pipeline.run_cycle(m).delivery.sent == 2
        recovered = email.message_from_bytes(
            smtp_server.messages[-1].data, policy=email.policy.default
        )
        assert recovered["Subject"].startswith("[monitor] 3 feeds: recovered: Down 0")
        clock.advance(3600)
        assert pipeline.run_cycle(m).delivery.sent == 0  # nothing sent twice
        assert len(smtp_server.messages) == 2
    finally:
        m.store.close()


def test_health_alerts_one_per_feed_when_grouping_is_off(
    tmp_path: Path, feed_server: FeedServer, smtp_server: SmtpServer, clock: FakeClock
) -> None:
    m = _health_monitor(tmp_path, feed_server, smtp_server, clock, group=False)
    try:
        pipeline.run_cycle(m)
        rows = m.store.outbox(limit=100)
        assert all(o.kind == "health" and o.group_key is None for o in rows)
        assert len(smtp_server.messages) == 3
    finally:
        m.store.close()
