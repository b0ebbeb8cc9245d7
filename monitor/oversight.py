"""People in the loop, the wiring: record a verdict and reassess, re-judge stored articles,
acknowledge, silence, remind, export the verdicts as a corpus.  The rules are in
``monitor/review.py`` (pure); this module reads and writes through the store and queues
messages, one function per action, like ``monitor/pipeline.py``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from monitor import render, review
from monitor.errors import InputError
from monitor.logs import get_logger
from monitor.models import (
    Acknowledgement,
    Commitment,
    Evidence,
    Label,
    PersonVerdict,
    Silence,
    SilenceScope,
    Status,
    StatusChange,
)
from monitor.pipeline import JUDGE_BATCH, Monitor, _for_each_channel
from monitor.store import NewOutboxItem

log = get_logger()


# --- the retracted alert ----------------------------------------------------------------


@dataclass(frozen=True)
class RetractedContext:
    """Everything the retracted template may use: the change, who corrected what, and the
    evidence that still counts."""

    commitment: Commitment
    change: StatusChange
    correction: review.Correction
    evidence: tuple[Evidence, ...]


def retracted_subject(ctx: RetractedContext) -> str:
    """``[monitor] RETRACTED BREACHED: <title> (now PENDING, corrected by Dana)``."""
    title = render.one_line(ctx.commitment.title) or ctx.commitment.id
    ch = ctx.change
    return render._subject(
        f"[monitor] RETRACTED {render.status_label(ch.from_status)}: {title} "
        f"(now {render.status_label(ch.to_status)}, corrected by "
        f"{render.one_line(ctx.correction.by)})"
    )


def render_retracted(
    ctx: RetractedContext,
    *,
    key: str,
    sender: str,
    recipients: Sequence[str],
    sent_at: datetime,
    install_id: str = "",
) -> EmailMessage:
    """A retraction as a multipart/alternative (plain text + HTML) message."""
    return render._render_message(
        "retracted",
        {"ctx": ctx, "subject": retracted_subject(ctx)},
        key=key,
        sender=sender,
        recipients=recipients,
        sent_at=sent_at,
        install_id=install_id,
    )


# --- verdicts and reassessment ------------------------------------------------------------


@dataclass(frozen=True)
class ReviewOutcome:
    verdict: PersonVerdict
    change: StatusChange | None
    retracted: bool


def _commitment(m: Monitor, commitment_id: str) -> Commitment:
    c = m.commitments.get(commitment_id)
    if c is None:
        raise InputError(
            commitment_id, f"no such commitment (known: {', '.join(sorted(m.commitments))})"
        )
    return c


def record_verdict(
    m: Monitor,
    article_id: int,
    commitment_id: str,
    label: Label,
    *,
    by: str,
    note: str | None = None,
) -> ReviewOutcome:
    """Record a person's verdict on an article x commitment and reassess the commitment at
    once; a status that lost its evidence moves back with a retracted alert."""
    commitment = _commitment(m, commitment_id)
    article = m.store.article(article_id)
    if article is None:
        raise InputError(str(article_id), "no stored article has this id")
    by = m.config.redact(" ".join(by.split()))[:200] or "anonymous"
    note = m.config.redact(note.strip())[:2000] if note and note.strip() else None
    now = m.clock.now()
    verdict = m.store.add_verdict(
        article_id,
        commitment_id,
        label,
        note=note,
        by=by,
        score=review.PERSON_SCORE if label in (Label.BREACH, Label.MET) else None,
        now=now,
    )
    what = f"marked {review.describe_article(article, article_id)} as {label.value}"
    if verdict.judge_label is not None:
        what += f" (the judge said {verdict.judge_label.value}, {verdict.judge_score or 0:.2f})"
    change = reassess_commitment(m, commitment, review.Correction(by, what, note))
    log.info(
        "verdict_recorded",
        article=article_id,
        commitment=commitment_id,
        label=label.value,
        by=by,
        status_to=str(change.to_status) if change else None,
    )
    return ReviewOutcome(verdict, change, change is not None and review.is_retraction(change))


def reassess_commitment(
    m: Monitor, commitment: Commitment, cause: review.Correction
) -> StatusChange | None:
    """Reassess a commitment from scratch over all its evidence (verdicts applied).  A
    retraction queues one retracted alert per channel (not silenced) at once; any other
    change is left to ``pipeline.alert`` like a change the judge made."""
    for _ in range(3):  # another daemon may move the status meanwhile: read it again
        state = m.store.commitment_states().get(commitment.id)
        current = state.status if state else Status.PENDING
        now = m.clock.now()
        evidence = m.store.evidence_for(commitment.id)
        change = review.reassess(commitment, current, evidence, now, m.thresholds, cause)
        if change is None or not review.is_retraction(change):
            if m.store.apply_correction(commitment.id, current, change, now):
                return change
            continue
        silences = m.store.silences(now)
        muted = review.silence_for(silences, SilenceScope.COMMITMENT, commitment.id, now)
        counting = tuple(e for e in evidence if e.id in set(change.evidence_ids))
        ctx = RetractedContext(commitment, change, cause, counting[:5])

        def messages(
            event_id: int,
            ctx: RetractedContext = ctx,
            now: datetime = now,
            silences: list[Silence] = silences,
        ) -> list[NewOutboxItem]:
            items = _for_each_channel(
                m, f"retracted:{event_id}", "alert", render_retracted, ctx, now
            )
            return [
                i
                for i in items
                if review.silence_for(silences, SilenceScope.CHANNEL, i.channel, now) is None
            ]

        if m.store.apply_correction(
            commitment.id,
            current,
            change,
            now,
            messages=None if muted else messages,
            suppressed=review.silence_reason(muted) if muted else None,
        ):
            return change
    raise InputError(commitment.id, "its status kept changing while it was reassessed; try again")


# --- re-judging --------------------------------------------------------------------------


@dataclass
class RejudgeReport:
    articles: int = 0
    commitments: set[str] = field(default_factory=set)  # whose evidence changed
    pruned: int = 0  # left as they were: retention blanked their text
    changes: list[StatusChange] = field(default_factory=list)


def rejudge(m: Monitor, *, since: datetime | None = None, by: str = "rejudge") -> RejudgeReport:
    """Judge the stored articles again with the current watchlist and engine, bring their
    evidence in line (a person's verdict stays), and reassess each commitment whose
    evidence changed.  Alerts follow only from changed statuses: a new status through
    ``pipeline.alert``, a lost one as a retracted alert."""
    report = RejudgeReport()
    after = 0
    while not m.stop.is_set():
        articles = m.store.articles_after(after, since, JUDGE_BATCH)
        if not articles:
            break
        batch = [(a, m.matcher.judge(a.title, a.text, a.published_at)) for a in articles]
        report.commitments |= m.store.replace_verdicts(batch, m.clock.now())
        report.articles += len(articles)
        after = articles[-1].id
        m.say(f"re-judged {report.articles} articles")
    report.pruned = m.store.pruned_count(since)
    what = "re-judged the stored articles" + (f" since {since:%Y-%m-%d}" if since else "")
    for cid in sorted(report.commitments):
        commitment = m.commitments.get(cid)
        if commitment is None:
            continue
        change = reassess_commitment(m, commitment, review.Correction(by, what))
        if change is not None:
            report.changes.append(change)
    log.info(
        "rejudged",
        articles=report.articles,
        commitments=len(report.commitments),
        changes=len(report.changes),
    )
    return report


# --- acknowledgements, silences, reminders ------------------------------------------------


def acknowledge(
    m: Monitor, commitment_id: str, *, by: str, note: str | None = None
) -> Acknowledgement:
    """Acknowledge a commitment's current status: no reminders until it changes."""
    _commitment(m, commitment_id)
    state = m.store.commitment_states().get(commitment_id)
    status = state.status if state else Status.PENDING
    by = m.config.redact(" ".join(by.split()))[:200] or "anonymous"
    note = m.config.redact(note.strip())[:2000] if note and note.strip() else None
    return m.store.acknowledge(commitment_id, status, by, note, m.clock.now())


def add_silence(
    m: Monitor,
    scope: SilenceScope,
    target: str,
    *,
    duration: timedelta,
    reason: str,
    by: str,
) -> Silence:
    """Silence a commitment, a feed or a channel for ``duration``."""
    if scope is SilenceScope.COMMITMENT:
        _commitment(m, target)
    elif scope is SilenceScope.FEED:
        names = {f.name for f in m.config.feeds}
        if target not in names:
            raise InputError(target, f"no such feed (known: {', '.join(sorted(names))})")
    elif target not in m.channels:
        raise InputError(target, f"no such channel (configured: {', '.join(sorted(m.channels))})")
    if duration <= timedelta(0):
        raise InputError(str(duration), "a silence must last a positive time")
    now = m.clock.now()
    return m.store.add_silence(
        scope,
        target,
        until=now + duration,
        reason=m.config.redact(" ".join(reason.split()))[:500] or "no reason given",
        by=m.config.redact(" ".join(by.split()))[:200] or "anonymous",
        now=now,
    )


def remind(m: Monitor) -> int:
    """Queue a reminder for each unresolved breach not acknowledged and not silenced, once
    per ``repeat_interval_hours`` since it was breached."""
    interval = timedelta(hours=m.config.file.alerts.repeat_interval_hours)
    now = m.clock.now()
    acks = m.store.acknowledgements()
    silences = m.store.silences(now)
    items: list[NewOutboxItem] = []
    for cid, state in m.store.commitment_states().items():
        commitment = m.commitments.get(cid)
        n = review.reminder_round(state.status, state.status_changed_at, now, interval)
        if commitment is None or n is None or state.status_changed_at is None:
            continue
        if review.acknowledged(acks.get(cid), state.status, state.status_changed_at):
            continue
        if review.silence_for(silences, SilenceScope.COMMITMENT, cid, now):
            continue
        since = state.status_changed_at
        change = StatusChange(
            cid,
            state.status,
            state.status,
            now,
            f"reminder {n}: {state.status} since {since:%Y-%m-%d %H:%M} UTC and not "
            "acknowledged (acknowledge with `monitor ack`)",
        )
        evidence = tuple(
            e for e in m.store.evidence_for(cid) if e.label is Label.BREACH and e.score > 0
        )
        evidence = tuple(sorted(evidence, key=lambda e: -e.score)[:5])
        key = f"reminder:{cid}:{since:%Y%m%dT%H%M%S}:{n}"
        items += [
            i
            for i in _for_each_channel(
                m,
                key,
                "alert",
                render.render_alert,
                render.AlertContext(commitment, change, evidence),
                now,
            )
            if review.silence_for(silences, SilenceScope.CHANNEL, i.channel, now) is None
        ]
    return m.store.enqueue(items, now)


# --- the labelled corpus ------------------------------------------------------------------


def export_corpus(m: Monitor, path: Path) -> int:
    """Write every reviewed article as a corpus line (DESIGN.md corpus format) with the
    people's labels; returns how many lines."""
    verdicts = m.store.verdicts()
    articles = m.store.articles_by_ids(sorted({v.article_id for v in verdicts}))
    items = review.corpus_items(articles, verdicts)
    with path.open("w", encoding="utf-8") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return len(items)
