"""The database schema: typed SQLAlchemy 2 tables (``*Row``), engine set-up, migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import NullPool

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: the SQLite upgrade is not serialised
    fcntl = None  # type: ignore[assignment]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An aware-UTC datetime on every backend (SQLite stores it naive, as UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: monitor stores aware UTC only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, list[Any]: JSON}


class FeedRow(Base):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str] = mapped_column(Text)
    interval_seconds: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    next_poll_at: Mapped[datetime | None] = mapped_column(index=True)
    last_polled_at: Mapped[datetime | None]
    last_ok_at: Mapped[datetime | None]
    last_new_at: Mapped[datetime | None]
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    gone: Mapped[bool] = mapped_column(Boolean, default=False)
    articles_seen: Mapped[int] = mapped_column(Integer, default=0)
    health: Mapped[str] = mapped_column(String(16), default="ok", server_default="ok")
    created_at: Mapped[datetime]
    # SHA-256 (hex) of the last body parsed: an identical body is not parsed again
    body_hash: Mapped[str | None] = mapped_column(String(64))
    # entries of the last parsed body left out because the feed had more than the cap
    entries_dropped: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id", ondelete="SET NULL"))
    # a link is kept whole (a cut one would not open); other strings from feeds are cut to
    # their column by the store, alike on SQLite and PostgreSQL
    url: Mapped[str | None] = mapped_column(Text)
    guid: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300))
    published_at: Mapped[datetime | None]
    fetched_at: Mapped[datetime]
    fingerprint: Mapped[int] = mapped_column(BigInteger, default=0)  # signed 64-bit SimHash
    judged_at: Mapped[datetime | None]
    # set when the judge could not read the text: the language it is in ("fr"); only a
    # readable headline was judged (`status` counts these, `explain` says so)
    language: Mapped[str | None] = mapped_column(String(16))
    # when retention blanked the text: `rejudge` then leaves the article's evidence alone
    text_pruned_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_articles_unjudged", "judged_at", "id"),
        Index("ix_articles_fetched_at", "fetched_at"),  # retention, coverage of a period
        Index("ix_articles_feed_fetched", "feed_id", "fetched_at"),  # a feed's articles
    )


class ArticleKeyRow(Base):
    """Every identity an article is known by: its entry id in a feed, its canonical URL,
    its content hash.  An incoming entry that matches any key is the same article."""

    __tablename__ = "article_keys"

    key: Mapped[str] = mapped_column(String(2100), primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )


class CommitmentRow(Base):
    __tablename__ = "commitments"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    status_changed_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    synced_at: Mapped[datetime]


class EvidenceRow(Base):
    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    commitment_id: Mapped[str] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float)
    quote: Mapped[str] = mapped_column(Text)
    signals: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    assessed_at: Mapped[datetime | None]

    __table_args__ = (
        UniqueConstraint("article_id", "commitment_id", name="uq_evidence_article_commitment"),
        Index("ix_evidence_commitment_assessed", "commitment_id", "assessed_at"),
        Index("ix_evidence_commitment_id", "commitment_id", "id"),  # latest, evidence_for
        Index("ix_evidence_created_at", "created_at"),  # the digest's period
    )


class StatusEventRow(Base):
    __tablename__ = "status_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment_id: Mapped[str] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(index=True)
    reason: Mapped[str] = mapped_column(Text)
    evidence_ids: Mapped[list[Any]] = mapped_column(JSON)
    alerted_at: Mapped[datetime | None] = mapped_column(index=True)
    alert_suppressed: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (Index("ix_status_events_commitment", "commitment_id", "to_status"),)


class OutboxRow(Base):
    """One message for one channel.  ``key`` is unique: an alert reaches a channel once."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    channel: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(300))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # Delivery lease: who is sending the message (a fresh token per claim: only its holder
    # may record the outcome) and until when, by the database's clock (not a host's).
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_expires_at: Mapped[datetime | None]
    # Recipients the server refused although others took the message ("addr: reply" lines).
    refused: Mapped[str | None] = mapped_column(Text)
    # Set on an alert sent as part of a grouped message: the group message's key.  Such a
    # row is never sent on its own; it is marked sent with its group.
    group_key: Mapped[str | None] = mapped_column(String(300), index=True)

    __table_args__ = (Index("ix_outbox_pending", "sent_at", "failed_at", "next_attempt_at"),)


class MetaRow(Base):
    """Key/value facts about this database, e.g. ``install_id`` (random, made once)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DigestRow(Base):
    __tablename__ = "digests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    period_start_at: Mapped[datetime | None]
    period_end_at: Mapped[datetime]
    created_at: Mapped[datetime]


class HealthEventRow(Base):
    """Feed-health alerts: a feed went silent or failing, or recovered."""

    __tablename__ = "health_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16))  # "failing" | "silent" | "gone" | "ok"
    previous: Mapped[str] = mapped_column(String(16), server_default="ok")
    at: Mapped[datetime]
    detail: Mapped[str] = mapped_column(Text)
    alerted_at: Mapped[datetime | None]


# --- people in the loop (monitor/review.py): verdicts, acknowledgements, silences ---------


class VerdictRow(Base):
    """A person's verdict on one article x commitment.  Verdicts are kept (never updated):
    the newest one for a pair is in force."""

    __tablename__ = "verdicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    commitment_id: Mapped[str] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime]
    judge_label: Mapped[str | None] = mapped_column(String(16))  # the judge's call it overrode
    judge_score: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (Index("ix_verdicts_pair", "article_id", "commitment_id"),)


class AcknowledgementRow(Base):
    """Someone acknowledged a commitment's status: no reminders until the status changes."""

    __tablename__ = "acknowledgements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment_id: Mapped[str] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]


class SilenceRow(Base):
    """No alerts for a commitment, a feed or a channel until ``until_at``."""

    __tablename__ = "silences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))  # "commitment" | "feed" | "channel"
    target: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    until_at: Mapped[datetime] = mapped_column(index=True)
    removed_at: Mapped[datetime | None]


class CycleRow(Base):
    """One poll cycle: when it ran, what it read, and who ran it (the daemon's heartbeat).
    Coverage (what time the feeds were actually read) is computed from these rows."""

    __tablename__ = "cycles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None]
    feeds_due: Mapped[int] = mapped_column(Integer)
    feeds_ok: Mapped[int] = mapped_column(Integer)
    feeds_failed: Mapped[int] = mapped_column(Integer)
    new_articles: Mapped[int] = mapped_column(Integer)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    tick_seconds: Mapped[float | None] = mapped_column(Float)  # None: a single `run --once`


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)  # pooled: the pragmas below run once per connection
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def migrations_dir() -> Path:
    """Where the Alembic scripts are: the top-level ``alembic/`` folder, shipped in the
    package as ``monitor/_alembic`` when installed from a wheel."""
    packaged = Path(__file__).parent / "_alembic"
    if (packaged / "env.py").exists():
        return packaged
    return Path(__file__).resolve().parent.parent / "alembic"


def alembic_config(url: str) -> Any:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


# pg_advisory_lock key of the schema upgrade: any fixed 64-bit number (b"monitor\x01")
UPGRADE_LOCK_KEY = 0x6D6F6E69746F7201


@contextmanager
def upgrade_lock(url: str) -> Iterator[None]:
    """Hold the database's upgrade lock: daemons started at once on one fresh database take
    turns to migrate it (the later ones then find it current).  PostgreSQL: a session-level
    advisory lock.  SQLite: an exclusive ``flock`` on a file beside the database (never on
    the database file itself: closing any descriptor of that file would drop SQLite's own
    POSIX locks)."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": UPGRADE_LOCK_KEY})
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": UPGRADE_LOCK_KEY})
        finally:
            engine.dispose()
        return
    database = parsed.database if backend == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:") or not fcntl:
        yield
        return
    lock_file = Path(f"{database}.upgrade-lock")
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def upgrade(url: str) -> None:
    """Bring the schema to the newest revision (run at every start), one process at a time."""
    from alembic import command

    with upgrade_lock(url):
        command.upgrade(alembic_config(url), "head")
