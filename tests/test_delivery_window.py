"""The window in which a crash sends a message twice: from the SMTP server's acceptance of a
message (its 250 after DATA) to the commit that records it as sent.  Measured (printed as a
figure, never asserted on time) while a poll cycle writes to the same SQLite database, as
in the daemon, where the cycle and the delivery run in threads side by side."""

from __future__ import annotations

import contextlib
import email
import email.policy
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from monitor import pipeline
from monitor.clock import FakeClock
from monitor.config import load_config
from monitor.db import make_engine, upgrade
from monitor.store import NewOutboxItem, Store
from tests.feedserver import FeedServer
from tests.helpers import QUIET_ITEM, rss, write_watchlist
from tests.smtpserver import ReceivedMessage, SmtpServer

SENDS = 40


def _items(n: int, start: int = 0) -> list[dict[str, str]]:
    return [
        {
            **QUIET_ITEM,
            "guid": f"q-{i}",
            "link": f"https://pk-news.example/q/{i}",
            "title": f"Karachi market report number {i}",
            "description": f"Shares closed higher for the {i}th session. " * 20,
        }
        for i in range(start, start + n)
    ]


def test_acceptance_to_record_window_while_a_cycle_writes(
    tmp_path: Path,
    feed_server: FeedServer,
    smtp_server: SmtpServer,
    clock: FakeClock,
    figures: Callable[[str], None],
    database_url: str,
) -> None:
    feeds = {f"F{i}": feed_server.url(f"/f{i}.xml") for i in range(4)}
    for i in range(4):
        feed_server.add(f"/f{i}.xml", rss(_items(30, 1000 * i)))
    config_file = write_watchlist(
        tmp_path,
        feeds,
        database_url=database_url,
        outbox=False,
        smtp={
            "host": smtp_server.host,
            "port": smtp_server.port,
            "security": "none",
            "timeout_seconds": 2,
            "sender": "monitor@example.org",
            "recipients": ["desk@example.org"],
        },
    )
    config = load_config(str(config_file), env={})
    upgrade(config.database_url)
    m = pipeline.Monitor(config, Store(make_engine(config.database_url)), clock)
    pipeline.sync(m)
    received: dict[str, float] = {}
    recorded: dict[int, float] = {}
    stop = threading.Event()
    cycles = 0

    def on_message(msg: ReceivedMessage) -> None:
        parsed = email.message_from_bytes(msg.data, policy=email.policy.default)
        received[str(parsed["Message-ID"])] = time.perf_counter()

    def poll_forever() -> None:
        nonlocal cycles
        n = 0
        while not stop.is_set():
            n += 1
            for i in range(4):  # new articles every cycle: the cycle writes
                feed_server.add(f"/f{i}.xml", rss(_items(30, 1000 * i + 30 * n)))
            clock.advance(3600)
            pipeline.run_cycle(m, deliver=False)
            cycles += 1

    sent_recorder = m.store.sent_recorder

    def timed_recorder(item_id: int, *args: Any) -> Any:
        record = sent_recorder(item_id, *args)

        class Timed:
            def __call__(self, *a: Any) -> bool:
                done = record(*a)
                recorded[item_id] = time.perf_counter()
                return done

            def close(self) -> None:
                record.close()

        return Timed()

    items = [
        NewOutboxItem(
            f"alert:{n}:smtp",
            "smtp",
            "alert",
            "S",
            f"<w{n}@x>",
            f"Subject: S\r\nMessage-ID: <w{n}@x>\r\n\r\nhi\r\n".encode(),
        )
        for n in range(SENDS)
    ]
    poller = threading.Thread(target=poll_forever, daemon=True)
    try:
        smtp_server.handler.on_message = on_message
        m.store.sent_recorder = timed_recorder  # type: ignore[method-assign]
        poller.start()
        sent = 0
        for item in items:  # one message at a time, spread over the cycles
            m.store.enqueue_alerts([item], alerted=[], suppressed={}, now=clock.now())
            sent += pipeline.deliver_pending(m).sent
            time.sleep(0.05)
        assert sent == SENDS
        stop.set()
        poller.join(timeout=60)
        rows = {o.message_id: o.id for o in m.store.outbox(limit=1000) if o.channel == "smtp"}
        windows = sorted(recorded[rows[mid]] - at for mid, at in received.items() if mid in rows)
        assert len(windows) >= SENDS and all(w > 0 for w in windows)
        assert cycles >= 1
        figures(
            f"acceptance-to-record window while a cycle writes ({m.store.engine.dialect.name}, "
            f"in-process, noisy "
            f"machine, {cycles} cycles): median {1000 * windows[len(windows) // 2]:.1f} ms, "
            f"90th {1000 * windows[int(len(windows) * 0.9)]:.1f} ms, "
            f"max {1000 * windows[-1]:.1f} ms over {len(windows)} sends"
        )
    finally:
        stop.set()
        m.store.close()


# --- the recorder itself: the same effect as mark_sent ----------------------------------


def _grouped(n: int) -> list[NewOutboxItem]:
    group = NewOutboxItem("alerts:g:smtp", "smtp", "alerts", "G", "<g@x>", b"Subject: G\r\n\r\ng")
    return [group] + [
        NewOutboxItem(f"alert:{i}:smtp", "smtp", "alert", "S", f"<a{i}@x>", b"x", "alerts:g:smtp")
        for i in range(n)
    ]


def test_the_sent_recorder_marks_the_message_and_its_group_only_for_the_claims_holder(
    database_url: str, clock: FakeClock
) -> None:
    upgrade(database_url)
    store = Store(make_engine(database_url))
    try:
        now = clock.now()
        store.enqueue_alerts(_grouped(2), alerted=[], suppressed={}, now=now)
        [group] = store.due_outbox(now)
        stale = store.claim_outbox(group.id, now, timedelta(0))
        token = store.claim_outbox(group.id, now, timedelta(minutes=5))
        assert stale is not None and token is not None
        with contextlib.closing(store.sent_recorder(group.id, group.key, stale)) as record:
            assert record(now, None) is False  # the lease moved on: nothing recorded
        assert all(o.sent_at is None for o in store.outbox())
        with contextlib.closing(store.sent_recorder(group.id, group.key, token)) as record:
            assert record(now, "x@y: 550 no") is True
        rows = store.outbox()
        assert len(rows) == 3 and all(o.sent_at == now for o in rows)
        [row] = [o for o in rows if o.id == group.id]
        assert row.refused == "x@y: 550 no"
        with contextlib.closing(store.sent_recorder(group.id, group.key, token)) as record:
            assert record(now, None) is False  # once
    finally:
        store.close()


def test_the_sent_recorder_waits_for_another_writer_and_restores_the_busy_timeout(
    sqlite_url: str, clock: FakeClock
) -> None:
    upgrade(sqlite_url)
    store = Store(make_engine(sqlite_url))
    try:
        now = clock.now()
        store.enqueue_alerts(_grouped(1)[:1], alerted=[], suppressed={}, now=now)
        [item] = store.due_outbox(now)
        token = store.claim_outbox(item.id, now, timedelta(minutes=5))
        assert token is not None
        database = sqlite_url.removeprefix("sqlite:///")
        other = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")  # another writer holds the lock for a while
        release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
        release.start()
        record = store.sent_recorder(item.id, item.key, token)
        try:
            assert record(now, None) is True
        finally:
            record.close()
            # the timer's execute() may still be returning after the lock is free: closing
            # the connection under it crashed the interpreter (sqlite3 is not safe for that)
            release.join()
            other.close()
        [row] = store.outbox()
        assert row.sent_at == now
        # the pooled connection went back with its busy timeout, not with none
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    finally:
        store.close()
