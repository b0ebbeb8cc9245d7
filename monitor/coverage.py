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
