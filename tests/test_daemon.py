"""The daemon: scheduler wiring, clean stop on SIGTERM, and SIGKILL at random moments."""

from __future__ import annotations

import email
import email.policy
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from monitor import daemon, pipeline
from monitor.clock import FakeClock
from monitor.config import load_config
from monitor.db import make_engine, upgrade
from monitor.store import Store
from tests.feedserver import FeedServer, wait_until
from tests.helpers import BREACH_ITEM, QUIET_ITEM, rss, write_watchlist
from tests.smtpserver import SmtpServer


def start_daemon(config_file: Path, cwd: Path) -> subprocess.Popen[bytes]:
    """Start `monitor run`; its log goes to cwd/daemon.log."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    with open(cwd / "daemon.log", "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "monitor", "run", "--tick", "1", "--config", str(config_file)],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )


def watchlist(tmp_path: Path, feeds: FeedServer, smtp: SmtpServer) -> Path:
    feeds.add("/pk.xml", rss([BREACH_ITEM, QUIET_ITEM]), content_type="application/rss+xml")
    return write_watchlist(
        tmp_path,
        {"PK News": feeds.url("/pk.xml")},
        smtp={
            "host": smtp.host,
            "port": smtp.port,
            "security": "none",
            "timeout_seconds": 2,
            "sender": "monitor@example.org",
            "recipients": ["desk@example.org"],
        },
        # short leases, so that work a killed daemon had claimed is taken up again soon
        polling={"deadline_seconds": 2, "connect_timeout_seconds": 1, "read_timeout_seconds": 1},
    )


def test_scheduler_jobs_and_digest_trigger(
    tmp_path: Path, feed_server: FeedServer, smtp_server: SmtpServer
) -> None:
    config = load_config(str(watchlist(tmp_path, feed_server, smtp_server)), env={})
    upgrade(config.database_url)
    store = Store(make_engine(config.database_url))
    try:
        clock = FakeClock(datetime(2025, 10, 28, 9, 0, tzinfo=UTC))
        m = pipeline.Monitor(config, store, clock)
        sched = daemon.build_scheduler(m, tick_seconds=60, deliver_seconds=30)
        jobs = {j.id: j for j in sched.get_jobs()}
        assert set(jobs) == {"cycle", "deliver", "digest", "prune"}
        assert all(j.coalesce and j.max_instances == 1 for j in jobs.values())
        # 07:00 Asia/Karachi (UTC+5) is 02:00 UTC
        fire = jobs["digest"].trigger.get_next_fire_time(None, clock.now())
        assert fire.astimezone(UTC) == datetime(2025, 10, 29, 2, 0, tzinfo=UTC)
        # A digest missed while the daemon was down is made once on start.
        assert not daemon.catch_up_digest(m)  # no digest yet: nothing to catch up
        pipeline.sync(m)
        assert pipeline.digest(m, key="digest:first")
        clock.set(datetime(2025, 10, 30, 9, 0, tzinfo=UTC))
        assert daemon.catch_up_digest(m)
        assert not daemon.catch_up_digest(m)
    finally:
        store.close()


def test_daemon_alerts_then_stops_cleanly_on_sigterm(
    tmp_path: Path, feed_server: FeedServer, smtp_server: SmtpServer
) -> None:
    proc = start_daemon(watchlist(tmp_path, feed_server, smtp_server), tmp_path)
    try:
        assert wait_until(lambda: len(smtp_server.messages) >= 1, timeout=30)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        log = (tmp_path / "daemon.log").read_text()
        assert proc.returncode == 0, log
        assert "daemon_stopped" in log and "Traceback" not in log
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_sigkill_at_random_moments_loses_nothing_and_sends_once(
    tmp_path: Path, feed_server: FeedServer, smtp_server: SmtpServer
) -> None:
    config_file = watchlist(tmp_path, feed_server, smtp_server)
    rng = random.Random(20251024)
    kills = 0
    for _ in range(8):
        proc = start_daemon(config_file, tmp_path)
        time.sleep(rng.uniform(0.05, 1.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
    assert kills >= 6
    # Let it finish undisturbed: cycles until the leases of killed runs have run out and
    # everything is delivered, then one more cycle, which must change nothing.
    config = load_config(str(config_file), env={})
    store = Store(make_engine(config.database_url))

    def once() -> None:
        done = subprocess.run(
            [sys.executable, "-m", "monitor", "run", "--once", "--config", str(config_file)],
            cwd=tmp_path,
            capture_output=True,
            check=False,
            env={k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")},
        )
        assert done.returncode == 0, done.stderr.decode()

    def settled() -> bool:
        once()
        counts = store.outbox_counts()
        return store.counts()["articles"] == 2 and counts["sent"] > 0 and counts["pending"] == 0

    try:
        assert wait_until(settled, timeout=60)
        before = len(smtp_server.messages)
        once()
        assert len(smtp_server.messages) == before
        assert store.counts()["articles"] == 2
        assert store.outbox_counts()["failed"] == 0
        ids = Counter(
            email.message_from_bytes(m.data, policy=email.policy.default)["Message-ID"]
            for m in smtp_server.messages
        )
        assert ids and all(n == 1 for n in ids.values()), ids
        smtp_rows = [o for o in store.outbox() if o.channel == "smtp" and o.group_key is None]
        sent = {o.message_id for o in smtp_rows if o.sent_at is not None}
        assert sent <= set(ids)
        folder = list((tmp_path / "outbox").glob("*.eml"))
        assert len(folder) == len(
            [o for o in store.outbox() if o.channel == "outbox" and o.group_key is None]
        )
    finally:
        store.close()


def test_delivery_runs_in_its_own_job_woken_by_the_cycle(
    tmp_path: Path, feed_server: FeedServer, smtp_server: SmtpServer
) -> None:
    config = load_config(str(watchlist(tmp_path, feed_server, smtp_server)), env={})
    upgrade(config.database_url)
    store = Store(make_engine(config.database_url))
    try:
        clock = FakeClock(datetime(2025, 10, 28, 9, 0, tzinfo=UTC))
        m = pipeline.Monitor(config, store, clock)
        pipeline.sync(m)
        sched = daemon.build_scheduler(m, tick_seconds=60, deliver_seconds=30)
        jobs = {j.id: j for j in sched.get_jobs()}
        # pending mail from a previous run goes out at start, not a tick later
        assert jobs["deliver"].next_run_time == clock.now()
        assert jobs["deliver"].func is daemon.deliver_job
        # the cycle queues, then wakes the deliver job; it never sends itself
        woken: list[bool] = []
        daemon.cycle_job(m, wake_delivery=lambda: woken.append(True))
        assert woken == [True]
        assert smtp_server.messages == []
        assert all(o.attempts == 0 for o in store.outbox())
        daemon.deliver_job(m)
        assert len(smtp_server.messages) == len([o for o in store.outbox() if o.channel == "smtp"])
        assert callable(jobs["cycle"].kwargs["wake_delivery"])
    finally:
        store.close()
