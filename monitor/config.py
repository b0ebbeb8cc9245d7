"""The watchlist: pydantic models and ``load_config(path)``.

Every problem in a file is reported at once, each with its YAML path and line.
Strings may use ``${VAR}`` to take a value (a password, say) from the
environment.  ``MONITOR_DATABASE_URL`` and ``MONITOR_OUTBOX_DIR`` override the
database URL and the outbox folder.  No database or network access here.
"""

from __future__ import annotations

import os
import re
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from apscheduler.triggers.cron import CronTrigger
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from monitor.errors import ConfigError, Problem
from monitor.judge.data import DEFAULT_ENTITIES, SHIPPED, KindDataError, Knowledge
from monitor.judge.data import extend as extend_kind
from monitor.judge.data import load as load_knowledge
from monitor.models import Commitment, Entity
from monitor.models import Renewal as RenewalOn
from monitor.redact import Redactor, env_references

DEFAULT_CONFIG = "config/watchlist.yaml"
DEFAULT_DATABASE_URL = "sqlite:///var/monitor.db"
DEFAULT_OUTBOX_DIR = "var/outbox"

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]
Phrase = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
EmailAddress = Annotated[
    str, StringConstraints(pattern=r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+$", max_length=254)
]


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/?#]+[^\s]*$", value):
        raise ValueError("must be an http:// or https:// URL")
    return value


#: Dates a watchlist may hold: far enough from the ends of ``datetime`` that adding a grace
#: period, a window or a retention time can never overflow at run time.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2999, 12, 31)


def _in_range(value: date) -> date:
    if not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(f"must be a date between {MIN_DATE} and {MAX_DATE}")
    return value


Day = Annotated[date, AfterValidator(_in_range)]

#: The longest duration any setting may hold (hours): ten years.
MAX_HOURS = 10 * 365 * 24


class _Model(BaseModel):
    # .inf and .nan are refused everywhere: a number that cannot be a duration fails here,
    # not in the daemon
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _database_url(value: str) -> str:
    """A URL SQLAlchemy can open: parseable, of a backend monitor supports."""
    try:
        url = make_url(value)
        backend = url.get_backend_name()
    except (ArgumentError, ValueError) as e:
        raise ValueError(
            "is not a database URL (sqlite:///FILE or postgresql+psycopg://...)"
        ) from e
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"database {backend!r} is not supported (use sqlite or postgresql)")
    if url.port is not None and not 1 <= url.port <= 65535:
        raise ValueError(f"port {url.port} is out of range (1-65535)")
    try:
        url.get_dialect().import_dbapi()
    except ImportError as e:
        raise ValueError(
            f"the database driver {url.get_driver_name()!r} is not installed "
            "(use sqlite:///FILE or postgresql+psycopg://...)"
        ) from e
    return value


class DatabaseConfig(_Model):
    url: str = DEFAULT_DATABASE_URL

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return _database_url(v)


class PollingConfig(_Model):
    interval_minutes: float = Field(15, gt=0, le=7 * 24 * 60)
    max_concurrency: int = Field(32, ge=1, le=256)
    per_host: int = Field(2, ge=1, le=16)
    connect_timeout_seconds: float = Field(10, gt=0, le=300)
    read_timeout_seconds: float = Field(20, gt=0, le=600)
    deadline_seconds: float = Field(60, gt=0, le=3600)
    max_bytes: int = Field(5_000_000, ge=10_000, le=200_000_000)
    # a feed that brings nothing new for this long is unhealthy
    silent_after_hours: float = Field(48, gt=0, le=MAX_HOURS)
    # feeds, redirects, `monitor explain URL` and the webhook may reach private/local addresses
    allow_private_addresses: bool = False
    # this many failed polls in a row make a feed "failing" (one health alert)
    failures_before_alert: int = Field(5, ge=1, le=1000)
    # a read covers the time back to the previous read if that was at most this long ago
    coverage_gap_hours: float = Field(6, gt=0, le=MAX_HOURS)
    # each feed's parse, in a worker process: CPU seconds and memory (MB) before it is cut off
    parse_cpu_seconds: float = Field(15, gt=0, le=600)
    parse_memory_mb: int = Field(512, ge=64, le=16384)


class FeedConfig(_Model):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
    url: str
    interval_minutes: float | None = Field(None, gt=0, le=7 * 24 * 60)
    enabled: bool = True

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return _http_url(v)


class EntityConfig(_Model):
    name: Text | None = None
    aliases: list[Phrase] = Field(default_factory=list)
    armed_group: bool | None = None


class Window(_Model):
    start: Day
    end: Day

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end < self.start:
            raise ValueError("window end is before its start")
        return self


class Signal(_Model):
    """A signal with exceptions: it does not count in a sentence naming one of ``unless``."""

    phrase: Phrase
    unless: list[Phrase] = Field(min_length=1)


class Signals(_Model):
    breach: list[Phrase | Signal] = Field(default_factory=list)
    met: list[Phrase | Signal] = Field(default_factory=list)

    def phrases(self, which: Literal["breach", "met"]) -> tuple[str, ...]:
        return tuple(s if isinstance(s, str) else s.phrase for s in getattr(self, which))

    def exceptions(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple(
            (s.phrase, tuple(s.unless)) for s in (*self.breach, *self.met) if isinstance(s, Signal)
        )


def _moment_in_range(value: date | datetime) -> date | datetime:
    _in_range(value.date() if isinstance(value, datetime) else value)
    return value


#: A day (midnight UTC) or a date-time with its time zone ("2025-05-10T17:00:00+05:30").
Moment = Annotated[date | datetime, AfterValidator(_moment_in_range)]


class Renewal(_Model):
    """The agreement was renewed or extended on day ``at``: it runs until ``deadline``."""

    at: Day
    deadline: Moment
    source: Text | None = None


class CommitmentConfig(_Model):
    id: Slug
    title: Text
    statement: Text
    kind: Slug = "other"  # a shipped kind (monitor/data/kinds) or one under 'kinds:'
    said_by: Text
    said_at: Day | None = None
    source: Text | None = None
    parties: list[Slug] = Field(min_length=1)
    subjects: list[Slug] = Field(default_factory=list)
    topics: list[Phrase] = Field(default_factory=list)
    topics_required: bool = False  # an article must name one of the topics
    effective: Moment | None = None
    window: Window | None = None
    deadline: Moment | None = None
    ongoing: bool = True
    signals: Signals = Field(default_factory=Signals)
    exclude: list[Phrase] = Field(default_factory=list)
    renewed: list[Renewal] = Field(default_factory=list)  # extensions, oldest first
    supersedes: Slug | None = None  # the commitment this one replaces from its `effective`

    @model_validator(mode="after")
    def _consistent(self) -> CommitmentConfig:
        if not (self.signals.breach or self.signals.met or self.kind != "other"):
            raise ValueError("a commitment of kind 'other' needs breach or met signals")
        if self.topics_required and not self.topics:
            raise ValueError("topics_required needs topics")
        moments = [("effective", self.effective), ("deadline", self.deadline)]
        moments += [("renewed deadline", r.deadline) for r in self.renewed]
        for name, value in moments:
            if isinstance(value, datetime) and value.tzinfo is None:
                raise ValueError(
                    f"{name} has a time but no time zone (write e.g. 2025-05-10T17:00:00+05:30)"
                )
        self._check_renewals()
        if self.supersedes is not None and self.supersedes == self.id:
            raise ValueError("a commitment cannot supersede itself")
        if self.supersedes is not None and self.effective is None:
            raise ValueError("supersedes needs effective: the moment this one replaces the other")
        deadline, effective = _end_of(self.deadline), _start_of(self.effective)
        if deadline and self.window and deadline <= _start_of(self.window.start):  # type: ignore[operator]
            raise ValueError("deadline is before the window starts")
        if effective and deadline and deadline <= effective:
            raise ValueError("deadline is before the commitment takes effect")
        return self

    def _check_renewals(self) -> None:
        if self.renewed and self.deadline is None:
            raise ValueError("renewed needs a deadline: a renewal moves the deadline later")
        previous = self.deadline
        for r in self.renewed:
            if previous is not None and _moment_end(r.deadline) <= _moment_end(previous):
                raise ValueError(
                    f"the renewal of {r.at} must move the deadline later than {previous}"
                )
            previous = r.deadline

    @property
    def last_deadline(self) -> date | None:
        """The deadline in force: the last renewal's, else the first."""
        return self.renewed[-1].deadline if self.renewed else self.deadline


class JudgingConfig(_Model):
    breach_strong_score: float = Field(0.9, ge=0, le=1)
    corroborating_sources: int = Field(2, ge=1, le=20)
    at_risk_score: float = Field(0.4, ge=0, le=1)
    met_score: float = Field(0.6, ge=0, le=1)
    # SimHash bits: closer copies are one story (measured: README, "Syndicated copies")
    duplicate_distance: int = Field(12, ge=0, le=32)
    # overdue only after the feeds were read this long after the deadline (README)
    overdue_grace_hours: float = Field(12, ge=0, le=MAX_HOURS)

    @model_validator(mode="after")
    def _ordered(self) -> JudgingConfig:
        if self.at_risk_score > self.breach_strong_score:
            raise ValueError("at_risk_score must not exceed breach_strong_score")
        return self


class OutboxConfig(_Model):
    enabled: bool = True
    dir: str = DEFAULT_OUTBOX_DIR

    @field_validator("dir")
    @classmethod
    def _dir(cls, v: str) -> str:
        if "\x00" in v:
            raise ValueError("a folder name cannot contain a NUL byte")
        if Path(v).exists() and not Path(v).is_dir():
            raise ValueError(f"{v!r} is a file, not a folder")
        return v


class SmtpConfig(_Model):
    host: Text
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    password: SecretStr | None = None
    sender: EmailAddress
    recipients: list[EmailAddress] = Field(min_length=1)
    timeout_seconds: float = Field(30, gt=0, le=600)
    ca_file: str | None = None  # trust this CA bundle (an in-house relay) instead of the system's

    @field_validator("ca_file")
    @classmethod
    def _ca_file(cls, v: str | None) -> str | None:
        if v is not None:
            _load_ca_file(v)
        return v


def _load_ca_file(path: str) -> None:
    """Refuse a CA bundle the SMTP channel could not load at send time."""
    if not Path(path).is_file():
        raise ValueError(
            f"CA file {path!r} does not exist (paths are relative to the folder monitor runs in)"
        )
    try:
        ssl.create_default_context(cafile=path)
    except (ssl.SSLError, OSError, ValueError) as e:
        raise ValueError(f"CA file {path!r} is not a PEM certificate bundle: {e}") from e


class WebhookConfig(_Model):
    url: SecretStr  # the path of a webhook URL is usually its secret: use ${VAR}
    timeout_seconds: float = Field(30, gt=0, le=600)

    @field_validator("url")
    @classmethod
    def _url(cls, v: SecretStr) -> SecretStr:
        _http_url(v.get_secret_value())
        return v


class AppriseConfig(_Model):
    """Any of Apprise's services (https://github.com/caronc/apprise/wiki): each URL is a
    secret (it usually holds a token), so write it as ``${VAR}``."""

    urls: list[SecretStr] = Field(min_length=1)
    timeout_seconds: float = Field(30, gt=0, le=600)

    @field_validator("urls")
    @classmethod
    def _urls(cls, v: list[SecretStr]) -> list[SecretStr]:
        for url in v:
            if "://" not in url.get_secret_value():
                raise ValueError("an Apprise URL looks like scheme://...")
        return v


class AlertsConfig(_Model):
    repeat_interval_hours: float = Field(24, ge=0, le=MAX_HOURS)
    # a message not sent within this many hours is given up (failed, with the reason)
    max_retry_hours: float = Field(48, gt=0, le=24 * 365)
    # several alerts of one cycle reach each channel as one message
    group: bool = True
    sender: EmailAddress = "monitor@localhost"
    recipients: list[EmailAddress] = Field(default_factory=lambda: ["analyst@localhost"])
    outbox: OutboxConfig = Field(default_factory=OutboxConfig)
    smtp: SmtpConfig | None = None
    webhook: WebhookConfig | None = None
    apprise: AppriseConfig | None = None


class DigestConfig(_Model):
    enabled: bool = True
    schedule: str = "0 7 * * *"
    timezone: str = "UTC"

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"unknown time zone {v!r}") from e
        return v

    @model_validator(mode="after")
    def _cron(self) -> DigestConfig:
        try:
            CronTrigger.from_crontab(self.schedule, timezone=ZoneInfo(self.timezone))
        except ValueError as e:
            raise ValueError(f"schedule {self.schedule!r} is not a 5-field cron line: {e}") from e
        return self


class WebConfig(_Model):
    """The page served by `monitor serve` (and by `monitor run` when ``enabled``)."""

    enabled: bool = False
    listen: str = "127.0.0.1:8080"  # HOST:PORT; anything but a loopback host is on purpose
    token: SecretStr | None = None  # needed for writing actions: use ${MONITOR_WEB_TOKEN}
    stale_after_minutes: float = Field(30, gt=0)  # /healthz fails when no poll for this long


class RetentionConfig(_Model):
    """How long stored data is kept (None: forever).  Evidence, status history, article
    titles, links and identities are always kept; only bulk text goes."""

    article_text_days: int | None = Field(180, ge=1, le=36_500)  # then the text is blanked
    outbox_days: int | None = Field(90, ge=1, le=36_500)  # sent or failed messages
    # the cycle log (coverage and heartbeat); keep it longer than any deadline's grace period
    cycles_days: int | None = Field(365, ge=1, le=36_500)


class WatchlistFile(_Model):
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    polling: PollingConfig = Field(default_factory=PollingConfig)
    feeds: list[FeedConfig] = Field(default_factory=list)
    entities: dict[Slug, EntityConfig] = Field(default_factory=dict)
    commitments: list[CommitmentConfig] = Field(default_factory=list)
    #: Kinds added or extended: name -> a kind file's keys (README "Kinds").
    kinds: dict[Slug, dict[str, Any]] = Field(default_factory=dict)
    #: A folder of kind files (``<kind>.yaml``), relative to the watchlist's folder.
    kinds_dir: str | None = None
    judging: JudgingConfig = Field(default_factory=JudgingConfig)
    alerts: AlertsConfig = Field(default_factory=AlertsConfig)
    digest: DigestConfig = Field(default_factory=DigestConfig)
    web: WebConfig = Field(default_factory=WebConfig)
    retention: RetentionConfig = Field(default_factory=RetentionConfig)


@dataclass(frozen=True)
class Config:
    """The validated watchlist, in domain types, with environment overrides applied."""

    path: str
    file: WatchlistFile
    database_url: str
    outbox_dir: Path | None  # None when the outbox folder is turned off
    commitments: tuple[Commitment, ...]
    entities: Mapping[str, Entity]
    #: Masks every secret of this watchlist (``${VAR}`` values, passwords, the webhook URL)
    #: in text that monitor writes anywhere.
    redact: Redactor = field(default_factory=Redactor, compare=False, repr=False)

    @property
    def feeds(self) -> list[FeedConfig]:
        return [f for f in self.file.feeds if f.enabled]

    def feed_interval_seconds(self, feed: FeedConfig) -> int:
        minutes = feed.interval_minutes or self.file.polling.interval_minutes
        return round(minutes * 60)


# --- loading -----------------------------------------------------------------

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records the line of every node and rejects duplicate keys."""

    #: nodes visited at most (aliases are expanded: this stops "billion laughs" YAML)
    budget = 200_000


class _TooLargeError(Exception):
    pass


def _path_str(parts: tuple[str | int, ...]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def _walk(
    loader: _LineLoader,
    node: yaml.Node,
    parts: tuple[str | int, ...],
    lines: dict[str, int],
    problems: list[Problem],
    env: Mapping[str, str],
) -> Any:
    """Turn a composed YAML node into plain data, noting lines and problems."""
    loader.budget -= 1
    if loader.budget < 0 or len(parts) > 50:
        raise _TooLargeError(_path_str(parts))
    lines[_path_str(parts)] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _walk(loader, key_node, parts, {}, problems, env)
            if not isinstance(key, str | int | float | bool) or key is None:
                line = key_node.start_mark.line + 1
                problems.append(Problem(_path_str(parts), "keys must be plain names", line))
                continue
            key_s = str(key)
            if key_s in out:
                problems.append(
                    Problem(
                        _path_str((*parts, key_s)),
                        "duplicate key",
                        key_node.start_mark.line + 1,
                    )
                )
                continue
            out[key_s] = _walk(loader, value_node, (*parts, key_s), lines, problems, env)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _walk(loader, item, (*parts, i), lines, problems, env)
            for i, item in enumerate(node.value)
        ]
    assert isinstance(node, yaml.ScalarNode)
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, TypeError, OverflowError) as e:  # 2025-02-30, !!int foo
        problems.append(
            Problem(_path_str(parts), f"{node.value!r} is not valid: {e}", node.start_mark.line + 1)
        )
        return None
    if isinstance(value, str) and "${" in value:

        def expand(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in env:
                problems.append(
                    Problem(
                        _path_str(parts),
                        f"environment variable {name} is not set",
                        node.start_mark.line + 1,
                    )
                )
                return ""
            return env[name]

        value = _ENV_REF.sub(expand, value)
    return value


def _loc_to_parts(loc: tuple[int | str, ...]) -> tuple[str | int, ...]:
    # pydantic adds a tag for tagged unions and function validators; keep real keys only
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))


def _line_for(parts: tuple[str | int, ...], lines: Mapping[str, int]) -> int | None:
    while True:
        line = lines.get(_path_str(parts))
        if line is not None or not parts:
            return line
        parts = parts[:-1]


def parse_config(
    text: str, *, path: str = "<string>", env: Mapping[str, str] | None = None
) -> Config:
    """Validate watchlist text; raise ``ConfigError`` listing every problem."""
    env = os.environ if env is None else env
    problems: list[Problem] = []
    lines: dict[str, int] = {}
    loader: _LineLoader | None = None
    try:
        loader = _LineLoader(text)
        node = loader.get_single_node()
        raw: Any = {} if node is None else _walk(loader, node, (), lines, problems, env)
    except (_TooLargeError, RecursionError) as e:
        where = str(e) if isinstance(e, _TooLargeError) else "(top level)"
        raise ConfigError(
            path,
            [
                Problem(
                    where[:200],
                    "the document is too large or too deeply nested (YAML aliases are expanded)",
                )
            ],
        ) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ConfigError(path, [Problem("(YAML syntax)", str(reason), line)]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if not isinstance(raw, dict):
        raise ConfigError(path, [Problem("(top level)", "must be a mapping of sections", 1)])

    file: WatchlistFile | None = None
    try:
        file = WatchlistFile.model_validate(raw)
    except ValidationError as e:
        for err in e.errors(include_url=False):
            parts = _loc_to_parts(err["loc"])
            problems.append(
                Problem(_path_str(parts), _message(err, parts), _line_for(parts, lines))
            )
    problems.extend(_cross_checks(raw, lines))
    override = env.get("MONITOR_DATABASE_URL")
    if override:
        try:
            _database_url(override)
        except ValueError as e:
            problems.append(Problem("$MONITOR_DATABASE_URL", str(e)))
    knowledge = _knowledge(file, path, lines, problems) if file is not None else None
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.where))
        raise ConfigError(path, problems)
    assert file is not None and knowledge is not None
    return _build(file, path=path, env=env, text=text, knowledge=knowledge)


#: The longest kind name the database stores (``commitments.kind``).
KIND_NAME_MAX = 32


def _knowledge(
    file: WatchlistFile, path: str, lines: Mapping[str, int], problems: list[Problem]
) -> Knowledge | None:
    """The judge's knowledge with the watchlist's kinds; problems for bad or unknown kinds."""
    dirs = []
    if file.kinds_dir:
        folder = Path(path).parent / file.kinds_dir
        if not folder.is_dir():
            part: tuple[str | int, ...] = ("kinds_dir",)
            problems.append(
                Problem("kinds_dir", f"no folder {str(folder)!r}", _line_for(part, lines))
            )
            return None
        dirs.append(folder)
    try:
        knowledge = load_knowledge(kinds_dirs=dirs)
        for name, doc in file.kinds.items():
            extend_kind(knowledge, name, doc, f"kinds.{name}")
    except KindDataError as e:
        problems.append(Problem("kinds", str(e), _line_for(("kinds",), lines)))
        return None
    for i, c in enumerate(file.commitments):
        if c.kind not in knowledge.kinds:
            parts: tuple[str | int, ...] = ("commitments", i, "kind")
            known = ", ".join(sorted(knowledge.kinds))
            message = f"unknown kind {c.kind!r} (known: {known}; define it under 'kinds:')"
            problems.append(Problem(_path_str(parts), message, _line_for(parts, lines)))
        elif len(c.kind) > KIND_NAME_MAX:
            parts = ("commitments", i, "kind")
            message = f"kind name {c.kind!r} is longer than {KIND_NAME_MAX} characters"
            problems.append(Problem(_path_str(parts), message, _line_for(parts, lines)))
    return knowledge


def _cross_checks(raw: Mapping[str, Any], lines: Mapping[str, int]) -> list[Problem]:
    """Checks across list items, run on the raw data so they report with the rest."""
    problems: list[Problem] = []

    def items(section: str) -> list[tuple[int, Mapping[str, Any]]]:
        value = raw.get(section)
        if not isinstance(value, list):
            return []
        return [(i, v) for i, v in enumerate(value) if isinstance(v, Mapping)]

    def problem(parts: tuple[str | int, ...], message: str) -> None:
        problems.append(Problem(_path_str(parts), message, _line_for(parts, lines)))

    def dup(section: str, key: str, what: str) -> None:
        seen: set[str] = set()
        for i, item in items(section):
            value = item.get(key)
            if isinstance(value, str):
                if value in seen:
                    problem((section, i, key), f"duplicate {what} {value!r}")
                seen.add(value)

    dup("feeds", "name", "feed name")
    dup("feeds", "url", "feed url")
    dup("commitments", "id", "commitment id")
    entities = raw.get("entities")
    entities = entities if isinstance(entities, Mapping) else {}
    known = set(DEFAULT_ENTITIES) | {str(k) for k in entities}
    for i, c in items("commitments"):
        for section in ("parties", "subjects"):
            names = c.get(section)
            for j, ent in enumerate(names if isinstance(names, list) else []):
                if isinstance(ent, str) and ent not in known:
                    problem(
                        ("commitments", i, section, j),
                        f"unknown entity {ent!r} (known: {', '.join(sorted(known))};"
                        " define it under 'entities:')",
                    )
    _supersede_checks(items("commitments"), problem)
    for name, ent in entities.items():
        if name not in DEFAULT_ENTITIES and not (isinstance(ent, Mapping) and ent.get("aliases")):
            problem(("entities", str(name)), "a new entity needs aliases")
    return problems


def _supersede_checks(
    commitments: list[tuple[int, Mapping[str, Any]]],
    problem: Callable[[tuple[str | int, ...], str], None],
) -> None:
    """``supersedes`` names another commitment, at most once each, with no cycle."""
    ids = {c.get("id") for _, c in commitments if isinstance(c.get("id"), str)}
    by_old: dict[str, str] = {}
    for i, c in commitments:
        old, new = c.get("supersedes"), c.get("id")
        if not isinstance(old, str) or not isinstance(new, str) or old == new:
            continue
        if old not in ids:
            problem(("commitments", i, "supersedes"), f"unknown commitment {old!r}")
        elif old in by_old:
            problem(
                ("commitments", i, "supersedes"),
                f"{old!r} is already superseded by {by_old[old]!r}",
            )
        else:
            by_old[old] = new
    for i, c in commitments:
        seen, at = set(), c.get("id")
        while isinstance(at, str) and at in by_old and at not in seen:
            seen.add(at)
            at = by_old[at]
        if at == c.get("id") and seen:
            problem(("commitments", i, "supersedes"), "supersedes forms a cycle")


_FRIENDLY = {
    "id": "must be a lower-case id: letters, digits, '-' and '_', at most 64 characters",
    "parties": "must be the id of an entity under `entities:` (or a shipped one)",
    "subjects": "must be an entity id such as 'border'",
    "entities": "must be a lower-case id: letters, digits, '-' and '_'",
    "sender": "must be an e-mail address",
    "recipients": "must be an e-mail address",
}


def _message(err: Mapping[str, Any], parts: tuple[str | int, ...]) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown key"
    if err["type"] == "string_pattern_mismatch":
        names = [p for p in parts if isinstance(p, str)]
        for name in reversed(names):
            if name in _FRIENDLY:
                return _FRIENDLY[name]
    return str(err["msg"]).removeprefix("Value error, ")


def _start_of(d: date | None) -> datetime | None:
    """A day's start (midnight UTC), or a date-time in UTC."""
    if isinstance(d, datetime):
        return d.astimezone(UTC)
    return None if d is None else datetime.combine(d, time.min, tzinfo=UTC)


def _day_start(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=UTC)


def _moment_end(d: date) -> datetime:
    """A day's end (the next midnight UTC), or a date-time in UTC."""
    return d.astimezone(UTC) if isinstance(d, datetime) else _day_start(d) + timedelta(days=1)


def _end_of(d: date | None) -> datetime | None:
    """A day's end (the next midnight UTC), or a date-time in UTC."""
    if isinstance(d, datetime):
        return d.astimezone(UTC)
    return None if d is None else datetime.combine(d, time.min, tzinfo=UTC) + timedelta(days=1)


def _entities(file: WatchlistFile) -> dict[str, Entity]:
    out = dict(DEFAULT_ENTITIES)
    for name, ent in file.entities.items():
        base = out.get(name)
        aliases = tuple(dict.fromkeys((*(base.aliases if base else ()), *ent.aliases)))
        group = (
            ent.armed_group if ent.armed_group is not None else (base.armed_group if base else None)
        )
        out[name] = Entity(name, ent.name or (base.name if base else name), aliases, group)
    return out


def to_commitment(
    c: CommitmentConfig,
    knowledge: Knowledge | None = None,
    successor: CommitmentConfig | None = None,
) -> Commitment:
    """The domain commitment; its kind's vocabulary comes from ``knowledge`` (else shipped);
    ``successor``: the commitment that supersedes it."""
    vocabulary = (knowledge or SHIPPED).kinds[c.kind]
    renewals = tuple(
        RenewalOn(_day_start(r.at), _moment_end(r.deadline), r.source) for r in c.renewed
    )
    return Commitment(
        id=c.id,
        title=c.title,
        statement=c.statement,
        kind=vocabulary.name,
        vocabulary=vocabulary if knowledge is not None else None,
        said_by=c.said_by,
        said_at=_start_of(c.said_at),
        source_url=c.source,
        parties=tuple(c.parties),
        subjects=tuple(c.subjects),
        topics=tuple(c.topics),
        topics_required=c.topics_required,
        breach_signals=c.signals.phrases("breach"),
        met_signals=c.signals.phrases("met"),
        exceptions=c.signals.exceptions(),
        exclude=tuple(c.exclude),
        effective_at=_start_of(c.effective),
        effective_day=c.effective.date() if isinstance(c.effective, datetime) else c.effective,
        window_start_at=_start_of(c.window.start) if c.window else None,
        window_end_at=_end_of(c.window.end) if c.window else None,
        deadline_at=_end_of(c.last_deadline),
        ongoing=c.ongoing,
        renewals=renewals,
        superseded_by=successor.id if successor else None,
        ended_at=_start_of(successor.effective) if successor else None,
    )


def _secrets(file: WatchlistFile, text: str, env: Mapping[str, str]) -> list[str]:
    secrets = [env[name] for name in env_references(text) if name in env]
    smtp, webhook = file.alerts.smtp, file.alerts.webhook
    if smtp is not None and smtp.password is not None:
        secrets.append(smtp.password.get_secret_value())
    if webhook is not None:
        secrets.append(webhook.url.get_secret_value())
    if file.web.token is not None:
        secrets.append(file.web.token.get_secret_value())
    if file.alerts.apprise is not None:
        secrets += [u.get_secret_value() for u in file.alerts.apprise.urls]
    for url in (file.database.url, env.get("MONITOR_DATABASE_URL") or ""):
        try:
            password = make_url(url).password if url else None
        except ArgumentError:
            password = None
        if password:
            secrets.append(str(password))
    return secrets


def _build(
    file: WatchlistFile,
    *,
    path: str,
    env: Mapping[str, str],
    text: str = "",
    knowledge: Knowledge | None = None,
) -> Config:
    successors = {c.supersedes: c for c in file.commitments if c.supersedes}
    outbox: Path | None = None
    if file.alerts.outbox.enabled:
        outbox = Path(env.get("MONITOR_OUTBOX_DIR") or file.alerts.outbox.dir)
    return Config(
        path=path,
        file=file,
        database_url=env.get("MONITOR_DATABASE_URL") or file.database.url,
        outbox_dir=outbox,
        commitments=tuple(
            to_commitment(c, knowledge, successors.get(c.id)) for c in file.commitments
        ),
        entities=_entities(file),
        redact=Redactor(_secrets(file, text, env)),
    )


def config_path(given: str | None, env: Mapping[str, str] | None = None) -> str:
    """The config file to use: the given one, else $MONITOR_CONFIG, else the default."""
    env = os.environ if env is None else env
    return given or env.get("MONITOR_CONFIG") or DEFAULT_CONFIG


def load_config(path: str, env: Mapping[str, str] | None = None) -> Config:
    """Read and validate a watchlist file."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise ConfigError(path, [Problem("(file)", e.strerror or str(e))]) from None
    except ValueError as e:  # a NUL byte in the path
        raise ConfigError(repr(path), [Problem("(file)", str(e))]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(path, [Problem("(file)", f"not UTF-8 text: {e.reason}")]) from None
    return parse_config(text, path=path, env=env)
