"""Never send twice, never lose: the delivery lease outlasts every send (each channel's
send is cut off at its deadline), ownership is decided by the database's clock and a
fencing token (two daemons with clocks minutes apart send once), a database locked right
after a send does not make the message go out again, and a stuck channel never holds up
the poll cycle."""

from __future__ import annotations

import email
import email.policy
import socket
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from monitor import daemon, pipeline
from monitor.clock import FakeClock
from monitor.config import load_config
from monitor.db import make_engine, upgrade
from monitor.deliver import SmtpChannel, WebhookChannel
from monitor.errors import DeliveryError
from monitor.store import NewOutboxItem, Store
from tests.feedserver import FeedServer, wait_until
from tests.helpers import BREACH_ITEM, QUIET_ITEM, rss, write_watchlist
from tests.slowservers import TarpitSmtpServer, TrickleHttpServer
from tests.smtpserver import ReceivedMessage, SmtpServer


@pytest.fixture
def silent_smtp() -> Iterator[tuple[str, int]]:
    """A TCP server that accepts connections and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    yield "127.0.0.1", listener.getsockname()[1]
    listener.close()


NOW_ITEM = NewOutboxItem("alert:1:smtp", "smtp", "alert", "S", "<a1@x>", b"Subject: S\r\n\r\nhi")


def watchlist(
    tmp_path: Path, feeds: FeedServer, host: str, port: int, database_url: str | None = None
) -> Path:
    feeds.add("/f.xml", rss([BREACH_ITEM, QUIET_ITEM]))
    return write_watchlist(
        tmp_path,
        {"F": feeds.url("/f.xml")},
        database_url=database_url,
        outbox=False,
        smtp={
            "host": host,
            "port": port,
            "security": "none",
            "timeout_seconds": 2,
            "sender": "monitor@example.org",
            "recipients": ["desk@example.org"],
        },
    )


def open_monitor(config_file: Path, clock: FakeClock) -> pipeline.Monitor:
    config = load_config(str(config_file), env={})
    upgrade(config.database_url)
    m = pipeline.Monitor(config, Store(make_engine(config.database_url)), clock)
    pipeline.sync(m)
    return m


def message_ids(smtp: SmtpServer) -> Counter[str]:
    return Counter(
        email.message_from_bytes(m.data, policy=email.policy.default)["Message-ID"]
        for m in smtp.messages
    )


# --- the lease and its token, at the store ---------------------------------------------


def test_a_claim_is_fenced_by_its_token(database_url: str, clock: FakeClock) -> None:
    upgrade(database_url)
    store = Store(make_engine(database_url))
    try:
        now = clock.now()
        store.enqueue_alerts([NOW_ITEM], alerted=[], suppressed={}, now=now)
        [item] = store.due_outbox(now)
        first = store.claim_outbox(item.id, now, timedelta(minutes=5))
        assert first is not None
        # held: not due, and nobody else can claim it, whatever their clock says
        later = now + timedelta(hours=3)
        assert store.due_outbox(later) == []
        assert store.claim_outbox(item.id, later, timedelta(minutes=5)) is None
        # a lease that has run out (here: at once) can be taken over, with a new token
        store.mark_retry(item.id, now, "451 later", now, first)
        stale = store.claim_outbox(item.id, now, timedelta(0))
        assert stale is not None and stale != first
        fresh = store.claim_outbox(item.id, now, timedelta(minutes=5))
        assert fresh is not None and fresh != stale
        # only the current holder records the outcome
        assert not store.mark_retry(item.id, now, "late", now, stale)
        assert not store.mark_sent(item.id, now, stale)
        assert not store.mark_failed(item.id, now, "late", first)
        assert store.mark_sent(item.id, now, fresh)
        assert not store.mark_sent(item.id, now, fresh)  # once
        [row] = store.outbox()
        assert row.sent_at == now and row.attempts == 3 and row.last_error is None
    finally:
        store.close()


# --- two daemons whose clocks disagree -------------------------------------------------


def test_two_monitors_with_clocks_minutes_apart_send_each_alert_once(
    tmp_path: Path,
    feed_server: FeedServer,
    smtp_server: SmtpServer,
    database_url: str,
    clock: FakeClock,
) -> None:
    config_file = watchlist(tmp_path, feed_server, smtp_server.host, smtp_server.port, database_url)
    a = open_monitor(config_file, clock)
    b = open_monitor(config_file, FakeClock(clock.now() + timedelta(minutes=2)))
    try:
        pipeline.run_cycle(a, deliver=False)
        queued = [o for o in a.store.outbox() if o.sent_at is None]
        assert queued, "the breach should have queued an alert"
        # A's send is slow: while the server sits on it, B (2 minutes ahead) delivers
        smtp_server.handler.reply_delay = 1.5
        result: dict[str, Any] = {}
        sender = threading.Thread(target=lambda: result.update(a=pipeline.deliver_pending(a)))
        sender.start()
        assert wait_until(lambda: smtp_server.handler.data_commands >= 1, timeout=10)
        b_report = pipeline.deliver_pending(b)
        sender.join()
        assert b_report.sent == 0
        assert result["a"].sent == len(queued)
        ids = message_ids(smtp_server)
        assert set(ids) == {o.message_id for o in queued}
        assert all(n == 1 for n in ids.values()), ids
        # and B, later still by its clock, finds nothing left to send
        b.clock.advance(3600)  # type: ignore[attr-defined]
        assert pipeline.deliver_pending(b).sent == 0
        assert len(smtp_server.messages) == len(queued)
    finally:
        a.store.close()
        b.store.close()


# --- deadlines: a slow server is cut off before the lease runs out ---------------------


def tarpit_channel(port: int) -> SmtpChannel:
    return SmtpChannel(
        "127.0.0.1",
        port,
        security="none",
        sender="monitor@example.org",
        recipients=["desk@example.org"],
        timeout=1.0,
    )


def test_smtp_greeting_a_byte_at_a_time_is_cut_off_at_the_send_deadline() -> None:
    with TarpitSmtpServer(slow_at="banner", every=0.25).running() as server:
        # each byte comes well within the per-read timeout: only a total deadline ends it
        with pytest.raises(DeliveryError) as caught:
            tarpit_channel(server.port).send(
                b"Subject: x\r\n\r\nb\r\n", key="k", message_id="<k@x>"
            )
    assert caught.value.transient
    assert "send deadline (1 s)" in str(caught.value)
    assert server.messages == 0 and server.trickled == 0


def test_smtp_acceptance_dragged_out_is_cut_off() -> None:
    with TarpitSmtpServer(slow_at="data", every=0.25).running() as server:
        # the server took the message, then drags its "250 ..." line out for a minute:
        # the send ends at the deadline (and its grace), however smtplib reads the half
        # line it got (a "250" start is an acceptance; a cut line a temporary failure)
        try:
            outcome = tarpit_channel(server.port).send(
                b"Subject: x\r\n\r\nb\r\n", key="k", message_id="<k@x>"
            )
        except DeliveryError as e:
            assert e.transient and "send deadline (1 s)" in str(e)
        else:
            assert outcome == {}
    assert server.messages == 1 and server.trickled == 0


def test_smtp_verdict_on_a_received_message_is_waited_for_once_more(
    smtp_server: SmtpServer,
) -> None:
    # the server has the whole message and takes 1.5 s to accept it: cutting it off at
    # the 1 s deadline would mean sending it again although it was accepted
    smtp_server.handler.reply_delay = 1.5
    channel = SmtpChannel(
        smtp_server.host,
        smtp_server.port,
        security="none",
        sender="monitor@example.org",
        recipients=["desk@example.org"],
        timeout=1.0,
    )
    assert channel.deadline == 2.0
    assert channel.send(b"Subject: x\r\n\r\nb\r\n", key="k", message_id="<k@x>") == {}
    assert len(smtp_server.messages) == 1


def test_webhook_answering_a_byte_at_a_time_is_cut_off_at_the_deadline() -> None:
    with TrickleHttpServer(every=0.25).running() as server:
        channel = WebhookChannel(
            f"http://127.0.0.1:{server.port}/hook", timeout=1.0, allow_private=True
        )
        payload = b"Subject: x\r\nContent-Type: text/plain\r\n\r\nbody\r\n"
        with pytest.raises(DeliveryError) as caught:
            channel.send(payload, key="k", message_id="<k@x>")
    assert caught.value.transient
    assert "send deadline (1 s)" in str(caught.value)
    # (sent once, never again; on a loaded machine the deadline may pass before the server
    # has even read the request, so it may have counted none)
    assert server.requests <= 1 and server.trickled == 0


def test_the_lease_outlasts_every_channels_deadline(
    tmp_path: Path, feed_server: FeedServer, clock: FakeClock
) -> None:
    config_file = watchlist(tmp_path, feed_server, "127.0.0.1", 25)
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(
        text.replace(
            "alerts:\n",
            "alerts:\n  webhook:\n    url: http://127.0.0.1:9/h\n    timeout_seconds: 45\n",
            1,
        ),
        encoding="utf-8",
    )
    m = open_monitor(config_file, clock)
    try:
        assert set(m.channels) == {"smtp", "webhook"}
        longest = max(channel.deadline for channel, _ in m.channels.values())
        assert longest == 45
        assert m.delivery_lease > timedelta(seconds=2 * longest)
    finally:
        m.store.close()


# --- a database locked right after the send ---------------------------------------------


def test_a_database_locked_right_after_the_send_does_not_send_again(
    tmp_path: Path, feed_server: FeedServer, smtp_server: SmtpServer, clock: FakeClock
) -> None:
    config_file = watchlist(tmp_path, feed_server, smtp_server.host, smtp_server.port)
    m = open_monitor(config_file, clock)
    # a short busy timeout stands for a lock that outlasts it (the default is 30 s; the
    # review held the lock 40 s)
    m.store.engine.dispose()
    event.listen(
        m.store.engine,
        "connect",
        lambda conn, _rec: conn.execute("PRAGMA busy_timeout=100"),
    )
    db_file = str(m.config.database_url).removeprefix("sqlite:///")
    released = threading.Event()
    locked = threading.Event()

    def hold_lock() -> None:
        other = sqlite3.connect(db_file, timeout=10, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        locked.set()
        released.wait(timeout=2.0)
        other.execute("COMMIT")
        other.close()

    def lock_on_receipt(_msg: ReceivedMessage) -> None:
        threading.Thread(target=hold_lock, daemon=True).start()
        locked.wait(timeout=10)

    try:
        pipeline.run_cycle(m, deliver=False)
        queued = [o for o in m.store.outbox() if o.sent_at is None]
        assert len(queued) == 1
        smtp_server.handler.on_message = lock_on_receipt
        report = pipeline.deliver_pending(m)
        smtp_server.handler.on_message = None
        assert report.sent == 1
        [row] = m.store.outbox()
        assert row.sent_at is not None
        clock.advance(86400)
        assert pipeline.deliver_pending(m).sent == 0
        assert len(smtp_server.messages) == 1
    finally:
        released.set()
        m.store.close()


# --- a stuck channel never holds up the poll cycle -------------------------------------


def test_the_daemons_cycle_does_not_wait_for_a_silent_mail_server(
    tmp_path: Path,
    feed_server: FeedServer,
    silent_smtp: tuple[str, int],
    clock: FakeClock,
) -> None:
    host, port = silent_smtp
    m = open_monitor(watchlist(tmp_path, feed_server, host, port), clock)
    woken: list[bool] = []
    try:
        daemon.cycle_job(m, wake_delivery=lambda: woken.append(True))
        # the cycle queued the alert and woke the delivery job, but sent nothing itself
        [item] = m.store.outbox()
        assert item.attempts == 0 and item.sent_at is None
        assert woken == [True]
        # the delivery job tries, and gives up at the deadline, to retry later
        daemon.deliver_job(m)
        [item] = m.store.outbox()
        assert item.attempts == 1 and item.sent_at is None and item.failed_at is None
        assert item.last_error is not None and "deadline" in item.last_error
    finally:
        m.store.close()


# --- a stop cuts a send in progress short ----------------------------------------------


def test_a_stop_cuts_off_a_send_to_a_silent_mail_server(silent_smtp: tuple[str, int]) -> None:
    host, port = silent_smtp
    stop = threading.Event()
    channel = SmtpChannel(
        host,
        port,
        security="none",
        sender="monitor@example.org",
        recipients=["desk@example.org"],
        timeout=60.0,
        cancel=stop,
    )
    threading.Timer(0.3, stop.set).start()
    with pytest.raises(DeliveryError) as caught:
        channel.send(b"Subject: x\r\n\r\nb\r\n", key="k", message_id="<k@x>")
    assert caught.value.transient and str(caught.value).endswith(": stopped")


def test_a_stop_cuts_off_a_webhook_in_progress() -> None:
    stop = threading.Event()
    with TrickleHttpServer(every=0.25).running() as server:
        channel = WebhookChannel(
            f"http://127.0.0.1:{server.port}/h", timeout=60.0, cancel=stop, allow_private=True
        )
        threading.Timer(0.5, stop.set).start()
        payload = b"Subject: x\r\nContent-Type: text/plain\r\n\r\nbody\r\n"
        with pytest.raises(DeliveryError) as caught:
            channel.send(payload, key="k", message_id="<k@x>")
    assert caught.value.transient and str(caught.value).endswith(": stopped")
    assert server.trickled == 0


def test_window_between_acceptance_and_record_is_measured(
    tmp_path: Path,
    feed_server: FeedServer,
    smtp_server: SmtpServer,
    clock: FakeClock,
    figures: Callable[[str], None],
) -> None:
    """The one window left: a crash after the server took a message and before the
    database recorded it sends the message again.  Measured here (not asserted)."""
    config_file = watchlist(tmp_path, feed_server, smtp_server.host, smtp_server.port)
    m = open_monitor(config_file, clock)
    received: dict[str, float] = {}
    recorded: dict[int, float] = {}

    def on_message(msg: ReceivedMessage) -> None:
        parsed = email.message_from_bytes(msg.data, policy=email.policy.default)
        received[str(parsed["Message-ID"])] = time.perf_counter()

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

    try:
        items = [
            NewOutboxItem(
                f"alert:{n}:smtp",
                "smtp",
                "alert",
                "S",
                f"<w{n}@x>",
                f"Subject: S\r\nMessage-ID: <w{n}@x>\r\n\r\nhi\r\n".encode(),
            )
            for n in range(30)
        ]
        m.store.enqueue_alerts(items, alerted=[], suppressed={}, now=clock.now())
        smtp_server.handler.on_message = on_message
        m.store.sent_recorder = timed_recorder  # type: ignore[method-assign]
        assert pipeline.deliver_pending(m).sent == 30
        rows = {o.message_id: o.id for o in m.store.outbox(limit=100)}
        windows = sorted(recorded[rows[mid]] - at for mid, at in received.items())
        assert len(windows) == 30 and all(w > 0 for w in windows)
        figures(
            f"acceptance-to-record window (SQLite, in-process, noisy machine): median "
            f"{1000 * windows[15]:.1f} ms, max {1000 * windows[-1]:.1f} ms over 30 sends"
        )
    finally:
        m.store.close()
