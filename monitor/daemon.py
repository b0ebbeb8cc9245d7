"""The daemon: APScheduler 3.11 jobs that call pipeline stages, and signal handling.

Jobs (fixed ids, ``coalesce=True``, ``max_instances=1``):

- ``cycle``: poll the due feeds, judge, assess, alert (every ``tick_seconds``); when it
  queued messages it wakes ``deliver`` at once;
- ``deliver``: send the outbox (every ``deliver_seconds``, and when woken).  It runs in
  its own thread, apart from the cycle, and every send is cut off at its channel's
  deadline: a stuck mail server or webhook never holds up polling;
- ``digest``: the digest, on the watchlist's cron schedule and time zone;
- ``prune``: the watchlist's retention, once a day (first a minute after start).

The database, not the scheduler, knows which feed is due, so the cycle tick can be
short and several daemons can share one PostgreSQL database.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import FrameType
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor import pipeline
from monitor.errors import DatabaseLostError, MonitorError
from monitor.logs import get_logger
from monitor.pipeline import Monitor

log = get_logger()


def digest_trigger(m: Monitor) -> CronTrigger:
    d = m.config.file.digest
    return CronTrigger.from_crontab(d.schedule, timezone=ZoneInfo(d.timezone))


def digest_key(fire_at: datetime) -> str:
    return f"digest:{fire_at.astimezone(UTC):%Y-%m-%dT%H:%MZ}"


def _guarded(name: str, m: Monitor, fn: object) -> None:
    """Run one job; a MonitorError is logged and the daemon carries on.  Anything else is
    a bug: logged as critical with its traceback, and the daemon carries on too."""
    try:
        assert callable(fn)
        fn()
    except DatabaseLostError as e:  # writing on would be lost: stop (run_forever raises it)
        log.critical("database_lost", job=name, error=str(e))
        m.stop.set()
    except MonitorError as e:
        log.error("job_failed", job=name, error=str(e))
    except Exception:
        log.critical("job_crashed", job=name, exc_info=True)


def cycle_job(m: Monitor, wake_delivery: Callable[[], None] | None = None) -> None:
    def run() -> None:
        report = pipeline.run_cycle(m, deliver=False)
        if report.queued and wake_delivery is not None:
            wake_delivery()

    _guarded("cycle", m, run)


def deliver_job(m: Monitor) -> None:
    _guarded("deliver", m, lambda: pipeline.deliver_pending(m))


def prune_job(m: Monitor) -> None:
    _guarded("prune", m, lambda: pipeline.prune(m))


def digest_job(m: Monitor, wake_delivery: Callable[[], None] | None = None) -> None:
    fire_at = m.clock.now().replace(second=0, microsecond=0)

    def run() -> None:
        if pipeline.digest(m, key=digest_key(fire_at)) and wake_delivery is not None:
            wake_delivery()

    _guarded("digest", m, run)


def catch_up_digest(m: Monitor) -> bool:
    """If a scheduled digest fell due while the daemon was down, make it now (once)."""
    last = m.store.last_digest_end()
    if last is None or not m.config.file.digest.enabled:
        return False
    due = digest_trigger(m).get_next_fire_time(None, last)
    if due is None or due > m.clock.now():
        return False
    return pipeline.digest(m, key=digest_key(due))


def build_scheduler(
    m: Monitor, *, tick_seconds: float = 60, deliver_seconds: float = 30
) -> BlockingScheduler:
    sched = BlockingScheduler(timezone=UTC)
    once = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 600, "args": [m]}

    def wake_delivery() -> None:
        """Run the deliver job now (if it is running already, its next tick sends)."""
        if sched.running:
            sched.modify_job("deliver", next_run_time=datetime.now(UTC))

    sched.add_job(
        cycle_job,
        IntervalTrigger(seconds=tick_seconds, timezone=UTC),
        kwargs={"wake_delivery": wake_delivery},
        id="cycle",
        name="poll, judge, alert",
        next_run_time=m.clock.now(),
        **once,
    )
    sched.add_job(
        deliver_job,
        IntervalTrigger(seconds=deliver_seconds, timezone=UTC),
        id="deliver",
        name="deliver the outbox",
        next_run_time=m.clock.now(),  # what a previous run left queued goes out at start
        **once,
    )
    sched.add_job(
        prune_job,
        IntervalTrigger(hours=24, timezone=UTC),
        id="prune",
        name="retention",
        next_run_time=m.clock.now() + timedelta(minutes=1),
        **once,
    )
    if m.config.file.digest.enabled:
        sched.add_job(
            digest_job,
            digest_trigger(m),
            id="digest",
            name="digest",
            kwargs={"wake_delivery": wake_delivery},
            **once,
        )
    return sched


def run_forever(m: Monitor, *, tick_seconds: float = 60, deliver_seconds: float = 30) -> None:
    """Run until SIGINT or SIGTERM.  A signal stops new work; stages in flight finish their
    current unit of work (each is one transaction), so nothing is lost."""
    sched = build_scheduler(m, tick_seconds=tick_seconds, deliver_seconds=deliver_seconds)

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("stopping", signal=signal.Signals(signum).name)
        m.stop.set()
        if sched.running:
            sched.shutdown(wait=False)

    def stop_when_asked(_event: object) -> None:  # a job that set m.stop ends the daemon
        if m.stop.is_set() and sched.running:
            sched.shutdown(wait=False)

    sched.add_listener(stop_when_asked, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    old = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        _guarded("digest-catch-up", m, lambda: catch_up_digest(m))
        log.info("daemon_started", feeds=len(m.config.feeds), commitments=len(m.config.commitments))
        if not m.stop.is_set():
            sched.start()
        m.store.check_database()  # the database file lost: leave with its error
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        log.info("daemon_stopped")
