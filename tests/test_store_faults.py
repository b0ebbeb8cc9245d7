"""Storage faults are loud and startup is serialised (issue 10): two first starts at once on
one database, the SQLite file removed or replaced under a running monitor, a clock stepped
back."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect

from monitor import pipeline
from monitor.clock import FakeClock
from monitor.db import make_engine, upgrade
from monitor.errors import DatabaseLostError
from monitor.store import FeedSpec, Store
from tests.feedserver import FeedServer, wait_until
from tests.helpers import BREACH_ITEM, QUIET_ITEM, rss, write_watchlist

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2025, 10, 28, 9, 0, tzinfo=UTC)
UPGRADE = "import sys; from monitor.db import upgrade; upgrade(sys.argv[1])"


@pytest.mark.parametrize("starts", [4])
def test_first_starts_at_once_serialise_the_schema_upgrade(database_url: str, starts: int) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", UPGRADE, database_url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(starts)
    ]
    outcomes = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    for p in procs:
        for stream in (p.stdout, p.stderr):
            if stream is not None:
                stream.close()
    failed = [err for rc, err in outcomes if rc != 0]
    assert failed == [], failed[0][-2000:] if failed else ""
    engine = make_engine(database_url)
    try:
        assert {"articles", "feeds", "alembic_version"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


# --- the SQLite file removed or replaced under a running monitor ----------------------------


def _sqlite_monitor(
    tmp_path: Path, feed_server: FeedServer, open_monitor: Callable[..., pipeline.Monitor]
) -> tuple[pipeline.Monitor, Path]:
    feed_server.add("/pk.xml", rss([QUIET_ITEM]))
    config_file = write_watchlist(tmp_path, {"PK": feed_server.url("/pk.xml")})
    m = open_monitor(config_file, FakeClock(NOW))
    assert pipeline.run_cycle(m).poll.new_articles == 1
    return m, tmp_path / "monitor.db"


def _remove(database: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def test_a_removed_sqlite_file_stops_the_cycle_with_a_clear_error(
    tmp_path: Path, feed_server: FeedServer, open_monitor: Callable[..., pipeline.Monitor]
) -> None:
    m, database = _sqlite_monitor(tmp_path, feed_server, open_monitor)
    _remove(database)
    with pytest.raises(DatabaseLostError, match="removed while the monitor ran") as caught:
        pipeline.run_cycle(m)
    assert str(database) in str(caught.value)
    assert not database.exists()  # nothing was written to a new, empty file either


def test_a_replaced_sqlite_file_stops_the_cycle(
    tmp_path: Path, feed_server: FeedServer, open_monitor: Callable[..., pipeline.Monitor]
) -> None:
    m, database = _sqlite_monitor(tmp_path, feed_server, open_monitor)
    other = tmp_path / "restored.db"
    upgrade(f"sqlite:///{other}")
    _remove(database)
    other.rename(database)  # a restore from backup, or a reset, under the running monitor
    with pytest.raises(DatabaseLostError, match="replaced by another file"):
        m.store.feeds()


def test_the_daemon_stops_when_its_sqlite_file_is_removed(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.add("/pk.xml", rss([QUIET_ITEM]))
    config_file = write_watchlist(tmp_path, {"PK": feed_server.url("/pk.xml")})
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    log = tmp_path / "daemon.log"
    with log.open("ab") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "monitor", "run", "--tick", "1", "--config", str(config_file)],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        assert wait_until(lambda: len(feed_server.requests_for("/pk.xml")) >= 1, timeout=30)
        _remove(tmp_path / "monitor.db")
        proc.wait(timeout=30)
        text = log.read_text()
        assert proc.returncode == 1, text
        assert "database_lost" in text and "removed while the monitor ran" in text
        assert "Traceback" not in text
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# --- a clock stepped back ----------------------------------------------------------------


def test_a_clock_stepped_back_an_hour_does_not_stall_polling(
    tmp_path: Path,
    feed_server: FeedServer,
    database_url: str,
    open_monitor: Callable[..., pipeline.Monitor],
) -> None:
    feed_server.add("/a.xml", rss([QUIET_ITEM]))
    feed_server.add("/b.xml", rss([BREACH_ITEM]))
    config_file = write_watchlist(
        tmp_path,
        {"A": feed_server.url("/a.xml"), "B": feed_server.url("/b.xml")},
        database_url=database_url,
    )
    clock = FakeClock(NOW)
    m = open_monitor(config_file, clock)
    assert pipeline.run_cycle(m).poll.polled == 2
    clock.set(NOW - timedelta(hours=1))  # NTP steps the clock back
    again = pipeline.run_cycle(m)
    assert again.poll.polled == 2 and again.poll.errors == {}
    # polled once on the stepped-back clock, then on its schedule again, not every tick
    assert pipeline.run_cycle(m).poll.polled == 0
    clock.advance(16 * 60)
    assert pipeline.run_cycle(m).poll.polled == 2


def test_claims_under_a_clock_stepped_back_stay_leased_and_skew_is_tolerated(
    database_url: str,
) -> None:
    upgrade(database_url)
    store = Store(make_engine(database_url))
    try:
        store.sync_watchlist([FeedSpec("A", "http://a.example/f", 900)], [], NOW)
        [feed] = store.claim_due_feeds(NOW, timedelta(minutes=2))
        store.save_entries(
            feed,
            [],
            now=NOW,
            status=304,
            etag=None,
            last_modified=None,
            next_poll_at=NOW + timedelta(minutes=15),
        )
        # another daemon whose clock is 2 minutes behind: not due (no double poll)
        assert store.claim_due_feeds(NOW - timedelta(minutes=2), timedelta(minutes=2)) == []
        back = NOW - timedelta(hours=1)
        assert [f.name for f in store.claim_due_feeds(back, timedelta(minutes=2))] == ["A"]
        assert store.claim_due_feeds(back, timedelta(minutes=2)) == []  # leased, not re-due
        # a feed synced (created) before the step and never polled is due too
        store.sync_watchlist(
            [FeedSpec("A", "http://a.example/f", 900), FeedSpec("B", "http://b.example/f", 900)],
            [],
            NOW,
        )
        assert [f.name for f in store.claim_due_feeds(back, timedelta(minutes=2))] == ["B"]
    finally:
        store.close()


def test_a_store_opened_before_its_sqlite_file_exists_works(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/later.db"
    store = Store(make_engine(url))
    try:
        assert not (tmp_path / "later.db").exists()
        upgrade(url)  # another connection makes the file
        assert store.feeds() == []  # not "lost": the file this store first sees
        (tmp_path / "later.db").unlink()
        with pytest.raises(DatabaseLostError):
            store.feeds()
    finally:
        store.close()
