"""Coverage: the time during which the feeds were actually read.  Pure.

Silence is evidence only when someone was listening.  The rule (README "No verdict
without coverage"):

- a cycle *read the feeds* when at least one feed answered (a 200 or a 304) and no
  more than half of the feeds due in it failed; cycles in which no feed was due neither
  read nor break anything;
- a read at ``t`` covers the time back to the previous read when that read was at most
  ``max_gap`` earlier (a feed still holds what was published in between); a read after a
  longer gap covers only its own moment;
- a commitment with a deadline becomes ``overdue`` only once the covered time after its
  deadline adds up to ``grace``.  A gap in reading (the daemon stopped, every feed down)
  does not count, so it extends the wait.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class CycleRecord:
    """One poll cycle as recorded in the ``cycles`` table."""

    started_at: datetime
    ended_at: datetime | None
    feeds_due: int
    feeds_ok: int
    feeds_failed: int
    new_articles: int
    host: str = ""
    pid: int = 0
    tick_seconds: float | None = None

    @property
    def read(self) -> bool:
        """Did this cycle read the feeds (see the module's rule)?"""
        return self.feeds_ok >= 1 and 2 * self.feeds_failed <= self.feeds_due


Interval = tuple[datetime, datetime]


def covered_intervals(reads: Iterable[datetime], max_gap: timedelta) -> list[Interval]:
    """The merged stretches of time covered by reads at these moments."""
    out: list[Interval] = []
    previous: datetime | None = None
    for at in sorted(reads):
        start = previous if previous is not None and at - previous <= max_gap else at
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], at))
        else:
            out.append((start, at))
        previous = at
    return out


def covered_between(intervals: Sequence[Interval], start: datetime, end: datetime) -> timedelta:
    """How much of ``[start, end]`` the intervals cover."""
    total = timedelta(0)
    for a, b in intervals:
        lo, hi = max(a, start), min(b, end)
        if hi > lo:
            total += hi - lo
    return total


def overdue_at(
    deadline: datetime, grace: timedelta, intervals: Sequence[Interval]
) -> datetime | None:
    """The moment the covered time after ``deadline`` reaches ``grace`` (None: not yet).
    With no grace, the first covered moment at or after the deadline."""
    needed = grace
    for a, b in intervals:
        if b < deadline:
            continue
        lo = max(a, deadline)
        if b - lo >= needed:
            return lo + needed
        needed -= b - lo
    return None


@dataclass(frozen=True)
class Coverage:
    """The reads the assessment may rely on, with the rule's two durations."""

    intervals: tuple[Interval, ...]
    grace: timedelta

    @classmethod
    def from_cycles(
        cls, cycles: Iterable[CycleRecord], *, max_gap: timedelta, grace: timedelta
    ) -> Coverage:
        reads = [c.started_at for c in cycles if c.read]
        return cls(tuple(covered_intervals(reads, max_gap)), grace)

    def overdue_at(self, deadline: datetime) -> datetime | None:
        return overdue_at(deadline, self.grace, self.intervals)


@dataclass(frozen=True)
class CoverageSummary:
    """What was read, for alerts, digests and `status`: how many feeds answered in the
    last cycle that polled any, new articles and hours of reading in a period, and the
    last successful poll."""

    feeds_read: int
    feeds_due: int
    feeds_total: int
    articles: int
    read_hours: float
    period_hours: float
    last_read_at: datetime | None

    def line(self) -> str:
        last = f"{self.last_read_at:%Y-%m-%d %H:%M} UTC" if self.last_read_at else "never"
        return (
            f"{self.feeds_read} of {self.feeds_due} due feeds answered in the last poll "
            f"({self.feeds_total} feeds in all); {self.articles} new articles and "
            f"{self.read_hours:.1f} h of reading in the last {self.period_hours:.0f} h; "
            f"last successful poll {last}"
        )


def summarize(
    cycles: Sequence[CycleRecord],
    *,
    start: datetime,
    end: datetime,
    max_gap: timedelta,
    feeds_total: int,
    last_read_at: datetime | None,
) -> CoverageSummary:
    """A ``CoverageSummary`` of ``cycles`` (those that started in ``[start, end]``)."""
    polled = [c for c in cycles if c.feeds_due]
    last = polled[-1] if polled else None
    intervals = covered_intervals([c.started_at for c in cycles if c.read], max_gap)
    return CoverageSummary(
        feeds_read=last.feeds_ok if last else 0,
        feeds_due=last.feeds_due if last else 0,
        feeds_total=feeds_total,
        articles=sum(c.new_articles for c in cycles),
        read_hours=covered_between(intervals, start, end).total_seconds() / 3600,
        period_hours=(end - start).total_seconds() / 3600,
        last_read_at=last_read_at,
    )
