"""People in the loop, the pure part: a person's verdict, reassessment from scratch,
retractions, silences, acknowledgements and reminders.  No I/O here (the wiring is in
``monitor/oversight.py``).

A person's verdict on an article x commitment wins over the judge's: the stored evidence
takes the person's label (``breach`` and ``met`` count with score 1.0; ``related`` and
``none`` do not count).  After a verdict (or a re-judge) the commitment is reassessed
from scratch over all its evidence, as if it had been seen for the first time: the simplest
way to be right when evidence is taken away.  A status that loses the evidence it stood on
moves back, and that change is a *retraction*: every channel gets one "retracted" alert.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from monitor.assess import Thresholds, assess_commitment
from monitor.models import (
    Acknowledgement,
    Article,
    Commitment,
    Evidence,
    Label,
    PersonVerdict,
    Silence,
    SilenceScope,
    Status,
    StatusChange,
)

#: The score a person's ``breach`` or ``met`` carries: a person's word is certain.
PERSON_SCORE = 1.0

#: Statuses that stand on evidence; leaving one of them for anything but an escalation
#: (``at risk`` -> ``breached``) is a retraction.
_EVIDENCED = frozenset({Status.AT_RISK, Status.BREACHED, Status.MET})


@dataclass(frozen=True)
class Correction:
    """Who corrected what: the cause of a reassessment, as the retracted alert tells it."""

    by: str
    what: str  # "marked "Headline" (pk-news.example, article 12) as none"
    note: str | None = None


def person_score(label: Label, judge_score: float | None) -> float:
    """The score the evidence keeps under a person's verdict."""
    if label in (Label.BREACH, Label.MET):
        return PERSON_SCORE
    return judge_score or 0.0


def status_from_scratch(
    commitment: Commitment, evidence: Sequence[Evidence], now: datetime, thresholds: Thresholds
) -> tuple[Status, tuple[StatusChange, ...]]:
    """The status all of ``evidence`` leads to when assessed from ``pending`` at ``now``,
    with the changes on the way."""
    changes = assess_commitment(commitment, Status.PENDING, [], evidence, now, thresholds)
    return (changes[-1].to_status if changes else Status.PENDING), tuple(changes)


def reassess(
    commitment: Commitment,
    current: Status,
    evidence: Sequence[Evidence],
    now: datetime,
    thresholds: Thresholds,
    cause: Correction,
) -> StatusChange | None:
    """The one status change (``current`` -> what the evidence now supports) a correction
    causes, or None when the status stands."""
    final, steps = status_from_scratch(commitment, evidence, now, thresholds)
    if final is current:
        return None
    ids: tuple[int, ...] = steps[-1].evidence_ids if steps else ()
    grounds = steps[-1].reason if steps else "no evidence left that counts"
    change = StatusChange(commitment.id, current, final, now, "", ids)
    verb = "retracted" if is_retraction(change) else "corrected"  # see store.RETRACTED_PREFIX
    reason = f"{verb} by {cause.by}: {cause.what}; now {final}: {grounds}"
    return StatusChange(commitment.id, current, final, now, reason, ids)


def is_retraction(change: StatusChange) -> bool:
    """Whether a change takes back a status that stood on evidence (an escalation from
    ``at risk`` to ``breached`` is not one)."""
    if change.from_status not in _EVIDENCED or change.to_status is change.from_status:
        return False
    return not (change.from_status is Status.AT_RISK and change.to_status is Status.BREACHED)


def describe_article(article: Article | None, article_id: int) -> str:
    if article is None:
        return f"article {article_id}"
    title = " ".join(article.title.split())
    if len(title) > 90:
        title = title[:89] + "…"
    return f"“{title}” ({article.source}, article {article_id})"


# --- silences, acknowledgements and reminders ------------------------------------------


def silence_for(
    silences: Iterable[Silence], scope: SilenceScope, target: str, now: datetime
) -> Silence | None:
    """The active silence on ``target`` (the one that lasts longest), if any."""
    found = [s for s in silences if s.scope is scope and s.target == target and s.active(now)]
    return max(found, key=lambda s: s.until_at) if found else None


def silenced_channels(silences: Iterable[Silence], now: datetime) -> frozenset[str]:
    return frozenset(
        s.target for s in silences if s.scope is SilenceScope.CHANNEL and s.active(now)
    )


def silence_reason(s: Silence) -> str:
    return f"silenced by {s.by} until {s.until_at:%Y-%m-%d %H:%M} UTC: {s.reason}"[:200]


def acknowledged(
    ack: Acknowledgement | None, status: Status, status_changed_at: datetime | None
) -> bool:
    """An acknowledgement holds while the status it saw stays (not after a change)."""
    if ack is None or ack.status is not status:
        return False
    return status_changed_at is None or ack.at >= status_changed_at


def reminder_round(
    status: Status,
    status_changed_at: datetime | None,
    now: datetime,
    interval: timedelta,
) -> int | None:
    """Which reminder is due for an unresolved breach (1 after one interval, 2 after two,
    ...), or None.  Each round is sent once (its outbox key carries the round)."""
    if status is not Status.BREACHED or status_changed_at is None or interval <= timedelta(0):
        return None
    rounds = math.floor((now - status_changed_at) / interval)
    return rounds if rounds >= 1 else None


# --- the labelled corpus (DESIGN.md "Contract with outside checks") ---------------------


def corpus_items(
    articles: Iterable[Article], verdicts: Iterable[PersonVerdict]
) -> list[dict[str, Any]]:
    """One corpus line per reviewed article: its text and the people's labels (the newest
    verdict per commitment)."""
    labels: dict[int, dict[str, str]] = {}
    for v in sorted(verdicts, key=lambda v: (v.at, v.id)):
        labels.setdefault(v.article_id, {})[v.commitment_id] = v.label.value
    out = []
    for a in sorted(articles, key=lambda a: a.id):
        if a.id not in labels:
            continue
        out.append(
            {
                "id": f"article-{a.id}",
                "title": a.title,
                "text": a.text,
                "url": a.url,
                "source": a.source,
                "published": a.published_at.isoformat() if a.published_at else None,
                "labels": dict(sorted(labels[a.id].items())),
            }
        )
    return out
