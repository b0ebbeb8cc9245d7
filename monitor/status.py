"""What `monitor status` says, as one JSON-ready mapping: commitments (with coverage),
feeds, the daemon's heartbeat and the deliveries that failed or wait for a retry.

The text view and ``status --json`` print the same data.  Every string that came from
a feed, a server or the watchlist's secrets passes ``Config.redact``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from monitor import cyclelog, health
from monitor.coverage import Coverage, covered_between
from monitor.models import Status
from monitor.pipeline import Monitor, coverage

#: A daemon counts as running when its last cycle started at most this many ticks ago
#: (plus a minute of slack for a long cycle).
RUNNING_TICKS = 3


def _iso(at: datetime | None) -> str | None:
    return at.isoformat().replace("+00:00", "Z") if at is not None else None


def heartbeat(m: Monitor, now: datetime) -> dict[str, Any]:
    """Is a daemon running (it recorded a cycle lately), when it last polled and when it
    will poll next."""
    last = cyclelog.last_cycle(m.store)
    last_read = cyclelog.last_cycle(m.store, read=True)
    daemon = cyclelog.last_cycle(m.store, daemon=True)
    running = False
    next_at = None
    if daemon is not None and daemon.tick_seconds:
        tick = timedelta(seconds=daemon.tick_seconds)
        running = now - daemon.started_at <= RUNNING_TICKS * tick + timedelta(minutes=1)
        if running:
            next_at = daemon.started_at + tick
            while next_at < now:
                next_at += tick
    return {
        "running": running,
        "host": daemon.host if daemon else None,
        "pid": daemon.pid if daemon else None,
        "tick_seconds": daemon.tick_seconds if daemon else None,
        "last_cycle_at": _iso(last.started_at if last else None),
        "last_successful_poll_at": _iso(last_read.started_at if last_read else None),
        "next_cycle_at": _iso(next_at),
        "cycles": cyclelog.cycle_count(m.store),
    }


def collect(m: Monitor) -> dict[str, Any]:
    """Everything `monitor status` shows."""
    now = m.clock.now()
    redact = m.config.redact
    p = m.config.file.polling
    day_ago = now - timedelta(hours=24)
    recent = cyclelog.cycles_since(m.store, day_ago)
    read_recent = [c for c in recent if c.feeds_due]
    last_due = read_recent[-1] if read_recent else None
    covered = coverage(m)
    window = Coverage.from_cycles(
        recent, max_gap=timedelta(hours=p.coverage_gap_hours), grace=covered.grace
    )
    hours_24h = covered_between(window.intervals, day_ago, now).total_seconds() / 3600
    states = m.store.commitment_states()
    commitments = []
    for c in m.config.commitments:
        st = states.get(c.id)
        status = st.status if st else Status.PENDING
        item: dict[str, Any] = {
            "id": c.id,
            "title": c.title,
            "status": str(status),
            "since": _iso(st.status_changed_at if st else None),
        }
        cov: dict[str, Any] = {"read_hours_last_24h": round(hours_24h, 2)}
        if c.deadline_at is not None:
            cov["deadline"] = _iso(c.deadline_at)
            cov["grace_hours"] = covered.grace.total_seconds() / 3600
            if now >= c.deadline_at and status in (Status.PENDING, Status.AT_RISK):
                read = covered_between(covered.intervals, c.deadline_at, now)
                cov["read_hours_since_deadline"] = round(read.total_seconds() / 3600, 2)
                cov["overdue_from"] = _iso(covered.overdue_at(c.deadline_at))
        item["coverage"] = cov
        if c.renewals:
            item["renewed"] = [
                {"at": _iso(r.at), "deadline": _iso(r.deadline), "source": r.source}
                for r in c.renewals
            ]
        if c.superseded_by is not None:
            item["superseded_by"] = c.superseded_by
            item["ended_at"] = _iso(c.ended_at)
        commitments.append(item)
    feeds = []
    for f in m.store.feeds():
        state = health.feed_health(
            f,
            now,
            failures=p.failures_before_alert,
            silent_after=timedelta(hours=p.silent_after_hours),
        )
        feeds.append(
            {
                "name": f.name,
                "url": redact(f.url),
                "health": str(state),  # failing only after failures_before_alert
                "healthy": state is health.Health.OK and f.error_count == 0,
                "last_ok_at": _iso(f.last_ok_at),
                "last_new_at": _iso(f.last_new_at),
                "next_poll_at": _iso(f.next_poll_at),
                "error_count": f.error_count,
                "last_error": redact(f.last_error) if f.last_error else None,
            }
        )
    counts = m.store.outbox_counts()
    problems = []
    for o in m.store.outbox(limit=200):
        if o.sent_at is None and o.last_error:
            problems.append(
                {
                    "channel": o.channel,
                    "subject": redact(o.subject),
                    "state": "failed" if o.failed_at else "retrying",
                    "attempts": o.attempts,
                    "next_attempt_at": None if o.failed_at else _iso(o.next_attempt_at),
                    "error": redact(o.last_error),
                }
            )
    return {
        "now": _iso(now),
        "daemon": heartbeat(m, now),
        "coverage": {
            "feeds": len(feeds),
            "feeds_due_last_cycle": last_due.feeds_due if last_due else 0,
            "feeds_read_last_cycle": last_due.feeds_ok if last_due else 0,
            "new_articles_last_24h": sum(c.new_articles for c in recent),
            "read_hours_last_24h": round(hours_24h, 2),
            # articles whose text the judge could not read, by language (headline judged only)
            "not_judged_last_24h": m.store.unread_languages(day_ago),
        },
        "commitments": commitments,
        "feeds": feeds,
        "deliveries": {
            "pending": counts["pending"],
            "sent": counts["sent"],
            "failed": counts["failed"],
            "problems": problems,
        },
    }
