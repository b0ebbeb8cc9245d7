"""Evidence + prior status + ``now`` → status changes.  Pure.

Status rules (DESIGN.md "Commitments"):

- breach evidence at or above ``at_risk_score`` makes a commitment ``at risk``;
  one report at or above ``breach_strong_score``, or breach reports from
  ``corroborating_sources`` independent sources, make it ``breached``;
- met evidence at or above ``met_score`` makes it ``met``;
- past its deadline with no met evidence it is ``overdue``; given a ``Coverage``, only
  once the feeds were read for the grace period after the deadline (``coverage.py``);
  an overdue commitment whose deadline was renewed past ``now`` is open again
  (``pending``, or ``at risk`` with breach reports), and one superseded before its
  deadline never becomes overdue.

An ongoing pledge (a ceasefire) that was met can still be put at risk or
breached later; a one-off (talks in a window) stays met.  ``breached`` is
final for an ongoing pledge; a one-off that was reported failed can still be
met later (the talks resumed and agreed).

Syndicated copies of one story count as one source: evidence items are one
source when they share a publisher or their texts are near-duplicates
(SimHash within ``duplicate_distance`` bits).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from monitor.coverage import Coverage
from monitor.models import Commitment, Evidence, Label, Status, StatusChange


@dataclass(frozen=True)
class Thresholds:
    breach_strong_score: float = 0.9
    corroborating_sources: int = 2
    at_risk_score: float = 0.4
    met_score: float = 0.6
    duplicate_distance: int = 12


def hamming64(a: int, b: int) -> int:
    return ((a ^ b) & 0xFFFFFFFFFFFFFFFF).bit_count()


def independent_sources(evidence: Sequence[Evidence], duplicate_distance: int) -> int:
    """How many independent sources the evidence comes from (union-find over
    same publisher or near-duplicate text)."""
    parent = list(range(len(evidence)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(evidence):
        for j in range(i):
            b = evidence[j]
            same_story = bool(a.fingerprint and b.fingerprint) and (
                hamming64(a.fingerprint, b.fingerprint) <= duplicate_distance
            )
            if a.source.lower() == b.source.lower() or same_story:
                parent[find(i)] = find(j)
    return len({find(i) for i in range(len(evidence))})


def _when(e: Evidence) -> datetime:
    return e.published_at or e.created_at


def assess_commitment(
    commitment: Commitment,
    status: Status,
    history: Sequence[Evidence],
    new: Sequence[Evidence],
    now: datetime,
    thresholds: Thresholds,
    coverage: Coverage | None = None,
) -> list[StatusChange]:
    """The status changes that ``new`` evidence (and the passing of time) cause.

    ``history`` is the commitment's evidence already assessed; ``new`` is the
    evidence not yet assessed.  Evidence is taken in time order.
    """
    changes: list[StatusChange] = []
    current = status

    def counts(x: Evidence) -> bool:
        return x.label is Label.BREACH and x.score >= thresholds.at_risk_score

    # Breach reports that count towards corroboration; a "met" starts the pool afresh.
    pool = [] if status is Status.MET else [x for x in history if counts(x)]

    def move(to: Status, reason: str, ids: tuple[int, ...]) -> None:
        nonlocal current
        if to is current:
            return
        changes.append(StatusChange(commitment.id, current, to, now, reason, ids))
        current = to

    for e in sorted(new, key=lambda x: (_when(x), x.id)):
        if counts(e):
            if current is Status.BREACHED or (current is Status.MET and not commitment.ongoing):
                continue
            pool.append(e)
            n_sources = independent_sources(pool, thresholds.duplicate_distance)
            ids = tuple(x.id for x in pool)
            if e.score >= thresholds.breach_strong_score:
                move(
                    Status.BREACHED,
                    f"strong breach report from {e.source} (score {e.score:.2f})",
                    (e.id,),
                )
            elif n_sources >= thresholds.corroborating_sources:
                move(Status.BREACHED, f"breach reported by {n_sources} independent sources", ids)
            else:
                strongest = max(pool, key=lambda x: x.score)
                move(
                    Status.AT_RISK,
                    f"single-source breach report from {strongest.source} "
                    f"(score {strongest.score:.2f})",
                    ids,
                )
        elif e.label is Label.MET and e.score >= thresholds.met_score:
            if current is Status.MET or (current is Status.BREACHED and commitment.ongoing):
                continue
            late = " (after the deadline)" if current is Status.OVERDUE else ""
            move(Status.MET, f"met: reported by {e.source} (score {e.score:.2f}){late}", (e.id,))
            pool = []

    deadline = commitment.deadline_at
    if deadline is not None and now < deadline and current is Status.OVERDUE:
        back = Status.AT_RISK if pool else Status.PENDING
        move(back, f"renewed: the deadline is now {deadline:%Y-%m-%d %H:%M} UTC", ())
    if commitment.ended_at is not None and deadline is not None and commitment.ended_at <= deadline:
        deadline = None  # superseded before its deadline: the successor's deadline counts
    if deadline is not None and now >= deadline and current in (Status.PENDING, Status.AT_RISK):
        if coverage is None:  # the caller vouches that the feeds were read all along
            move(
                Status.OVERDUE,
                f"deadline {deadline:%Y-%m-%d %H:%M} UTC passed with no report that it was met",
                (),
            )
        else:
            due = coverage.overdue_at(deadline)
            if due is not None and now >= due:
                hours = coverage.grace.total_seconds() / 3600
                move(
                    Status.OVERDUE,
                    f"deadline {deadline:%Y-%m-%d %H:%M} UTC passed and the feeds were read "
                    f"for {hours:g} hours after it with no report that it was met",
                    (),
                )
    return changes
