"""The ``cycles`` table: record each poll cycle, and read them back for coverage, the
first-cycle health rule and the daemon's heartbeat.

Kept apart from ``store.py`` (whose queries cover articles, feeds and the outbox) but
built the same way: one transaction per call, rows never leave this module.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update

from monitor.coverage import CycleRecord
from monitor.db import CycleRow
from monitor.store import Store


def _record(row: CycleRow) -> CycleRecord:
    return CycleRecord(
        started_at=row.started_at,
        ended_at=row.ended_at,
        feeds_due=row.feeds_due,
        feeds_ok=row.feeds_ok,
        feeds_failed=row.feeds_failed,
        new_articles=row.new_articles,
        host=row.host,
        pid=row.pid,
        tick_seconds=row.tick_seconds,
    )


def record_cycle(store: Store, cycle: CycleRecord) -> int:
    """Store a cycle (once its poll is done); returns its id for ``end_cycle``."""
    with store.transaction() as s:
        row = CycleRow(
            started_at=cycle.started_at,
            ended_at=cycle.ended_at,
            feeds_due=cycle.feeds_due,
            feeds_ok=cycle.feeds_ok,
            feeds_failed=cycle.feeds_failed,
            new_articles=cycle.new_articles,
            host=cycle.host[:255],
            pid=cycle.pid,
            tick_seconds=cycle.tick_seconds,
        )
        s.add(row)
        s.flush()
        return row.id


def update_cycle(store: Store, cycle_id: int, cycle: CycleRecord) -> None:
    """Replace a recorded cycle's counts (a cycle recorded while its poll went on)."""
    with store.transaction() as s:
        s.execute(
            update(CycleRow)
            .where(CycleRow.id == cycle_id)
            .values(
                feeds_due=cycle.feeds_due,
                feeds_ok=cycle.feeds_ok,
                feeds_failed=cycle.feeds_failed,
                new_articles=cycle.new_articles,
            )
        )


def end_cycle(store: Store, cycle_id: int, ended_at: datetime) -> None:
    with store.transaction() as s:
        s.execute(update(CycleRow).where(CycleRow.id == cycle_id).values(ended_at=ended_at))


def cycles_since(store: Store, since: datetime) -> list[CycleRecord]:
    """Every cycle that started at or after ``since``, oldest first."""
    with store.transaction() as s:
        rows = s.scalars(
            select(CycleRow).where(CycleRow.started_at >= since).order_by(CycleRow.started_at)
        )
        return [_record(r) for r in rows]


def read_times_since(store: Store, since: datetime) -> list[datetime]:
    """When each cycle that read the feeds (``CycleRecord.read``) started, oldest first:
    one column of the few cycles that polled anything, for the coverage rule."""
    with store.transaction() as s:
        return list(
            s.scalars(
                select(CycleRow.started_at)
                .where(
                    CycleRow.started_at >= since,
                    CycleRow.feeds_ok >= 1,
                    2 * CycleRow.feeds_failed <= CycleRow.feeds_due,
                )
                .order_by(CycleRow.started_at)
            )
        )


def last_cycle(store: Store, *, read: bool = False, daemon: bool = False) -> CycleRecord | None:
    """The latest cycle; with ``read``, the latest in which a feed answered; with
    ``daemon``, the latest a daemon ran (not a `run --once`)."""
    with store.transaction() as s:
        q = select(CycleRow).order_by(CycleRow.started_at.desc(), CycleRow.id.desc()).limit(1)
        if read:
            q = q.where(CycleRow.feeds_ok > 0)
        if daemon:
            q = q.where(CycleRow.tick_seconds.is_not(None))
        row = s.scalars(q).first()
        return _record(row) if row is not None else None


def cycle_count(store: Store) -> int:
    with store.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(CycleRow)) or 0)


def prune_cycles(store: Store, before: datetime) -> int:
    """Delete cycles that started before ``before``, keeping the newest one whatever its age
    (the heartbeat and the last read).  Returns how many went."""
    with store.transaction() as s:
        newest = s.scalar(select(func.max(CycleRow.id)))
        if newest is None:
            return 0
        result = s.execute(
            delete(CycleRow).where(CycleRow.started_at < before, CycleRow.id != newest)
        )
        return int(getattr(result, "rowcount", 0) or 0)
