"""Delivery faults: 4xx retried with growing backoff, 5xx recorded, a dropped connection
and a silent server retried; every alert goes out once when the server is back."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor import pipeline
from monitor.clock import FakeClock
from monitor.config import load_config
from monitor.db import make_engine, upgrade
from monitor.store import Store
from tests.feedserver import FeedServer
from tests.helpers import BREACH_ITEM, QUIET_ITEM, rss, write_watchlist
from tests.smtpserver import SmtpServer


def make(
    tmp_path: Path, feeds: FeedServer, host: str, port: int, clock: FakeClock
) -> pipeline.Monitor:
    feeds.add("/f.xml", rss([BREACH_ITEM, QUIET_ITEM]))
    path = write_watchlist(
        tmp_path,
        {"F": feeds.url("/f.xml")},
        outbox=False,
        smtp={
            "host": host,
            "port": port,
            "security": "none",
            "timeout_seconds": 1,
            "sender": "monitor@example.org",
            "recipients": ["desk@example.org"],
        },
    )
    config = load_config(str(path), env={})
    upgrade(config.database_url)
    m = pipeline.Monitor(config, Store(make_engine(config.database_url)), clock)
    pipeline.sync(m)
    return m


@pytest.fixture
def silent_server() -> Iterator[tuple[str, int]]:
    """A TCP server that accepts connections and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                held.append(conn)
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield "127.0.0.1", listener.getsockname()[1]
    stop.set()
    thread.join()
    for c in held:
        c.close()
    listener.close()


def message_ids(smtp: SmtpServer) -> Counter[str]:
    return Counter(
        email.message_from_bytes(m.data, policy=email.policy.default)["Message-ID"]
        for m in smtp.messages
    )


def test_4xx_retries_with_growing_backoff_then_goes_out_once(
    tmp_path: Path, feed_server: FeedServer, smtp_server: SmtpServer, clock: FakeClock
) -> None:
    smtp_server.reply_next("451 4.3.0 try later", times=4)
    m = make(tmp_path, feed_server, smtp_server.host, smtp_server.port, clock)
    try:
        report = pipeline.run_cycle(m)
        assert report.delivery.retrying == 1
        waits = []
        for _ in range(3):
            [item] = [o for o in m.store.outbox() if o.sent_at is None]
            assert item.next_attempt_at is not None and "451" in (item.last_error or "")
            waits.append(item.next_attempt_at - clock.now())
            clock.set(item.next_attempt_at)
            assert pipeline.deliver_pending(m).retrying == 1
        assert waits[0] < waits[1] < waits[2]
        [item] = [o for o in m.store.outbox() if o.sent_at is None]
        clock.set(item.next_attempt_at)  # type: ignore[arg-type]
        assert pipeline.deliver_pending(m).sent == 1
        clock.advance(86400)
        assert pipeline.deliver_pending(m).sent == 0
        assert list(message_ids(smtp_server).values()) == [1]
    finally:
        m.store.close()


def test_connection_dropped_mid_message_is_retried(
    tmp_path: Path, feed_server: FeedServer, smtp_server: SmtpServer, clock: FakeClock
) -> None:
    smtp_server.reply_next("421 4.4.2 closing connection")  # and it hangs up
    m = make(tmp_path, feed_server, smtp_server.host, smtp_server.port, clock)
    try:
        assert pipeline.run_cycle(m).delivery.retrying == 1
        clock.advance(3600)
        assert pipeline.deliver_pending(m).sent == 1
        assert list(message_ids(smtp_server).values()) == [1]
    finally:
        m.store.close()


def test_silent_server_times_out_and_is_retried(
    tmp_path: Path, feed_server: FeedServer, silent_server: tuple[str, int], clock: FakeClock
) -> None:
    host, port = silent_server
    m = make(tmp_path, feed_server, host, port, clock)
    try:
        report = pipeline.run_cycle(m)
        assert report.delivery.retrying == 1 and report.delivery.sent == 0
        [item] = m.store.outbox()
        assert item.failed_at is None and item.last_error
    finally:
        m.store.close()
