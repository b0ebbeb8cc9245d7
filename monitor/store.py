"""Every query and transaction.  Rows never leave this module: callers get models."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from monitor.db import (
    ArticleKeyRow,
    ArticleRow,
    CommitmentRow,
    DigestRow,
    EvidenceRow,
    FeedRow,
    HealthEventRow,
    OutboxRow,
    StatusEventRow,
)
from monitor.errors import StoreError
from monitor.models import (
    Article,
    Commitment,
    Entry,
    Evidence,
    Feed,
    Label,
    OutboxItem,
    Status,
    StatusChange,
    Verdict,
)
from monitor.text import simhash64


@dataclass(frozen=True)
class FeedSpec:
    """A feed as the watchlist declares it."""

    name: str
    url: str
    interval_seconds: int


@dataclass(frozen=True)
class NewOutboxItem:
    key: str
    channel: str
    kind: str
    subject: str
    message_id: str
    payload: bytes


@dataclass(frozen=True)
class CommitmentState:
    id: str
    status: Status
    status_changed_at: datetime | None


@dataclass(frozen=True)
class StoredEvent:
    id: int
    change: StatusChange


@dataclass(frozen=True)
class HealthEvent:
    id: int
    feed_name: str
    feed_url: str
    state: str  # the new health: ok (recovered), failing, silent, gone
    previous: str
    detail: str
    at: datetime


def _to_signed(n: int) -> int:
    n &= 0xFFFFFFFFFFFFFFFF
    return n - (1 << 64) if n >= (1 << 63) else n


def _key(kind: str, value: str) -> str:
    return f"{kind}:{hashlib.sha256(value.encode('utf-8', 'surrogatepass')).hexdigest()[:40]}"


def entry_keys(feed_id: int, entry: Entry) -> list[str]:
    """The identities an entry is known by: within its feed, by canonical URL, by content."""
    keys = [_key("entry", f"{feed_id}\x00{entry.identity}")]
    if entry.url:
        keys.append(_key("url", entry.url))
    keys.append(_key("content", f"{feed_id}\x00{entry.title}\x00{entry.text}"))
    return keys


def publisher_of(url: str | None, fallback: str) -> str:
    if url:
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
        if host:
            return host
    return fallback


def _feed(row: FeedRow) -> Feed:
    return Feed(
        id=row.id,
        name=row.name,
        url=row.url,
        interval_seconds=row.interval_seconds,
        etag=row.etag,
        last_modified=row.last_modified,
        next_poll_at=row.next_poll_at,
        last_ok_at=row.last_ok_at,
        last_new_at=row.last_new_at,
        last_error=row.last_error,
        error_count=row.error_count,
        gone=row.gone,
        created_at=row.created_at,
        last_status=row.last_status,
        health=row.health,
        body_hash=row.body_hash,
        entries_dropped=row.entries_dropped,
    )


def _article(row: ArticleRow) -> Article:
    return Article(
        id=row.id,
        feed_id=row.feed_id,
        url=row.url,
        title=row.title,
        text=row.text,
        source=row.source,
        published_at=row.published_at,
        fetched_at=row.fetched_at,
        fingerprint=row.fingerprint & 0xFFFFFFFFFFFFFFFF,
    )


def _evidence(row: EvidenceRow, article: ArticleRow) -> Evidence:
    return Evidence(
        id=row.id,
        article_id=row.article_id,
        commitment_id=row.commitment_id,
        label=Label(row.label),
        score=row.score,
        quote=row.quote,
        signals=tuple(str(s) for s in row.signals),
        source=article.source,
        url=article.url,
        title=article.title,
        published_at=article.published_at,
        created_at=row.created_at,
        fingerprint=article.fingerprint & 0xFFFFFFFFFFFFFFFF,
    )


def _outbox(row: OutboxRow) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        key=row.key,
        channel=row.channel,
        kind=row.kind,
        subject=row.subject,
        message_id=row.message_id,
        payload=row.payload.decode("utf-8", "replace"),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        sent_at=row.sent_at,
        failed_at=row.failed_at,
        last_error=row.last_error,
    )


def _change(row: StatusEventRow) -> StatusChange:
    return StatusChange(
        commitment_id=row.commitment_id,
        from_status=Status(row.from_status),
        to_status=Status(row.to_status),
        at=row.at,
        reason=row.reason,
        evidence_ids=tuple(int(i) for i in row.evidence_ids),
    )


class Store:
    """The database, behind one method per query or unit of work."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._postgres = engine.dialect.name == "postgresql"

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error."""
        try:
            with self._sessions.begin() as session:
                yield session
        except (OperationalError, DBAPIError) as e:
            if isinstance(e, IntegrityError):
                raise
            raise StoreError(str(e.orig) if e.orig else str(e)) from e

    def _lock(self, stmt: Select[Any]) -> Select[Any]:
        return stmt.with_for_update(skip_locked=True) if self._postgres else stmt

    # --- watchlist -----------------------------------------------------------

    def sync_watchlist(
        self, feeds: Sequence[FeedSpec], commitments: Sequence[Commitment], now: datetime
    ) -> None:
        """Make the feeds and commitments tables match the watchlist (statuses are kept)."""
        with self.transaction() as s:
            rows = {r.name: r for r in s.scalars(select(FeedRow))}
            wanted = {f.name for f in feeds}
            for spec in feeds:
                row = rows.get(spec.name)
                if row is None:
                    s.add(
                        FeedRow(
                            name=spec.name,
                            url=spec.url,
                            interval_seconds=spec.interval_seconds,
                            enabled=True,
                            next_poll_at=now,
                            error_count=0,
                            gone=False,
                            articles_seen=0,
                            created_at=now,
                        )
                    )
                    continue
                if row.url != spec.url:  # a new address: forget validators, errors, "gone"
                    row.url, row.etag, row.last_modified = spec.url, None, None
                    row.gone, row.error_count, row.last_error = False, 0, None
                    row.next_poll_at = now
                row.interval_seconds = spec.interval_seconds
                row.enabled = True
            for name, row in rows.items():
                if name not in wanted:
                    row.enabled = False
            crow = {r.id: r for r in s.scalars(select(CommitmentRow))}
            for c in commitments:
                existing = crow.get(c.id)
                if existing is None:
                    s.add(
                        CommitmentRow(
                            id=c.id,
                            title=c.title,
                            kind=c.kind.value,
                            status=Status.PENDING.value,
                            active=True,
                            synced_at=now,
                        )
                    )
                else:
                    existing.title, existing.kind = c.title, c.kind.value
                    existing.active, existing.synced_at = True, now
            ids = {c.id for c in commitments}
            for cid, existing in crow.items():
                if cid not in ids:
                    existing.active = False

    # --- polling -------------------------------------------------------------

    def claim_due_feeds(self, now: datetime, lease: timedelta, limit: int = 1000) -> list[Feed]:
        """The feeds due at ``now``; each is leased (its next poll moved to ``now + lease``)
        so another daemon, or a restart, does not poll it again meanwhile."""
        due = or_(FeedRow.next_poll_at.is_(None), FeedRow.next_poll_at <= now)
        with self.transaction() as s:
            stmt = (
                select(FeedRow)
                .where(FeedRow.enabled.is_(True), FeedRow.gone.is_(False), due)
                .order_by(FeedRow.next_poll_at, FeedRow.id)
                .limit(limit)
            )
            rows = list(s.scalars(self._lock(stmt)))
            claimed = []
            for r in rows:
                # a conditional update is the claim: of two daemons, one wins each feed
                won = s.execute(
                    update(FeedRow)
                    .where(FeedRow.id == r.id, due)
                    .values(next_poll_at=now + lease)
                    .execution_options(synchronize_session=False)
                )
                if getattr(won, "rowcount", 0):
                    claimed.append(_feed(r))
            return claimed

    def save_entries(
        self,
        feed: Feed,
        entries: Sequence[Entry],
        *,
        now: datetime,
        status: int,
        etag: str | None,
        last_modified: str | None,
        next_poll_at: datetime,
        warning: str | None = None,
    ) -> int:
        """Store a successful fetch: new articles, validators and the next poll time, in one
        transaction.  Returns how many articles were new."""
        with self.transaction() as s:
            new = 0
            for entry in entries:
                if self._store_entry(s, feed, entry, now):
                    new += 1
            row = s.get_one(FeedRow, feed.id)
            if status != 304:
                row.etag, row.last_modified = etag, last_modified
            row.last_polled_at = row.last_ok_at = now
            row.last_status = status
            row.last_error = warning
            row.error_count = 0
            row.next_poll_at = next_poll_at
            if new:
                row.last_new_at = now
                row.articles_seen += new
            elif row.last_new_at is None:
                row.last_new_at = now if entries else None
            return new

    def _store_entry(self, s: Session, feed: Feed, entry: Entry, now: datetime) -> bool:
        keys = entry_keys(feed.id, entry)
        known = dict(
            s.execute(
                select(ArticleKeyRow.key, ArticleKeyRow.article_id).where(
                    ArticleKeyRow.key.in_(keys)
                )
            ).all()
        )
        if known:
            article_id = next(iter(known.values()))
            for k in keys:
                if k not in known:
                    self._add_key(s, k, article_id)
            return False
        try:
            with s.begin_nested():
                article = ArticleRow(
                    feed_id=feed.id,
                    url=entry.url,
                    guid=entry.guid[:2000] if entry.guid else None,
                    title=entry.title,
                    text=entry.text,
                    source=entry.publisher or publisher_of(entry.url, feed.name),
                    published_at=entry.published_at,
                    fetched_at=now,
                    fingerprint=_to_signed(simhash64(f"{entry.title}\n{entry.text}")),
                )
                s.add(article)
                s.flush()
                s.add_all(ArticleKeyRow(key=k, article_id=article.id) for k in keys)
                s.flush()
        except IntegrityError:  # another daemon stored it a moment ago
            return False
        return True

    def _add_key(self, s: Session, key: str, article_id: int) -> None:
        try:
            with s.begin_nested():
                s.add(ArticleKeyRow(key=key, article_id=article_id))
                s.flush()
        except IntegrityError:
            pass

    def record_feed_error(
        self,
        feed_id: int,
        *,
        now: datetime,
        error: str,
        status: int | None,
        next_poll_at: datetime,
        gone: bool = False,
    ) -> None:
        with self.transaction() as s:
            row = s.get_one(FeedRow, feed_id)
            row.last_polled_at = now
            row.last_status = status
            row.last_error = error[:2000]
            row.error_count += 1
            row.next_poll_at = next_poll_at
            row.gone = gone

    def record_health(
        self, feed_id: int, expected: str, health: str, detail: str, now: datetime
    ) -> bool:
        """Record a feed's change of health as an event (to be alerted), once: refuses if
        the stored health is no longer ``expected``."""
        with self.transaction() as s:
            result = s.execute(
                update(FeedRow)
                .where(FeedRow.id == feed_id, FeedRow.health == expected)
                .values(health=health)
            )
            if not getattr(result, "rowcount", 0):
                return False
            s.add(
                HealthEventRow(
                    feed_id=feed_id, state=health, at=now, detail=detail[:2000], previous=expected
                )
            )
            return True

    def unalerted_health_events(self) -> list[HealthEvent]:
        with self.transaction() as s:
            rows = s.execute(
                select(HealthEventRow, FeedRow)
                .join(FeedRow, FeedRow.id == HealthEventRow.feed_id)
                .where(HealthEventRow.alerted_at.is_(None))
                .order_by(HealthEventRow.id)
            )
            return [
                HealthEvent(h.id, f.name, f.url, h.state, h.previous, h.detail, h.at)
                for h, f in rows
            ]

    def feeds(self) -> list[Feed]:
        with self.transaction() as s:
            return [
                _feed(r)
                for r in s.scalars(
                    select(FeedRow).where(FeedRow.enabled.is_(True)).order_by(FeedRow.id)
                )
            ]

    # --- judging -------------------------------------------------------------

    def unjudged_articles(self, limit: int) -> list[Article]:
        with self.transaction() as s:
            stmt = (
                select(ArticleRow)
                .where(ArticleRow.judged_at.is_(None))
                .order_by(ArticleRow.id)
                .limit(limit)
            )
            return [_article(r) for r in s.scalars(stmt)]

    def save_verdicts(
        self, judged: Sequence[tuple[Article, Sequence[Verdict]]], now: datetime
    ) -> int:
        """Store breach/met verdicts as evidence and mark the articles judged.  Returns the
        number of evidence rows written."""
        written = 0
        with self.transaction() as s:
            active = set(s.scalars(select(CommitmentRow.id).where(CommitmentRow.active)))
            for article, verdicts in judged:
                claimed = s.execute(
                    update(ArticleRow)
                    .where(ArticleRow.id == article.id, ArticleRow.judged_at.is_(None))
                    .values(judged_at=now)
                )
                if not getattr(claimed, "rowcount", 0):  # judged by another daemon meanwhile
                    continue
                for v in verdicts:
                    if v.label not in (Label.BREACH, Label.MET) or v.commitment_id not in active:
                        continue
                    s.add(
                        EvidenceRow(
                            article_id=article.id,
                            commitment_id=v.commitment_id,
                            label=v.label.value,
                            score=round(v.score, 4),
                            quote=v.quote or "",
                            signals=list(v.signals),
                            created_at=now,
                        )
                    )
                    written += 1
        return written

    def article(self, article_id: int) -> Article | None:
        with self.transaction() as s:
            row = s.get(ArticleRow, article_id)
            return _article(row) if row else None

    def article_by_url(self, url: str) -> Article | None:
        with self.transaction() as s:
            row = s.scalars(
                select(ArticleRow).where(ArticleRow.url == url).order_by(ArticleRow.id).limit(1)
            ).first()
            return _article(row) if row else None

    # --- assessing -----------------------------------------------------------

    def commitment_states(self) -> dict[str, CommitmentState]:
        with self.transaction() as s:
            return {
                r.id: CommitmentState(r.id, Status(r.status), r.status_changed_at)
                for r in s.scalars(select(CommitmentRow).where(CommitmentRow.active))
            }

    def evidence_for(self, commitment_id: str) -> list[Evidence]:
        """All evidence of a commitment, oldest first."""
        with self.transaction() as s:
            rows = s.execute(
                select(EvidenceRow, ArticleRow)
                .join(ArticleRow, ArticleRow.id == EvidenceRow.article_id)
                .where(EvidenceRow.commitment_id == commitment_id)
                .order_by(EvidenceRow.id)
            )
            return [_evidence(e, a) for e, a in rows]

    def unassessed_evidence_ids(self, commitment_id: str) -> set[int]:
        with self.transaction() as s:
            return set(
                s.scalars(
                    select(EvidenceRow.id).where(
                        EvidenceRow.commitment_id == commitment_id,
                        EvidenceRow.assessed_at.is_(None),
                    )
                )
            )

    def apply_assessment(
        self,
        commitment_id: str,
        expected: Status,
        changes: Sequence[StatusChange],
        assessed_ids: Sequence[int],
        now: datetime,
    ) -> bool:
        """Record status changes and mark evidence assessed, in one transaction.  Refuses
        (returns False) if the status moved since it was read (another daemon did it)."""
        with self.transaction() as s:
            final = changes[-1] if changes else None
            # a conditional update is the check: of two daemons, only one moves the status
            moved = s.execute(
                update(CommitmentRow)
                .where(CommitmentRow.id == commitment_id, CommitmentRow.status == expected.value)
                .values(
                    status=final.to_status.value if final else expected.value,
                    status_changed_at=final.at if final else CommitmentRow.status_changed_at,
                )
            )
            if not getattr(moved, "rowcount", 0):
                return False
            if assessed_ids:
                s.execute(
                    update(EvidenceRow)
                    .where(
                        EvidenceRow.id.in_(list(assessed_ids)), EvidenceRow.assessed_at.is_(None)
                    )
                    .values(assessed_at=now)
                )
            for c in changes:
                s.add(
                    StatusEventRow(
                        commitment_id=c.commitment_id,
                        from_status=c.from_status,
                        to_status=c.to_status,
                        at=c.at,
                        reason=c.reason,
                        evidence_ids=list(c.evidence_ids),
                    )
                )
            return True

    # --- alerting ------------------------------------------------------------

    def unalerted_events(self) -> list[StoredEvent]:
        with self.transaction() as s:
            rows = s.scalars(
                select(StatusEventRow)
                .where(StatusEventRow.alerted_at.is_(None))
                .order_by(StatusEventRow.id)
            )
            return [StoredEvent(r.id, _change(r)) for r in rows]

    def last_alert_at(self, commitment_id: str, status: Status) -> datetime | None:
        with self.transaction() as s:
            return s.scalar(
                select(func.max(StatusEventRow.alerted_at)).where(
                    StatusEventRow.commitment_id == commitment_id,
                    StatusEventRow.to_status == status.value,
                    StatusEventRow.alert_suppressed.is_(None),
                )
            )

    def evidence_by_ids(self, ids: Sequence[int]) -> list[Evidence]:
        if not ids:
            return []
        with self.transaction() as s:
            rows = s.execute(
                select(EvidenceRow, ArticleRow)
                .join(ArticleRow, ArticleRow.id == EvidenceRow.article_id)
                .where(EvidenceRow.id.in_(list(ids)))
                .order_by(EvidenceRow.score.desc(), EvidenceRow.id)
            )
            return [_evidence(e, a) for e, a in rows]

    def enqueue_alerts(
        self,
        items: Sequence[NewOutboxItem],
        *,
        alerted: Sequence[int],
        suppressed: dict[int, str],
        now: datetime,
        health_alerted: Sequence[int] = (),
    ) -> int:
        """Queue messages and mark their events alerted, in one transaction.  A key already
        queued is skipped: an alert reaches a channel once."""
        with self.transaction() as s:
            queued = self._enqueue(s, items, now)
            for event_id in alerted:
                s.execute(
                    update(StatusEventRow)
                    .where(StatusEventRow.id == event_id, StatusEventRow.alerted_at.is_(None))
                    .values(alerted_at=now)
                )
            if health_alerted:
                s.execute(
                    update(HealthEventRow)
                    .where(
                        HealthEventRow.id.in_(list(health_alerted)),
                        HealthEventRow.alerted_at.is_(None),
                    )
                    .values(alerted_at=now)
                )
            for event_id, why in suppressed.items():
                s.execute(
                    update(StatusEventRow)
                    .where(StatusEventRow.id == event_id, StatusEventRow.alerted_at.is_(None))
                    .values(alerted_at=now, alert_suppressed=why[:200])
                )
            return queued

    def _enqueue(self, s: Session, items: Sequence[NewOutboxItem], now: datetime) -> int:
        existing = set(
            s.scalars(select(OutboxRow.key).where(OutboxRow.key.in_([i.key for i in items])))
        )
        queued = 0
        for item in items:
            if item.key in existing:
                continue
            existing.add(item.key)
            try:
                with s.begin_nested():
                    s.add(
                        OutboxRow(
                            key=item.key,
                            channel=item.channel,
                            kind=item.kind,
                            subject=item.subject,
                            message_id=item.message_id,
                            payload=item.payload,
                            created_at=now,
                            attempts=0,
                            next_attempt_at=now,
                        )
                    )
                    s.flush()
            except IntegrityError:  # queued by another daemon a moment ago
                continue
            queued += 1
        return queued

    # --- delivering ----------------------------------------------------------

    def due_outbox(self, now: datetime, limit: int = 100) -> list[OutboxItem]:
        with self.transaction() as s:
            stmt = (
                select(OutboxRow)
                .where(OutboxRow.sent_at.is_(None), OutboxRow.failed_at.is_(None))
                .where(or_(OutboxRow.next_attempt_at.is_(None), OutboxRow.next_attempt_at <= now))
                .order_by(OutboxRow.id)
                .limit(limit)
            )
            return [_outbox(r) for r in s.scalars(stmt)]

    def claim_outbox(self, item_id: int, now: datetime, lease: timedelta) -> bool:
        """Take one message for sending: push its next attempt out by ``lease`` so that no
        other worker sends it meanwhile.  False if it is no longer due."""
        with self.transaction() as s:
            result = s.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.id == item_id,
                    OutboxRow.sent_at.is_(None),
                    OutboxRow.failed_at.is_(None),
                    or_(OutboxRow.next_attempt_at.is_(None), OutboxRow.next_attempt_at <= now),
                )
                .values(next_attempt_at=now + lease, attempts=OutboxRow.attempts + 1)
            )
            return bool(getattr(result, "rowcount", 0))

    def mark_sent(self, item_id: int, now: datetime) -> None:
        with self.transaction() as s:
            row = s.get_one(OutboxRow, item_id)
            row.sent_at, row.last_error = now, None

    def mark_retry(self, item_id: int, now: datetime, error: str, next_at: datetime) -> None:
        with self.transaction() as s:
            row = s.get_one(OutboxRow, item_id)
            row.last_error, row.next_attempt_at = error[:2000], next_at

    def mark_failed(self, item_id: int, now: datetime, error: str) -> None:
        with self.transaction() as s:
            row = s.get_one(OutboxRow, item_id)
            row.last_error, row.failed_at = error[:2000], now

    def outbox(self, limit: int = 50) -> list[OutboxItem]:
        with self.transaction() as s:
            return [
                _outbox(r)
                for r in s.scalars(select(OutboxRow).order_by(OutboxRow.id.desc()).limit(limit))
            ]

    def outbox_counts(self) -> dict[str, int]:
        with self.transaction() as s:
            pending = (
                s.scalar(
                    select(func.count())
                    .select_from(OutboxRow)
                    .where(OutboxRow.sent_at.is_(None), OutboxRow.failed_at.is_(None))
                )
                or 0
            )
            sent = (
                s.scalar(
                    select(func.count())
                    .select_from(OutboxRow)
                    .where(OutboxRow.sent_at.is_not(None))
                )
                or 0
            )
            failed = (
                s.scalar(
                    select(func.count())
                    .select_from(OutboxRow)
                    .where(OutboxRow.failed_at.is_not(None))
                )
                or 0
            )
            return {"pending": pending, "sent": sent, "failed": failed}

    # --- digests and status ---------------------------------------------------

    def last_digest_end(self) -> datetime | None:
        with self.transaction() as s:
            return s.scalar(select(func.max(DigestRow.period_end_at)))

    def events_between(self, start: datetime | None, end: datetime) -> list[StatusChange]:
        with self.transaction() as s:
            stmt = select(StatusEventRow).where(StatusEventRow.at <= end)
            if start is not None:
                stmt = stmt.where(StatusEventRow.at > start)
            return [_change(r) for r in s.scalars(stmt.order_by(StatusEventRow.id))]

    def evidence_between(self, start: datetime | None, end: datetime) -> list[Evidence]:
        with self.transaction() as s:
            stmt = (
                select(EvidenceRow, ArticleRow)
                .join(ArticleRow, ArticleRow.id == EvidenceRow.article_id)
                .where(EvidenceRow.created_at <= end)
            )
            if start is not None:
                stmt = stmt.where(EvidenceRow.created_at > start)
            rows = s.execute(stmt.order_by(EvidenceRow.id))
            return [_evidence(e, a) for e, a in rows]

    def latest_evidence(self) -> dict[str, Evidence]:
        """Per commitment, its most recent evidence."""
        out: dict[str, Evidence] = {}
        with self.transaction() as s:
            newest = (
                select(EvidenceRow.commitment_id, func.max(EvidenceRow.id).label("id"))
                .group_by(EvidenceRow.commitment_id)
                .subquery()
            )
            rows = s.execute(
                select(EvidenceRow, ArticleRow)
                .join(newest, newest.c.id == EvidenceRow.id)
                .join(ArticleRow, ArticleRow.id == EvidenceRow.article_id)
            )
            for e, a in rows:
                out[e.commitment_id] = _evidence(e, a)
        return out

    def record_digest(
        self,
        key: str,
        start: datetime | None,
        end: datetime,
        items: Sequence[NewOutboxItem],
        now: datetime,
    ) -> bool:
        """Record a digest and queue its messages, once per key."""
        try:
            with self.transaction() as s:
                if s.scalar(select(DigestRow.id).where(DigestRow.key == key)) is not None:
                    return False
                s.add(DigestRow(key=key, period_start_at=start, period_end_at=end, created_at=now))
                s.flush()
                self._enqueue(s, items, now)
                return True
        except IntegrityError:  # another daemon made this digest a moment ago
            return False

    def counts(self) -> dict[str, int]:
        with self.transaction() as s:

            def n(model: Any) -> int:
                return int(s.scalar(select(func.count()).select_from(model)) or 0)

            return {
                "articles": n(ArticleRow),
                "evidence": n(EvidenceRow),
                "events": n(StatusEventRow),
                "outbox": n(OutboxRow),
            }

    # --- feeds stream: what the last parsed body was ----------------------------

    def record_feed_body(self, feed_id: int, *, body_hash: str | None, dropped: int) -> None:
        """Remember the hash of the body just parsed and stored (an identical body is not
        parsed again) and how many of its entries were left out over the cap."""
        with self.transaction() as s:
            row = s.get_one(FeedRow, feed_id)
            row.body_hash = body_hash
            row.entries_dropped = max(0, dropped)
