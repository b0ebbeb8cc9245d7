"""Domain types shared by every stage: frozen dataclasses and enums.

No I/O and no third-party imports here; every datetime is aware UTC and its
name ends in ``_at``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from monitor.judge.data import KindData


class Label(StrEnum):
    """What one article (or sentence) says about one commitment."""

    BREACH = "breach"
    MET = "met"
    RELATED = "related"
    NONE = "none"


class Status(StrEnum):
    """Where a commitment stands."""

    PENDING = "pending"
    AT_RISK = "at risk"
    BREACHED = "breached"
    MET = "met"
    OVERDUE = "overdue"


#: Transitions into these statuses raise an alert.
ALERTING_STATUSES = frozenset({Status.AT_RISK, Status.BREACHED, Status.MET, Status.OVERDUE})


class Kind(StrEnum):
    """The shipped kinds of commitment (``monitor/data/kinds``); a watchlist may add more.

    ``Commitment.kind`` is a kind's name: one of these or any kind a watchlist defines.
    """

    CEASEFIRE = "ceasefire"  # hostilities must stop / not resume
    TALKS = "talks"  # a meeting or round of talks must take place
    NO_TALKS = "no-talks"  # a party must not negotiate with a group
    NO_SANCTUARY = "no-sanctuary"  # a territory must not host a group
    INFORM = "inform"  # a party must notify another (mediators) of something
    RELEASE = "release"  # people held must be released, exchanged or returned
    WITHDRAWAL = "withdrawal"  # forces must leave an area or pull back
    AID = "aid"  # aid or supplies must be let in
    DISARMAMENT = "disarmament"  # an armed group must hand in its weapons and demobilise
    VOTE = "vote"  # an election or a referendum must be held
    TRANSITION = "transition"  # power must be handed to elected civilians or a successor
    OTHER = "other"  # only the watchlist's own signals count


@dataclass(frozen=True)
class Entity:
    """A party, place or group, with the names outlets use for it."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    #: An armed group (not a state): its clashes with troops are no clash between two states,
    #: and a truce it is bound by is broken by its attacks.  None: unsaid (``monitor
    #: check`` asks about a party outlets call "rebels" or "militants").
    armed_group: bool | None = None


class Renewal(NamedTuple):
    """The agreement was renewed or extended ``at``: it runs until ``deadline`` from then;
    ``source`` says where that was reported (a statement, a link), as the watchlist gives it."""

    at: datetime
    deadline: datetime
    source: str | None = None


@dataclass(frozen=True)
class Commitment:
    """A tracked statement with provenance, parties, dates and signals.

    ``parties`` and ``subjects`` are entity ids (see ``Entity``); a sentence is
    about the commitment when it names its subject terms or enough of its
    parties.  ``breach_signals`` / ``met_signals`` are the watchlist's own
    phrases (case-insensitive; a trailing ``*`` matches any word ending).
    ``effective_at``: evidence about events before it does not count.
    ``window_start_at``/``window_end_at``: when something must happen (talks on
    25-27 Oct); ``deadline_at``: it must happen by then, else ``overdue``.
    """

    id: str
    title: str
    statement: str
    kind: str  # a kind's name (``Kind`` lists the shipped ones); ``vocabulary`` holds it
    said_by: str
    said_at: datetime | None
    source_url: str | None
    parties: tuple[str, ...]
    subjects: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    topics_required: bool = False  # an article must name one of ``topics``
    breach_signals: tuple[str, ...] = ()
    met_signals: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    #: (signal, phrases): the signal does not count in a sentence naming one of the phrases.
    exceptions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    effective_at: datetime | None = None
    #: The day ``effective`` names in its own time zone (None: ``effective_at``'s UTC day).
    #: An article dates events by local days: with effective 2025-05-15T00:00+02:00, "May 14"
    #: is before it.
    effective_day: date | None = None
    window_start_at: datetime | None = None
    window_end_at: datetime | None = None
    deadline_at: datetime | None = None
    ongoing: bool = True  # an ongoing pledge can be breached after being upheld
    #: The kind's vocabulary when the watchlist adds or extends kinds (``monitor.judge.data``);
    #: None: the shipped vocabulary of ``kind``.
    vocabulary: KindData | None = None
    #: Each renewal, oldest first; ``deadline_at`` is the last one's deadline.
    renewals: tuple[Renewal, ...] = ()
    #: The commitment that replaced this one, from ``ended_at`` (its ``effective``): reports
    #: published from then on are not judged against this one, and it cannot become overdue.
    superseded_by: str | None = None
    ended_at: datetime | None = None

    @property
    def effective_date(self) -> date | None:
        """The day it takes effect, as an article's dates would name it."""
        if self.effective_day is not None:
            return self.effective_day
        return None if self.effective_at is None else self.effective_at.date()


@dataclass(frozen=True)
class Feed:
    id: int
    name: str
    url: str
    interval_seconds: int
    etag: str | None = None
    last_modified: str | None = None
    next_poll_at: datetime | None = None
    last_ok_at: datetime | None = None
    last_new_at: datetime | None = None
    last_error: str | None = None
    error_count: int = 0
    gone: bool = False
    created_at: datetime | None = None
    last_status: int | None = None  # HTTP status of the last poll
    health: str = "ok"  # the last health state reported (see monitor/health.py)
    body_hash: str | None = None  # SHA-256 of the last body parsed (identical: not parsed)
    entries_dropped: int = 0  # entries of the last body left out over the cap


@dataclass(frozen=True)
class FetchResult:
    """What the fetch stage hands to parse: bytes (or "not modified") plus validators."""

    url: str  # the final URL after redirects
    status: int
    content: bytes | None  # None when not modified
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    etag: str | None = None
    last_modified: str | None = None
    retry_after_seconds: float | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class Entry:
    """One normalised feed entry, as parse returns it (pure text, no HTML)."""

    identity: str  # stable key within a feed: guid, else link, else a content hash
    guid: str | None
    url: str | None  # canonical http(s) link, or None
    title: str
    text: str  # summary/content as plain text
    published_at: datetime | None
    publisher: str | None = None  # the original publisher an aggregator names (<source>)


@dataclass(frozen=True)
class ParseResult:
    entries: tuple[Entry, ...]
    feed_title: str | None
    bozo: bool
    bozo_message: str | None = None
    dropped: int = 0  # distinct entries left out because the feed had more than the cap
    failed_entries: int = 0  # entries that could not be read (each skipped, the rest kept)


@dataclass(frozen=True)
class Article:
    """A stored article, as the judge stage sees it."""

    id: int
    feed_id: int | None
    url: str | None
    title: str
    text: str
    source: str  # the publisher (host name of the link, else the feed's name)
    published_at: datetime | None
    fetched_at: datetime
    fingerprint: int = 0  # 64-bit SimHash of the text, for syndication


@dataclass(frozen=True)
class SentenceFinding:
    """One sentence weighed against one commitment: whether it counted and why."""

    sentence: str
    label: Label  # the label it would carry (breach/met/related)
    score: float
    signals: tuple[str, ...]  # the signals that fired
    counted: bool
    reasons: tuple[str, ...] = ()  # guards that fired ("negated: 'no'", "other conflict: Gaza")


@dataclass(frozen=True)
class Verdict:
    """One article judged against one commitment."""

    commitment_id: str
    label: Label
    score: float  # 0.0-1.0
    quote: str | None  # the sentence that decided it
    signals: tuple[str, ...] = ()
    findings: tuple[SentenceFinding, ...] = ()
    #: Set when the article's text was not judged: the language it is in ("fr"), which the
    #: judge does not read.  Only its headline, when readable, was judged.
    language: str | None = None


@dataclass(frozen=True)
class Evidence:
    """A stored verdict of breach or met, with its article's provenance."""

    id: int
    article_id: int
    commitment_id: str
    label: Label
    score: float
    quote: str
    signals: tuple[str, ...]
    source: str
    url: str | None
    title: str
    published_at: datetime | None
    created_at: datetime
    fingerprint: int = 0


@dataclass(frozen=True)
class StatusChange:
    """A status transition with the evidence that caused it."""

    commitment_id: str
    from_status: Status
    to_status: Status
    at: datetime
    reason: str
    evidence_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class OutboxItem:
    """One message for one channel, with a stable key (unique per alert and channel)."""

    id: int
    key: str
    channel: str
    kind: str  # "alert" | "alerts" (several, grouped) | "digest" | "health" | "healths"
    subject: str
    message_id: str
    payload: str  # the rendered RFC 5322 message
    attempts: int = 0
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    failed_at: datetime | None = None
    last_error: str | None = None
    refused: str | None = None  # recipients refused while others took it ("addr: reply")
    group_key: str | None = None  # sent inside this grouped message, not on its own
    created_at: datetime | None = None


# --- people in the loop (monitor/review.py) --------------------------------------------


class SilenceScope(StrEnum):
    COMMITMENT = "commitment"
    FEED = "feed"
    CHANNEL = "channel"


@dataclass(frozen=True)
class PersonVerdict:
    """A person's verdict on one article x commitment; it overrides the judge's."""

    id: int
    article_id: int
    commitment_id: str
    label: Label
    note: str | None
    by: str
    at: datetime
    judge_label: Label | None = None  # what the judge had said (None: no evidence)
    judge_score: float | None = None


@dataclass(frozen=True)
class Acknowledgement:
    """Someone saw a commitment's status: no reminders while it stays so."""

    id: int
    commitment_id: str
    status: Status
    by: str
    note: str | None
    at: datetime


@dataclass(frozen=True)
class Silence:
    """No alerts for a commitment, a feed or a channel until ``until_at``."""

    id: int
    scope: SilenceScope
    target: str
    reason: str
    by: str
    created_at: datetime
    until_at: datetime
    removed_at: datetime | None = None

    def active(self, now: datetime) -> bool:
        return self.removed_at is None and self.created_at <= now < self.until_at
