"""Every query and transaction.  Rows never leave this module: callers get models."""

from __future__ import annotations

import contextlib
import itertools
import operator
import os
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, NoResultFound, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from monitor.db import (
    AcknowledgementRow,
    ArticleKeyRow,
    ArticleRow,
    CommitmentRow,
    DigestRow,
    EvidenceRow,
    FeedRow,
    HealthEventRow,
    MetaRow,
    OutboxRow,
    SilenceRow,
    StatusEventRow,
    UTCDateTime,
    VerdictRow,
)
from monitor.entryrows import PreparedEntry, clean_text, prepare
from monitor.entryrows import entry_keys as entry_keys  # the keys of an entry, for callers
from monitor.entryrows import key as _key
from monitor.errors import DatabaseLostError, StoreError
from monitor.models import (
    Acknowledgement,
    Article,
    Commitment,
    Entry,
    Evidence,
    Feed,
    Label,
    OutboxItem,
    PersonVerdict,
    Silence,
    SilenceScope,
    Status,
    StatusChange,
    Verdict,
)


@dataclass(frozen=True)
class FeedSpec:
    """A feed as the watchlist declares it."""

    name: str
    url: str
    interval_seconds: int


@dataclass(frozen=True)
class FeedPoll:
    """One feed's successful fetch, to store (the arguments of ``Store.save_entries``)."""

    feed: Feed
    entries: Sequence[Entry]
    status: int
    etag: str | None
    last_modified: str | None
    next_poll_at: datetime
    warning: str | None = None
    body: tuple[str, int] | None = None


@dataclass(frozen=True)
class NewOutboxItem:
    key: str
    channel: str
    kind: str
    subject: str
    message_id: str
    payload: bytes
    group_key: str | None = None  # sent only inside the grouped message with this key


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


# A feed polled this far "in the future" was scheduled before the clock stepped back; less
# than this is taken for skew between daemons' clocks (which must not poll a feed twice).
CLOCK_STEP_TOLERANCE = timedelta(minutes=10)
KEY_LOOKUP_CHUNK = 900  # keys per IN (...) look-up: well under any backend's limit on binds


def _length(column: Any) -> int | None:
    return getattr(getattr(column, "type", None), "length", None)


def clipped(column: Any, value: str) -> str:
    """``value`` cut to the column's length (in characters, as both backends count), so a
    long string from outside is stored alike on SQLite (which would keep it) and on
    PostgreSQL (which would refuse it)."""
    value = clean_text(value)
    limit = _length(column)
    return value[:limit] if limit is not None else value


def fitting(column: Any, value: str | None) -> str | None:
    """``value`` if it fits its column, else None: for strings a cut would corrupt."""
    if value is None:
        return None
    value = clean_text(value)
    limit = _length(column)
    return None if limit is not None and len(value) > limit else value


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# SQLite's statements of the poll's bulk inserts are written for its driver (``sqlite3``):
# SQLAlchemy's insert of many rows with RETURNING builds and type-processes each row's
# parameters in Python, most of the store's CPU in a first poll.  The values are the
# same: each column's own bind processor (``UTCDateTime``: naive UTC, SQLAlchemy's text
# form) is applied first.  Rows per statement keep the bound parameters under 999 (the
# oldest SQLite's limit).
_ARTICLE_COLUMNS = (
    "feed_id",
    "url",
    "guid",
    "title",
    "text",
    "source",
    "published_at",
    "fetched_at",
    "fingerprint",
    "judged_at",
)
_SQLITE_ARTICLE_ROWS = 999 // len(_ARTICLE_COLUMNS)
_SQLITE_KEY_ROWS = 999 // 2


def _remembered(process: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    """``process`` computing each distinct value once (every row's ``fetched_at`` is the
    same moment)."""
    if process is None:
        return None
    seen: dict[Any, Any] = {}

    def run(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            out = seen[value] = process(value)
            return out

    return run


def _sqlite_insert_articles(s: Session, values: Sequence[dict[str, Any]]) -> list[int]:
    """Insert ``values`` (``articles`` rows) on SQLite; their ids, in the order given.

    SQLite inserts a statement's rows in order, each with the next rowid (one more than
    the largest; the statements run in order, and this transaction holds the write lock
    from the first on): ascending ids are the rows in the order given."""
    connection = s.connection()
    table: Any = ArticleRow.__table__
    dialect = connection.dialect
    processors = [
        (at, run)
        for at, name in enumerate(_ARTICLE_COLUMNS)
        if (run := _remembered(table.c[name].type.dialect_impl(dialect).bind_processor(dialect)))
    ]
    pick = operator.itemgetter(*_ARTICLE_COLUMNS)
    params: list[Any] = []  # every row's values, one after another
    for value in values:
        row = list(pick(value))
        for at, process in processors:
            row[at] = process(row[at])
        params += row
    width = len(_ARTICLE_COLUMNS)
    columns = ", ".join(_ARTICLE_COLUMNS)
    one = "(" + ",".join("?" * width) + ")"
    ids: list[int] = []
    for start in range(0, len(values), _SQLITE_ARTICLE_ROWS):
        count = min(_SQLITE_ARTICLE_ROWS, len(values) - start)
        sql = f"INSERT INTO articles ({columns}) VALUES {','.join([one] * count)} RETURNING id"
        chunk = tuple(params[start * width : (start + count) * width])
        # (fetchall: the rows at once, not one ``fetchone`` each through SQLAlchemy)
        ids.extend(sorted(i for (i,) in connection.exec_driver_sql(sql, chunk).fetchall()))
    return ids


def _sqlite_insert_keys(s: Session, rows: Sequence[dict[str, Any]]) -> set[str]:
    """Insert ``article_keys`` rows on SQLite, a key already there left as it is; the keys
    inserted."""
    connection = s.connection()
    inserted: set[str] = set()
    pick = operator.itemgetter("key", "article_id")
    for chunk in _chunks(rows, _SQLITE_KEY_ROWS):
        sql = (
            "INSERT INTO article_keys (key, article_id) VALUES "
            f"{','.join(['(?,?)'] * len(chunk))} ON CONFLICT DO NOTHING RETURNING key"
        )
        params = tuple(itertools.chain.from_iterable(map(pick, chunk)))
        inserted.update(key for (key,) in connection.exec_driver_sql(sql, params).fetchall())
    return inserted


def sqlite_file(engine: Engine) -> Path | None:
    """The SQLite database file ``engine`` opens, or None (PostgreSQL, memory, URI)."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).absolute()


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
        refused=row.refused,
        group_key=row.group_key,
        created_at=row.created_at,
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
        self._file = sqlite_file(engine)
        self._file_id: tuple[int, int] | None = None
        if self._file is not None and self._file.exists():
            self.check_database()

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def check_database(self) -> None:
        """Raise ``DatabaseLostError`` if the SQLite file is not the one first opened (the
        device and inode at its path changed, or nothing is there): writing on would go to
        an unlinked file, lost at the next start, or mix two databases.  Costs one
        ``stat``; run before every transaction."""
        if self._file is None:
            return
        try:
            st = os.stat(self._file)
        except FileNotFoundError:
            if self._file_id is None:  # not made yet: SQLite creates it on the first connect
                return
            raise DatabaseLostError(str(self._file), "removed while the monitor ran") from None
        except OSError as e:
            raise DatabaseLostError(str(self._file), f"cannot be checked: {e}") from e
        file_id = (st.st_dev, st.st_ino)
        if self._file_id is None:
            self._file_id = file_id
        elif file_id != self._file_id:
            raise DatabaseLostError(
                str(self._file), "replaced by another file while the monitor ran"
            )

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error."""
        self.check_database()
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
                            kind=str(c.kind),
                            status=Status.PENDING.value,
                            active=True,
                            synced_at=now,
                        )
                    )
                else:
                    existing.title, existing.kind = c.title, str(c.kind)
                    existing.active, existing.synced_at = True, now
            ids = {c.id for c in commitments}
            for cid, existing in crow.items():
                if cid not in ids:
                    existing.active = False

    # --- polling -------------------------------------------------------------

    def claim_due_feeds(self, now: datetime, lease: timedelta, limit: int = 1000) -> list[Feed]:
        """The feeds due at ``now``; each is leased (its next poll moved to ``now + lease``)
        so another daemon, or a restart, does not poll it again meanwhile.

        A feed last polled (or created) more than ``CLOCK_STEP_TOLERANCE`` after ``now``
        was scheduled by a clock since stepped back: it is due at once (its future poll
        time clamped to ``now``), so polling does not stall until the clock catches up."""
        ahead = now + CLOCK_STEP_TOLERANCE
        at_now = literal(now, UTCDateTime())
        due = or_(
            FeedRow.next_poll_at.is_(None),
            FeedRow.next_poll_at <= now,
            FeedRow.last_polled_at > ahead,
            and_(FeedRow.last_polled_at.is_(None), FeedRow.created_at > ahead),
        )
        with self.transaction() as s:
            stmt = (
                select(FeedRow)
                .where(FeedRow.enabled.is_(True), FeedRow.gone.is_(False), due)
                .order_by(FeedRow.next_poll_at, FeedRow.id)
                .limit(limit)
            )
            rows = list(s.scalars(self._lock(stmt)))
            feeds: Any = FeedRow.__table__
            won: set[int] = set()
            for chunk in _chunks([r.id for r in rows], KEY_LOOKUP_CHUNK):
                # a conditional update is the claim: of two daemons, one wins each feed
                won.update(
                    s.scalars(
                        update(feeds)
                        .where(feeds.c.id.in_(chunk), due)
                        .values(
                            next_poll_at=now + lease,
                            last_polled_at=case(
                                (feeds.c.last_polled_at > now, at_now),
                                else_=feeds.c.last_polled_at,
                            ),
                            created_at=case(
                                (feeds.c.created_at > now, at_now), else_=feeds.c.created_at
                            ),
                        )
                        .returning(feeds.c.id)
                    )
                )
            return [_feed(r) for r in rows if r.id in won]

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
        body: tuple[str, int] | None = None,
    ) -> int:
        """Store a successful fetch: new articles, validators and the next poll time, in one
        transaction.  Returns how many articles were new.  ``body``: the hash of the body
        parsed and how many of its entries were left out over the cap (as
        ``record_feed_body``, in the same transaction).

        Set-based: every key of every entry is looked up at once, so an entry already
        stored costs no fingerprint and no insert; the new articles and their keys are
        inserted in bulk (``ON CONFLICT DO NOTHING`` on the keys)."""
        poll = FeedPoll(feed, entries, status, etag, last_modified, next_poll_at, warning, body)
        return self.save_polls([poll], now=now)[0]

    def save_polls(self, polls: Sequence[FeedPoll], *, now: datetime) -> list[int]:
        """``save_entries`` for several feeds in one transaction (all stored, or none);
        how many articles were new, feed by feed.

        The entries of every feed are stored together: one key look-up, one insert of
        articles and one of keys for the whole batch (not per feed), then the feeds' rows
        (``_update_feeds``).  An entry whose key another feed of the batch brought first is that
        article, as if the feeds had been stored one after another."""
        with self.transaction() as s:
            # made ready by the parse workers (``monitor.entryrows``), else here
            prepared = [[prepare(p.feed.id, p.feed.name, e) for e in p.entries] for p in polls]
            news = self._store_entries(s, polls, prepared, now)
            self._update_feeds(s, polls, [bool(e) for e in prepared], news, now)
            return news

    def _update_feeds(
        self,
        s: Session,
        polls: Sequence[FeedPoll],
        had: Sequence[bool],
        news: Sequence[int],
        now: datetime,
    ) -> None:
        """Each feed's row after its successful fetch: one executemany UPDATE per shape of
        change (validators or not, new articles or not, a body or not), not one per feed."""
        feeds: Any = FeedRow.__table__
        c = feeds.c
        groups: dict[tuple[bool, bool, bool, bool], list[dict[str, Any]]] = {}
        for poll, any_entries, new in zip(polls, had, news, strict=True):
            params: dict[str, Any] = {
                "b_id": poll.feed.id,
                "b_now": now,
                "b_status": poll.status,
                "b_error": clean_text(poll.warning) if poll.warning is not None else None,
                "b_next": poll.next_poll_at,
            }
            validators = poll.status != 304
            if validators:
                # a validator longer than its column is no validator: a cut one never matches
                params["b_etag"] = fitting(FeedRow.etag, poll.etag)
                params["b_modified"] = fitting(FeedRow.last_modified, poll.last_modified)
            if new:
                params["b_new"] = new
            if poll.body is not None:
                params["b_hash"], params["b_dropped"] = poll.body[0], max(0, poll.body[1])
            shape = (validators, bool(new), any_entries and not new, poll.body is not None)
            groups.setdefault(shape, []).append(params)
        for (validators, new_ones, seen, body), rows in groups.items():
            values: dict[str, Any] = {
                "last_polled_at": bindparam("b_now", type_=c.last_polled_at.type),
                "last_ok_at": bindparam("b_now", type_=c.last_ok_at.type),
                "last_status": bindparam("b_status", type_=c.last_status.type),
                "last_error": bindparam("b_error", type_=c.last_error.type),
                "error_count": 0,
                "next_poll_at": bindparam("b_next", type_=c.next_poll_at.type),
            }
            if validators:
                values["etag"] = bindparam("b_etag", type_=c.etag.type)
                values["last_modified"] = bindparam("b_modified", type_=c.last_modified.type)
            if new_ones:
                values["last_new_at"] = bindparam("b_now", type_=c.last_new_at.type)
                values["articles_seen"] = c.articles_seen + bindparam(
                    "b_new", type_=c.articles_seen.type
                )
            elif seen:
                values["last_new_at"] = func.coalesce(
                    c.last_new_at, bindparam("b_now", type_=c.last_new_at.type)
                )
            if body:
                values["body_hash"] = bindparam("b_hash", type_=c.body_hash.type)
                values["entries_dropped"] = bindparam("b_dropped", type_=c.entries_dropped.type)
            # Core, through the connection: an executemany, no ORM bookkeeping
            stmt = update(feeds).where(c.id == bindparam("b_id", type_=c.id.type)).values(values)
            done = s.connection().execute(stmt, rows)
            if getattr(done, "rowcount", len(rows)) != len(rows):
                missing = [r["b_id"] for r in rows if s.get(FeedRow, r["b_id"]) is None]
                raise NoResultFound(f"no feed {missing[0] if missing else '?'}")

    def _store_entries(
        self,
        s: Session,
        polls: Sequence[FeedPoll],
        prepared: Sequence[Sequence[PreparedEntry]],
        now: datetime,
    ) -> list[int]:
        """Store the new entries of several feeds; how many were new, feed by feed."""
        news = [0] * len(polls)
        wanted = sorted({k for entries in prepared for entry in entries for k in entry.keys})
        if not wanted:
            return news
        keys_table = ArticleKeyRow.__table__
        known = self._known_keys(s, wanted)
        fresh: list[tuple[int, PreparedEntry]] = []  # the new articles (feed index, entry)
        owner: dict[str, int] = {}  # key -> index in ``fresh``
        more: dict[str, int] = {}  # a new key of an article already stored -> its id
        for at, entries in enumerate(prepared):
            for entry in entries:
                keys = entry.keys
                stored = next((known[k] for k in keys if k in known), None)
                if stored is not None:  # seen before: remember the keys it has now too
                    for k in keys:
                        if k not in known and k not in owner:
                            more[k] = known[k] = stored
                    continue
                index = next((owner[k] for k in keys if k in owner), len(fresh))
                if index == len(fresh):
                    fresh.append((at, entry))
                for k in keys:
                    owner.setdefault(k, index)
        rows: list[dict[str, Any]] = []
        ids: list[int] = []
        if fresh:
            articles: Any = ArticleRow.__table__
            values = [self._article_values(polls[at].feed, e, now) for at, e in fresh]
            # Core, not the ORM's bulk insert: no per-row ORM bookkeeping
            if self._postgres:
                stmt = insert(articles).returning(articles.c.id, sort_by_parameter_order=True)
                ids = list(s.execute(stmt, values).scalars())
            else:
                # (SQLAlchemy cannot order SQLite's RETURNING rows in a multi-row INSERT: with
                # ``sort_by_parameter_order`` it would insert one row a statement)
                ids = _sqlite_insert_articles(s, values)
            if len(ids) != len(fresh):
                raise StoreError(f"{len(fresh)} articles inserted, {len(ids)} ids returned")
            rows = [{"key": k, "article_id": ids[i]} for k, i in owner.items()]
        rows += [{"key": k, "article_id": a} for k, a in more.items()]
        if not rows:
            return news
        if self._postgres:
            add_keys = self._insert(keys_table).on_conflict_do_nothing().returning(keys_table.c.key)
            inserted = set(s.scalars(add_keys, rows))
        else:
            inserted = _sqlite_insert_keys(s, rows)
        # a key taken meanwhile (another daemon stored the same article): drop our copy
        lost = {i for k, i in owner.items() if k not in inserted}
        if lost:
            s.execute(delete(ArticleRow).where(ArticleRow.id.in_(sorted(ids[i] for i in lost))))
        for i, (at, _entry) in enumerate(fresh):
            if i not in lost:
                news[at] += 1
        return news

    def _known_keys(self, s: Session, wanted: Sequence[str]) -> dict[str, int]:
        """The article each of ``wanted`` keys already belongs to (the keys not stored are
        left out)."""
        known: dict[str, int] = {}
        for chunk in _chunks(wanted, KEY_LOOKUP_CHUNK):
            if self._postgres:
                found: Any = s.execute(
                    select(ArticleKeyRow.key, ArticleKeyRow.article_id).where(
                        ArticleKeyRow.key.in_(chunk)
                    )
                )
            else:  # the driver's own statement: no compiling of 900 bound parameters
                marks = ",".join("?" * len(chunk))
                found = (
                    s.connection()
                    .exec_driver_sql(
                        f"SELECT key, article_id FROM article_keys WHERE key IN ({marks})",
                        tuple(chunk),
                    )
                    .fetchall()
                )
            known.update((key, article_id) for key, article_id in found)
        return known

    @staticmethod
    def _article_values(feed: Feed, entry: PreparedEntry, now: datetime) -> dict[str, Any]:
        return {
            "feed_id": feed.id,
            "url": entry.row_url,
            "guid": entry.row_guid,
            "title": entry.row_title,
            "text": entry.row_text,
            "source": entry.row_source,
            "published_at": entry.published_at,
            "fetched_at": now,
            "fingerprint": entry.fingerprint,
            "judged_at": None,
        }

    def _insert(self, table: Any) -> Any:
        """The dialect's INSERT (for ``ON CONFLICT``): PostgreSQL or SQLite."""
        if self._postgres:
            return postgresql.insert(table)
        return sqlite.insert(table)

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
            row.last_error = clean_text(error[:2000])
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
                    feed_id=feed_id,
                    state=health,
                    at=now,
                    detail=clean_text(detail[:2000]),
                    previous=expected,
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
        # Everything is made ready before the first write: SQLite's write lock is then held
        # for two statements, not for one ORM update per article (a send recorded meanwhile
        # waits for that lock, which widens the window in which a crash sends it twice).
        evidence = [
            (
                article.id,
                {
                    "article_id": article.id,
                    "commitment_id": v.commitment_id,
                    "label": v.label.value,
                    "score": round(v.score, 4),
                    "quote": v.quote or "",
                    "signals": list(v.signals),
                    "created_at": now,
                },
            )
            for article, verdicts in judged
            for v in verdicts
            if v.label in (Label.BREACH, Label.MET)
        ]
        ids = [article.id for article, _ in judged]
        if not ids:
            return 0
        with self.transaction() as s:
            active = set(s.scalars(select(CommitmentRow.id).where(CommitmentRow.active)))
            # one UPDATE per chunk marks the articles judged and says which this process
            # claimed (the articles judged by another daemon meanwhile are left to its evidence)
            claimed: set[int] = set()
            for chunk in _chunks(ids, KEY_LOOKUP_CHUNK):
                claimed.update(
                    s.scalars(
                        update(ArticleRow)
                        .where(ArticleRow.id.in_(chunk), ArticleRow.judged_at.is_(None))
                        .values(judged_at=now)
                        .returning(ArticleRow.id)
                        .execution_options(synchronize_session=False)
                    )
                )
            rows = [
                row
                for article_id, row in evidence
                if article_id in claimed and row["commitment_id"] in active
            ]
            if rows:
                s.execute(insert(EvidenceRow), rows)
            _mark_languages(s, [(a.id, vs) for a, vs in judged if a.id in claimed])
        return len(rows)

    def article(self, article_id: int) -> Article | None:
        with self.transaction() as s:
            row = s.get(ArticleRow, article_id)
            return _article(row) if row else None

    def article_by_url(self, url: str) -> Article | None:
        """The article stored under this link: found by its URL key (an index probe), not
        by a scan of every article's link."""
        with self.transaction() as s:
            row = s.scalars(
                select(ArticleRow)
                .join(ArticleKeyRow, ArticleKeyRow.article_id == ArticleRow.id)
                .where(ArticleKeyRow.key == _key("url", url))
                .limit(1)
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

    def unassessed_evidence(self, commitment_ids: Sequence[str]) -> dict[str, set[int]]:
        """``unassessed_evidence_ids`` of many commitments in one query per chunk (an index
        probe per commitment, not a query each); a commitment with none is left out."""
        out: dict[str, set[int]] = {}
        with self.transaction() as s:
            for chunk in _chunks(sorted(set(commitment_ids)), KEY_LOOKUP_CHUNK):
                rows = s.execute(
                    select(EvidenceRow.commitment_id, EvidenceRow.id).where(
                        EvidenceRow.commitment_id.in_(chunk),
                        EvidenceRow.assessed_at.is_(None),
                    )
                )
                for cid, eid in rows:
                    out.setdefault(cid, set()).add(eid)
        return out

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
                            group_key=item.group_key,
                        )
                    )
                    s.flush()
            except IntegrityError:  # queued by another daemon a moment ago
                continue
            queued += 1
        return queued

    # --- delivering ----------------------------------------------------------

    def _db_now(self) -> ColumnElement[Any]:
        """The database's clock (not this host's): leases are compared against it, so two
        hosts whose clocks disagree still agree on who holds a message."""
        if self._postgres:
            return func.clock_timestamp()
        return func.strftime("%Y-%m-%d %H:%M:%f", "now")

    def _db_now_plus(self, delta: timedelta) -> ColumnElement[Any]:
        seconds = delta.total_seconds()
        if self._postgres:
            return func.clock_timestamp() + func.make_interval(0, 0, 0, 0, 0, 0, seconds)
        return func.strftime("%Y-%m-%d %H:%M:%f", "now", f"{seconds:+.3f} seconds")

    def _unleased(self) -> ColumnElement[bool]:
        return or_(
            OutboxRow.lease_expires_at.is_(None), OutboxRow.lease_expires_at <= self._db_now()
        )

    def due_outbox(self, now: datetime, limit: int = 100) -> list[OutboxItem]:
        """Messages to send now: unsent, not failed, due by ``now``, not held by a sender
        (by the database's clock), and not part of a grouped message."""
        with self.transaction() as s:
            stmt = (
                select(OutboxRow)
                .where(OutboxRow.sent_at.is_(None), OutboxRow.failed_at.is_(None))
                .where(OutboxRow.group_key.is_(None))
                .where(or_(OutboxRow.next_attempt_at.is_(None), OutboxRow.next_attempt_at <= now))
                .where(self._unleased())
                .order_by(OutboxRow.id)
                .limit(limit)
            )
            return [_outbox(r) for r in s.scalars(stmt)]

    def claim_outbox(self, item_id: int, now: datetime, lease: timedelta) -> str | None:
        """Take one message for sending, for ``lease`` by the database's clock.  Returns a
        fresh fencing token (only its holder can record the outcome), or None if the
        message is no longer due or another sender holds it."""
        token = secrets.token_hex(16)
        with self.transaction() as s:
            result = s.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.id == item_id,
                    OutboxRow.sent_at.is_(None),
                    OutboxRow.failed_at.is_(None),
                    or_(OutboxRow.next_attempt_at.is_(None), OutboxRow.next_attempt_at <= now),
                    self._unleased(),
                )
                .values(
                    claim_token=token,
                    lease_expires_at=self._db_now_plus(lease),
                    attempts=OutboxRow.attempts + 1,
                )
            )
            return token if getattr(result, "rowcount", 0) else None

    def _settle(self, item_id: int, token: str | None, values: dict[str, Any]) -> bool:
        """Record a delivery outcome, and the same for the alerts grouped into it.  With a
        ``token``, only if that claim still holds the message (else False: the lease was
        lost and another sender took over)."""
        values = {**values, "claim_token": None, "lease_expires_at": None}
        with self.transaction() as s:
            conditions = [OutboxRow.id == item_id, OutboxRow.sent_at.is_(None)]
            if token is not None:
                conditions.append(OutboxRow.claim_token == token)
            result = s.execute(update(OutboxRow).where(*conditions).values(**values))
            if not getattr(result, "rowcount", 0):
                return False
            key = select(OutboxRow.key).where(OutboxRow.id == item_id).scalar_subquery()
            s.execute(
                update(OutboxRow)
                .where(OutboxRow.group_key == key, OutboxRow.sent_at.is_(None))
                .values(**values)
            )
            return True

    def mark_sent(
        self, item_id: int, now: datetime, token: str | None = None, *, refused: str | None = None
    ) -> bool:
        """The transport accepted the message (``refused``: recipients it turned down)."""
        return self._settle(
            item_id,
            token,
            {"sent_at": now, "last_error": refused[:2000] if refused else None, "refused": refused},
        )

    def sent_recorder(self, item_id: int, key: str, token: str) -> SentRecorder:
        """Get ready, before a send, to record it as sent the moment the channel accepts.

        A crash between the channel's acceptance and the commit of ``mark_sent`` sends
        the message again at the next start; this narrows that window.  Everything that
        can be done before the send is: the file check, a pooled connection checked out,
        the SQL written, the parameters bound.  After the acceptance (``recorder(now,
        refused)``) only two UPDATEs and a COMMIT run on that connection: no ORM work, no
        statement built, few points where the thread waits for the GIL behind a busy poll
        cycle.  No transaction (and no lock) is held during the send itself.  SQLite and
        PostgreSQL; other databases take ``mark_sent``.  Call ``close()`` when done, sent
        or not."""
        return SentRecorder(self, item_id, key, token)

    def mark_retry(
        self, item_id: int, now: datetime, error: str, next_at: datetime, token: str | None = None
    ) -> bool:
        return self._settle(
            item_id, token, {"last_error": error[:2000], "next_attempt_at": next_at}
        )

    def mark_failed(
        self, item_id: int, now: datetime, error: str, token: str | None = None
    ) -> bool:
        return self._settle(item_id, token, {"last_error": error[:2000], "failed_at": now})

    def grouped_keys(self, group_key: str) -> list[str]:
        """The keys of the alerts sent inside the grouped message ``group_key``."""
        with self.transaction() as s:
            stmt = select(OutboxRow.key).where(OutboxRow.group_key == group_key)
            return list(s.scalars(stmt.order_by(OutboxRow.id)))

    def install_id(self) -> str:
        """This database's install id: random, made on first use, then kept (``meta``)."""
        with self.transaction() as s:
            row = s.get(MetaRow, "install_id")
            if row is not None:
                return row.value
        with contextlib.suppress(IntegrityError):
            with self.transaction() as s:
                s.add(MetaRow(key="install_id", value=secrets.token_hex(8)))
        with self.transaction() as s:
            return s.get_one(MetaRow, "install_id").value

    def outbox(self, limit: int = 50) -> list[OutboxItem]:
        with self.transaction() as s:
            return [
                _outbox(r)
                for r in s.scalars(select(OutboxRow).order_by(OutboxRow.id.desc()).limit(limit))
            ]

    def outbox_counts(self) -> dict[str, int]:
        with self.transaction() as s:
            sent = OutboxRow.sent_at.is_not(None)
            failed = OutboxRow.failed_at.is_not(None)
            row = s.execute(
                select(
                    func.count(case((and_(~sent, ~failed), 1))),
                    func.count(case((sent, 1))),
                    func.count(case((failed, 1))),
                ).select_from(OutboxRow)
            ).one()
            return {"pending": int(row[0]), "sent": int(row[1]), "failed": int(row[2])}

    def outbox_partly_failed(self) -> int:
        """Messages sent although the server refused some of their recipients (a grouped
        message counts once, though each alert in it records the refusal)."""
        with self.transaction() as s:
            return (
                s.scalar(
                    select(func.count())
                    .select_from(OutboxRow)
                    .where(OutboxRow.sent_at.is_not(None), OutboxRow.refused.is_not(None))
                    .where(OutboxRow.group_key.is_(None))  # count a grouped message once
                )
                or 0
            )

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

    def unread_languages(self, since: datetime) -> dict[str, int]:
        """Articles fetched since then whose text the judge could not read, by language
        (only their headline was judged): the fetch-time index, then a filter."""
        with self.transaction() as s:
            rows = s.execute(
                select(ArticleRow.language, func.count())
                .where(ArticleRow.fetched_at >= since, ArticleRow.language.is_not(None))
                .group_by(ArticleRow.language)
            )
            return {str(lang): int(n) for lang, n in sorted(rows, key=lambda r: (-r[1], r[0]))}

    def latest_evidence(self) -> dict[str, Evidence]:
        """Per commitment, its most recent evidence: one index probe per commitment
        (``ix_evidence_commitment_id``), never a scan of all evidence."""
        out: dict[str, Evidence] = {}
        with self.transaction() as s:
            newest = (
                select(func.max(EvidenceRow.id))
                .where(EvidenceRow.commitment_id == CommitmentRow.id)
                .correlate(CommitmentRow)
                .scalar_subquery()
            )
            ids = [i for i in s.scalars(select(newest).select_from(CommitmentRow)) if i]
            if not ids:
                return out
            rows = s.execute(
                select(EvidenceRow, ArticleRow)
                .join(ArticleRow, ArticleRow.id == EvidenceRow.article_id)
                .where(EvidenceRow.id.in_(ids))
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

    # --- retention -------------------------------------------------------------

    def prune(
        self,
        *,
        text_before: datetime | None,
        outbox_before: datetime | None,
        now: datetime | None = None,
        batch: int = 2000,
    ) -> tuple[int, int]:
        """Blank the text of judged articles fetched before ``text_before`` (title, link,
        keys and fingerprint stay, so the article is still recognised and its evidence
        still shown), and delete outbox messages sent or failed before ``outbox_before``
        (pending ones are never touched).  In batches, one transaction each.  Returns
        (articles blanked, messages deleted)."""
        blanked = deleted = 0
        while text_before is not None:
            with self.transaction() as s:
                ids = list(
                    s.scalars(
                        select(ArticleRow.id)
                        .where(
                            ArticleRow.fetched_at < text_before,
                            ArticleRow.judged_at.is_not(None),
                            ArticleRow.text != "",
                        )
                        .limit(batch)
                    )
                )
                if ids:
                    s.execute(
                        update(ArticleRow)
                        .where(ArticleRow.id.in_(ids))
                        .values(text="", text_pruned_at=now or text_before)
                    )
            blanked += len(ids)
            if len(ids) < batch:
                break
        while outbox_before is not None:
            with self.transaction() as s:
                done = or_(
                    and_(OutboxRow.sent_at.is_not(None), OutboxRow.sent_at < outbox_before),
                    and_(OutboxRow.failed_at.is_not(None), OutboxRow.failed_at < outbox_before),
                )
                ids = list(s.scalars(select(OutboxRow.id).where(done).limit(batch)))
                if ids:
                    s.execute(delete(OutboxRow).where(OutboxRow.id.in_(ids)))
            deleted += len(ids)
            if len(ids) < batch:
                break
        return blanked, deleted

    # --- feeds stream: what the last parsed body was ----------------------------

    def record_feed_body(self, feed_id: int, *, body_hash: str | None, dropped: int) -> None:
        """Remember the hash of the body just parsed and stored (an identical body is not
        parsed again) and how many of its entries were left out over the cap."""
        with self.transaction() as s:
            row = s.get_one(FeedRow, feed_id)
            row.body_hash = body_hash
            row.entries_dropped = max(0, dropped)

    # --- people in the loop: verdicts, re-judging, acknowledgements, silences, the page ---
    # (monitor/review.py, monitor/oversight.py, monitor/web.py)

    def add_verdict(
        self,
        article_id: int,
        commitment_id: str,
        label: Label,
        *,
        note: str | None,
        by: str,
        score: float | None,
        now: datetime,
    ) -> PersonVerdict:
        """Record a person's verdict and make the pair's evidence carry it (``score``: the
        score it counts with, None to keep the judge's).  A ``breach`` or ``met`` on an
        article the judge passed over becomes new evidence."""
        with self.transaction() as s:
            row = s.scalars(
                select(EvidenceRow).where(
                    EvidenceRow.article_id == article_id,
                    EvidenceRow.commitment_id == commitment_id,
                )
            ).first()
            before = s.scalars(
                select(VerdictRow)
                .where(
                    VerdictRow.article_id == article_id,
                    VerdictRow.commitment_id == commitment_id,
                )
                .order_by(VerdictRow.id)
                .limit(1)
            ).first()
            # the judge's own call, as first overridden (a later verdict overrides a person)
            judge_label = before.judge_label if before else (row.label if row else None)
            judge_score = before.judge_score if before else (row.score if row else None)
            if row is not None:
                row.label = label.value
                row.score = round(score if score is not None else row.score, 4)
                row.assessed_at = None
            elif label in (Label.BREACH, Label.MET):
                article = s.get_one(ArticleRow, article_id)
                s.add(
                    EvidenceRow(
                        article_id=article_id,
                        commitment_id=commitment_id,
                        label=label.value,
                        score=round(score if score is not None else 1.0, 4),
                        quote=note or article.title,
                        signals=[f"verdict by {by}"],
                        created_at=now,
                    )
                )
            v = VerdictRow(
                article_id=article_id,
                commitment_id=commitment_id,
                label=label.value,
                note=note,
                by=by,
                at=now,
                judge_label=judge_label,
                judge_score=judge_score,
            )
            s.add(v)
            s.flush()
            return _verdict(v)

    def verdicts(self, commitment_id: str | None = None) -> list[PersonVerdict]:
        """The verdict in force (the newest) per article x commitment."""
        with self.transaction() as s:
            newest = select(func.max(VerdictRow.id)).group_by(
                VerdictRow.article_id, VerdictRow.commitment_id
            )
            stmt = select(VerdictRow).where(VerdictRow.id.in_(newest))
            if commitment_id is not None:
                stmt = stmt.where(VerdictRow.commitment_id == commitment_id)
            return [_verdict(r) for r in s.scalars(stmt.order_by(VerdictRow.id))]

    def articles_by_ids(self, ids: Sequence[int]) -> list[Article]:
        with self.transaction() as s:
            rows = s.scalars(select(ArticleRow).where(ArticleRow.id.in_(list(ids))))
            return [_article(r) for r in rows]

    def articles_after(self, after_id: int, since: datetime | None, limit: int) -> list[Article]:
        """Stored articles with ids above ``after_id`` (published, else fetched, at or after
        ``since``), in id order: the batches ``rejudge`` walks through.  Articles whose
        text retention blanked are left out: judged on their headline alone they would
        lose evidence their text gave."""
        with self.transaction() as s:
            stmt = select(ArticleRow).where(
                ArticleRow.id > after_id, ArticleRow.text_pruned_at.is_(None)
            )
            if since is not None:
                stmt = stmt.where(
                    func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at) >= since
                )
            return [_article(r) for r in s.scalars(stmt.order_by(ArticleRow.id).limit(limit))]

    def pruned_count(self, since: datetime | None) -> int:
        """Articles (published, else fetched, at or after ``since``) whose text retention
        blanked: what `rejudge` leaves as it was."""
        with self.transaction() as s:
            stmt = select(func.count()).where(ArticleRow.text_pruned_at.is_not(None))
            if since is not None:
                stmt = stmt.where(
                    func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at) >= since
                )
            return int(s.scalar(stmt) or 0)

    def replace_verdicts(
        self, judged: Sequence[tuple[Article, Sequence[Verdict]]], now: datetime
    ) -> set[str]:
        """Bring stored evidence in line with a new judgement of these articles (pairs a
        person has reviewed are left alone).  Evidence the judge no longer finds keeps its
        row with the label ``none``.  Returns the commitments whose evidence changed."""
        changed: set[str] = set()
        ids = [a.id for a, _ in judged]
        with self.transaction() as s:
            active = set(s.scalars(select(CommitmentRow.id).where(CommitmentRow.active)))
            reviewed = set(
                s.execute(
                    select(VerdictRow.article_id, VerdictRow.commitment_id).where(
                        VerdictRow.article_id.in_(ids)
                    )
                )
            )
            rows = {
                (r.article_id, r.commitment_id): r
                for r in s.scalars(select(EvidenceRow).where(EvidenceRow.article_id.in_(ids)))
            }
            for article, verdicts in judged:
                found = {
                    v.commitment_id: v
                    for v in verdicts
                    if v.label in (Label.BREACH, Label.MET) and v.commitment_id in active
                }
                for cid in active:
                    pair = (article.id, cid)
                    if pair in reviewed:
                        continue
                    row, v = rows.get(pair), found.get(cid)
                    if v is None:
                        if row is not None and row.label != Label.NONE.value:
                            row.label, row.score, row.assessed_at = Label.NONE.value, 0.0, None
                            changed.add(cid)
                        continue
                    score, quote = round(v.score, 4), v.quote or ""
                    if row is None:
                        s.add(
                            EvidenceRow(
                                article_id=article.id,
                                commitment_id=cid,
                                label=v.label.value,
                                score=score,
                                quote=quote,
                                signals=list(v.signals),
                                created_at=now,
                            )
                        )
                        changed.add(cid)
                    elif (row.label, row.score, row.quote) != (v.label.value, score, quote):
                        row.label, row.score, row.quote = v.label.value, score, quote
                        row.signals, row.assessed_at = list(v.signals), None
                        changed.add(cid)
                s.execute(
                    update(ArticleRow)
                    .where(ArticleRow.id == article.id)
                    .values(judged_at=now, language=_language(verdicts))
                )
        return changed

    def apply_correction(
        self,
        commitment_id: str,
        expected: Status,
        change: StatusChange | None,
        now: datetime,
        *,
        messages: Callable[[int], Sequence[NewOutboxItem]] | None = None,
        suppressed: str | None = None,
    ) -> bool:
        """Record the outcome of reassessing a commitment from scratch, in one transaction:
        its new status (``change``, None when it stands), every piece of its evidence marked
        assessed, and, for a retraction, the messages ``messages(event_id)`` makes (the
        event is then alerted).  Refuses if the status moved since it was read."""
        with self.transaction() as s:
            moved = s.execute(
                update(CommitmentRow)
                .where(CommitmentRow.id == commitment_id, CommitmentRow.status == expected.value)
                .values(
                    status=change.to_status.value if change else expected.value,
                    status_changed_at=change.at if change else CommitmentRow.status_changed_at,
                )
            )
            if not getattr(moved, "rowcount", 0):
                return False
            s.execute(
                update(EvidenceRow)
                .where(
                    EvidenceRow.commitment_id == commitment_id, EvidenceRow.assessed_at.is_(None)
                )
                .values(assessed_at=now)
            )
            if change is None:
                return True
            event = StatusEventRow(
                commitment_id=change.commitment_id,
                from_status=change.from_status,
                to_status=change.to_status,
                at=change.at,
                reason=change.reason,
                evidence_ids=list(change.evidence_ids),
            )
            s.add(event)
            s.flush()
            if messages is not None or suppressed is not None:
                event.alerted_at = now
                event.alert_suppressed = suppressed[:200] if suppressed else None
                if messages is not None:
                    self._enqueue(s, messages(event.id), now)
            return True

    def retracted_since(self, commitment_id: str, since: datetime) -> bool:
        """Whether a retraction (a status taken back, see monitor/review.py) of the
        commitment was alerted at or after ``since``."""
        with self.transaction() as s:
            found = s.scalar(
                select(func.count())
                .select_from(StatusEventRow)
                .where(
                    StatusEventRow.commitment_id == commitment_id,
                    StatusEventRow.reason.like(f"{RETRACTED_PREFIX}%"),
                    StatusEventRow.alerted_at >= since,
                )
            )
            return bool(found)

    def status_events(self, commitment_id: str, limit: int = 50) -> list[StoredEvent]:
        with self.transaction() as s:
            rows = s.scalars(
                select(StatusEventRow)
                .where(StatusEventRow.commitment_id == commitment_id)
                .order_by(StatusEventRow.id.desc())
                .limit(limit)
            )
            return [StoredEvent(r.id, _change(r)) for r in rows]

    def commitment_evidence(
        self, commitment_id: str, limit: int = 200
    ) -> list[tuple[Evidence, PersonVerdict | None]]:
        """A commitment's evidence, newest first, each with the person's verdict in force."""
        with self.transaction() as s:
            rows = list(
                s.execute(
                    select(EvidenceRow, ArticleRow)
                    .join(ArticleRow, ArticleRow.id == EvidenceRow.article_id)
                    .where(EvidenceRow.commitment_id == commitment_id)
                    .order_by(
                        func.coalesce(ArticleRow.published_at, EvidenceRow.created_at).desc(),
                        EvidenceRow.id.desc(),
                    )
                    .limit(limit)
                )
            )
            newest = select(func.max(VerdictRow.id)).where(
                VerdictRow.commitment_id == commitment_id,
                VerdictRow.article_id.in_([e.article_id for e, _ in rows]),
            )
            verdicts = {
                v.article_id: _verdict(v)
                for v in s.scalars(
                    select(VerdictRow).where(
                        VerdictRow.id.in_(
                            newest.group_by(VerdictRow.article_id, VerdictRow.commitment_id)
                        )
                    )
                )
            }
            return [(_evidence(e, a), verdicts.get(e.article_id)) for e, a in rows]

    def strongest_evidence(self, commitment_id: str | None = None) -> dict[str, Evidence]:
        """Per commitment (or for one), its strongest breach or met evidence."""
        with self.transaction() as s:
            rank = (
                func.row_number()
                .over(
                    partition_by=EvidenceRow.commitment_id,
                    order_by=(EvidenceRow.score.desc(), EvidenceRow.id.desc()),
                )
                .label("rank")
            )
            ranked = select(EvidenceRow.id, rank).where(
                EvidenceRow.label.in_([Label.BREACH.value, Label.MET.value])
            )
            if commitment_id is not None:
                ranked = ranked.where(EvidenceRow.commitment_id == commitment_id)
            best = ranked.subquery()
            rows = s.execute(
                select(EvidenceRow, ArticleRow)
                .join(best, best.c.id == EvidenceRow.id)
                .join(ArticleRow, ArticleRow.id == EvidenceRow.article_id)
                .where(best.c.rank == 1)
            )
            return {e.commitment_id: _evidence(e, a) for e, a in rows}

    def acknowledge(
        self, commitment_id: str, status: Status, by: str, note: str | None, now: datetime
    ) -> Acknowledgement:
        with self.transaction() as s:
            row = AcknowledgementRow(
                commitment_id=commitment_id, status=status.value, by=by, note=note, at=now
            )
            s.add(row)
            s.flush()
            return _ack(row)

    def acknowledgements(self) -> dict[str, Acknowledgement]:
        """The newest acknowledgement per commitment."""
        with self.transaction() as s:
            newest = select(func.max(AcknowledgementRow.id)).group_by(
                AcknowledgementRow.commitment_id
            )
            return {
                r.commitment_id: _ack(r)
                for r in s.scalars(
                    select(AcknowledgementRow).where(AcknowledgementRow.id.in_(newest))
                )
            }

    def add_silence(
        self,
        scope: SilenceScope,
        target: str,
        *,
        until: datetime,
        reason: str,
        by: str,
        now: datetime,
    ) -> Silence:
        with self.transaction() as s:
            row = SilenceRow(
                scope=scope.value,
                target=target,
                reason=reason,
                by=by,
                created_at=now,
                until_at=until,
            )
            s.add(row)
            s.flush()
            return _silence(row)

    def silences(self, now: datetime | None = None) -> list[Silence]:
        """Silences not removed (and, given ``now``, not yet expired), oldest first."""
        with self.transaction() as s:
            stmt = select(SilenceRow).where(SilenceRow.removed_at.is_(None))
            if now is not None:
                stmt = stmt.where(SilenceRow.until_at > now)
            return [_silence(r) for r in s.scalars(stmt.order_by(SilenceRow.id))]

    def remove_silence(self, silence_id: int, now: datetime) -> bool:
        with self.transaction() as s:
            result = s.execute(
                update(SilenceRow)
                .where(SilenceRow.id == silence_id, SilenceRow.removed_at.is_(None))
                .values(removed_at=now)
            )
            return bool(getattr(result, "rowcount", 0))

    def enqueue(self, items: Sequence[NewOutboxItem], now: datetime) -> int:
        """Queue messages (a key already queued is skipped)."""
        if not items:
            return 0
        with self.transaction() as s:
            return self._enqueue(s, items, now)

    def last_poll_at(self) -> datetime | None:
        """When a feed was last polled (the health check's sign of a live daemon)."""
        with self.transaction() as s:
            return s.scalar(select(func.max(FeedRow.last_polled_at)))

    def metrics_counts(self) -> dict[str, Any]:
        """Counts for ``/metrics``: articles, evidence by label, events, outbox by state and
        channel, feeds by health."""
        with self.transaction() as s:

            def grouped(*cols: Any) -> list[tuple[Any, ...]]:
                return [tuple(r) for r in s.execute(select(*cols, func.count()).group_by(*cols))]

            outbox_state = case(
                (OutboxRow.sent_at.is_not(None), "sent"),
                (OutboxRow.failed_at.is_not(None), "failed"),
                else_="pending",
            )
            return {
                "articles": int(s.scalar(select(func.count()).select_from(ArticleRow)) or 0),
                "evidence": grouped(EvidenceRow.label),
                "events": int(s.scalar(select(func.count()).select_from(StatusEventRow)) or 0),
                "outbox": grouped(OutboxRow.kind, OutboxRow.channel, outbox_state),
                "retrying": int(
                    s.scalar(
                        select(func.count())
                        .select_from(OutboxRow)
                        .where(
                            OutboxRow.sent_at.is_(None),
                            OutboxRow.failed_at.is_(None),
                            OutboxRow.last_error.is_not(None),
                        )
                    )
                    or 0
                ),
                "feeds": grouped(FeedRow.health),
                "verdicts": int(s.scalar(select(func.count()).select_from(VerdictRow)) or 0),
            }

    def ping(self) -> None:
        """Raise StoreError unless the database answers."""
        with self.transaction() as s:
            s.execute(select(1))


#: How the reason of a retraction event starts (monitor/review.py writes it).
RETRACTED_PREFIX = "retracted by "


def _verdict(row: VerdictRow) -> PersonVerdict:
    return PersonVerdict(
        id=row.id,
        article_id=row.article_id,
        commitment_id=row.commitment_id,
        label=Label(row.label),
        note=row.note,
        by=row.by,
        at=row.at,
        judge_label=Label(row.judge_label) if row.judge_label else None,
        judge_score=row.judge_score,
    )


def _ack(row: AcknowledgementRow) -> Acknowledgement:
    return Acknowledgement(row.id, row.commitment_id, Status(row.status), row.by, row.note, row.at)


def _silence(row: SilenceRow) -> Silence:
    return Silence(
        id=row.id,
        scope=SilenceScope(row.scope),
        target=row.target,
        reason=row.reason,
        by=row.by,
        created_at=row.created_at,
        until_at=row.until_at,
        removed_at=row.removed_at,
    )


_SENT_SET = (
    "SET sent_at = ?, last_error = ?, refused = ?, claim_token = NULL, lease_expires_at = NULL"
)
_SENT_ITEM = f"UPDATE outbox {_SENT_SET} WHERE id = ? AND sent_at IS NULL AND claim_token = ?"
_SENT_GROUP = f"UPDATE outbox {_SENT_SET} WHERE group_key = ? AND sent_at IS NULL"


class SentRecorder:
    """``Store.sent_recorder``: records one claimed message as sent, fast, with
    the same effect as ``Store.mark_sent(item_id, now, token, refused=...)``."""

    def __init__(self, store: Store, item_id: int, key: str, token: str) -> None:
        self._store = store
        self._item_id = item_id
        self._token = token
        self._key = key
        self._connection: Any = None
        self._busy_ms = 30000
        self._sqlite = store.engine.dialect.name == "sqlite"
        self._sql_item, self._sql_group = _SENT_ITEM, _SENT_GROUP
        if not self._sqlite and store.engine.dialect.name != "postgresql":
            return
        # the value as SQLAlchemy would bind it (UTCDateTime: naive UTC text on SQLite)
        bind = OutboxRow.__table__.c.sent_at.type.bind_processor(store.engine.dialect)
        self._bind_time: Callable[[datetime], Any] = bind or (lambda at: at)
        if not self._sqlite:  # psycopg: "format" parameters; the server waits for row locks
            self._sql_item = _SENT_ITEM.replace("?", "%s")
            self._sql_group = _SENT_GROUP.replace("?", "%s")
            try:
                self._connection = store.engine.raw_connection()
            except (OperationalError, DBAPIError) as e:
                raise StoreError(str(getattr(e, "orig", None) or e)) from e
            return
        store.check_database()
        try:
            self._connection = store.engine.raw_connection()
            # Waiting for another writer: SQLite's busy handler sleeps 1, 2, 5 ... 100 ms
            # between its tries, so it wakes up to 100 ms after the lock is free.  Off for
            # this connection (restored in close): __call__ tries again every 0.5 ms.
            cursor = self._connection.cursor()
            try:
                self._busy_ms = int(cursor.execute("PRAGMA busy_timeout").fetchone()[0])
                cursor.execute("PRAGMA busy_timeout=0")
            finally:
                cursor.close()
        except (OperationalError, DBAPIError, sqlite3.Error) as e:
            self.close()
            raise StoreError(str(getattr(e, "orig", None) or e)) from e

    def __call__(self, now: datetime, refused: str | None = None) -> bool:
        if self._connection is None:
            return self._store.mark_sent(self._item_id, now, self._token, refused=refused)
        set_values = (self._bind_time(now), refused[:2000] if refused else None, refused)
        cursor = self._connection.cursor()
        try:
            give_up = time.monotonic() + self._busy_ms / 1000
            while True:
                try:
                    cursor.execute(self._sql_item, (*set_values, self._item_id, self._token))
                    break
                except sqlite3.OperationalError as e:
                    locked = e.sqlite_errorcode & 0xFF in (
                        sqlite3.SQLITE_BUSY,
                        sqlite3.SQLITE_LOCKED,
                    )
                    if not locked or time.monotonic() > give_up:
                        raise
                    self._connection.rollback()
                    time.sleep(0.0005)
            if cursor.rowcount != 1:
                self._connection.rollback()
                return False
            cursor.execute(self._sql_group, (*set_values, self._key))
            self._connection.commit()
            return True
        except Exception as e:
            with contextlib.suppress(Exception):
                self._connection.rollback()
            raise StoreError(str(e)) from e
        finally:
            cursor.close()

    def close(self) -> None:
        """Give the connection back to the pool."""
        if self._connection is not None:
            try:
                self._connection.rollback()
                if self._sqlite:
                    self._connection.execute(f"PRAGMA busy_timeout={int(self._busy_ms)}")
            except Exception:  # never back into the pool with no busy timeout, or broken
                self._connection.invalidate()
            self._connection.close()
            self._connection = None


def _language(verdicts: Sequence[Verdict]) -> str | None:
    """The language an article was not judged in (every verdict carries it), else None."""
    return next((v.language for v in verdicts if v.language is not None), None)


def _mark_languages(s: Session, judged: Sequence[tuple[int, Sequence[Verdict]]]) -> None:
    """Record the language of the articles whose text the judge could not read: one
    UPDATE per language (they are few; a readable article keeps NULL)."""
    by_language: dict[str, list[int]] = {}
    for article_id, verdicts in judged:
        lang = _language(verdicts)
        if lang is not None:
            by_language.setdefault(lang[:16], []).append(article_id)
    for lang, ids in by_language.items():
        for chunk in _chunks(ids, KEY_LOOKUP_CHUNK):
            s.execute(
                update(ArticleRow)
                .where(ArticleRow.id.in_(chunk))
                .values(language=lang)
                .execution_options(synchronize_session=False)
            )
