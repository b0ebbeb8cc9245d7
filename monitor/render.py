"""Alerts and digests: template contexts -> ``EmailMessage`` with a stable Message-ID.

Pure: no clock and no I/O besides loading the package's own Jinja2 templates
(``monitor/templates``).  Every header value derived from watchlist or feed text
goes through ``one_line`` first, so feed text cannot inject headers.
"""

from __future__ import annotations

import email.policy
import hashlib
import re
import shlex
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime
from functools import cache
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import jinja2
from markupsafe import Markup, escape

from monitor.coverage import CoverageSummary
from monitor.errors import ConfigError, Problem
from monitor.models import Commitment, Evidence, Kind, Label, Silence, Status, StatusChange

__all__ = [
    "SUBJECT_MAX_CHARS",
    "AlertContext",
    "AlertGroupContext",
    "DigestContext",
    "FeedHealth",
    "alert_subject",
    "as_bytes",
    "digest_subject",
    "message_id_for",
    "one_line",
    "render_alert",
    "render_alert_group",
    "render_digest",
    "validate_templates",
]

SUBJECT_MAX_CHARS = 200

# Bidirectional overrides/isolates: invisible, and able to make text read backwards.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Categories dropped from one-line text: controls (incl. CR, LF, NEL), surrogates,
# line and paragraph separators.
_DROP_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
_ONE_LINE_CACHE = 4096


class _OneLineTable(dict[int, str | None]):
    """one_line's rule per character, as a ``str.translate`` table filled as characters
    are met: whitespace becomes a space, controls, surrogates, line and paragraph
    separators and bidirectional controls are dropped, anything else is kept."""

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        if ch.isspace():
            out: str | None = " "
        elif unicodedata.category(ch) in _DROP_CATEGORIES or ch in _BIDI_CONTROLS:
            out = None
        else:
            out = ch
        if len(self) < _ONE_LINE_CACHE:  # bounded: a text of every character cannot grow it
            self[code] = out
        return out


_ONE_LINE = _OneLineTable()
_HTTP_URL = re.compile(r"https?://[^\s<>\"'\x00-\x1f\x7f]+", re.IGNORECASE)
# what a displayed URL keeps as is (RFC 3986 reserved and unreserved, and "%")
_URL_SAFE = "/:@!$&'()*+,;=?#[]~%-._"
_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


@dataclass(frozen=True)
class FeedHealth:
    """How one feed is doing, for the digest's feed-health section."""

    name: str
    url: str
    healthy: bool
    last_ok_at: datetime | None
    last_error: str | None
    error_count: int
    last_new_at: datetime | None


@dataclass(frozen=True)
class AlertContext:
    """Everything an alert template may use: one status change and its evidence."""

    commitment: Commitment
    change: StatusChange
    evidence: tuple[Evidence, ...]
    coverage: CoverageSummary | None = None  # what was read (monitor/coverage.py)


@dataclass(frozen=True)
class AlertGroupContext:
    """Several alerts of one cycle, sent to a channel as one message."""

    alerts: tuple[AlertContext, ...]


@dataclass(frozen=True)
class DigestContext:
    """Everything a digest template may use, for the period up to ``period_end_at``."""

    period_start_at: datetime | None
    period_end_at: datetime
    changes: tuple[tuple[Commitment, StatusChange], ...]
    evidence: tuple[tuple[Commitment, Evidence], ...]
    statuses: tuple[tuple[Commitment, Status, Evidence | None], ...]
    feeds: tuple[FeedHealth, ...]
    silences: tuple[Silence, ...] = ()  # in force at the end of the period (monitor/review.py)
    coverage: CoverageSummary | None = None  # what was read in the period


@dataclass(frozen=True)
class HealthContext:
    """A feed's change of health (see monitor/health.py): failing, silent, gone, or ok again."""

    feed_name: str
    feed_url: str
    previous: str
    state: str
    detail: str
    at: datetime


@dataclass(frozen=True)
class HealthGroupContext:
    """Several feeds' changes of health in one cycle, sent to a channel as one message."""

    events: tuple[HealthContext, ...]

    @property
    def failing(self) -> bool:
        return any(e.state != "ok" for e in self.events)


# --- text helpers (also used as template filters) ---------------------------------


def one_line(text: object, limit: int | None = None) -> str:
    """Return ``text`` on one line: controls dropped, whitespace collapsed, capped.

    Line breaks of every kind (CR, LF, NEL, U+2028...) become spaces, so the
    result is safe in a mail header.  ``limit`` caps the length, ending in "…".
    """
    out = " ".join(str(text).translate(_ONE_LINE).split())
    if limit is not None and len(out) > limit:
        out = out[: max(limit - 1, 0)].rstrip() + "…"
    return out


def ascii_host(host: object) -> str:
    """A host name as ASCII: IDNA labels as punycode (``xn--...``); a label IDNA refuses
    (a right-to-left override, a control character) percent-encoded, so it can neither
    pass for another name nor reorder the text around it."""
    text = str(host).strip()
    if text.isascii() and text.isprintable():
        return text
    if any(ch.isspace() for ch in text):  # a name, not a host: just keep it readable
        return "".join(ch if ch.isprintable() else quote(ch, safe="") for ch in text)
    labels = []
    for label in text.split("."):
        if label.isascii() and label.isprintable():
            labels.append(label)
            continue
        try:
            labels.append(label.encode("idna").decode("ascii"))
        except UnicodeError:
            labels.append(quote(label, safe=""))
    return ".".join(labels)


def ascii_url(url: object) -> str:
    """A URL as plain ASCII for display: the host in its ASCII (punycode) form, anything
    else outside printable ASCII percent-encoded."""
    text = str(url).strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname
        port = parts.port
    except ValueError:
        host = None
    if not host:  # not a URL (a watchlist may cite "an interview on TV"): keep it readable
        return "".join(ch if ch.isprintable() else quote(ch, safe="") for ch in text)
    netloc = ascii_host(host)
    if ":" in netloc:  # IPv6
        netloc = f"[{netloc}]"
    if port is not None:
        netloc += f":{port}"
    rebuilt = urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=_URL_SAFE),
            quote(parts.query, safe=_URL_SAFE),
            quote(parts.fragment, safe=_URL_SAFE),
        )
    )
    return rebuilt


def explain_command(evidence: Sequence[Evidence]) -> str:
    """The command that shows why the first piece of evidence counted: by article id
    (never a URL from a feed), shell-quoted."""
    if not evidence:
        return "monitor explain ARTICLE_ID"
    return shlex.join(["monitor", "explain", str(int(evidence[0].article_id))])


def is_http_url(url: object) -> bool:
    """True for an absolute http(s) URL with no whitespace or quotes in it."""
    return isinstance(url, str) and _HTTP_URL.fullmatch(url) is not None


def format_at(at: datetime | None, missing: str = "unknown") -> str:
    """``2025-10-30 14:05 UTC``; ``missing`` for None."""
    if at is None:
        return missing
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def format_date(at: datetime | None, missing: str = "unknown") -> str:
    """``2025-10-30``; ``missing`` for None."""
    if at is None:
        return missing
    return at.astimezone(UTC).strftime("%Y-%m-%d")


def status_label(status: Status) -> str:
    """``BREACHED``, ``AT RISK`` ..."""
    return str(status.value).upper()


def html_link(url: str | None, text: object = None) -> Markup:
    """An ``<a href>`` for an http(s) URL; any other URL is shown as escaped text."""
    if url is None:
        return Markup(escape(one_line("" if text is None else text)))
    label = one_line(ascii_url(url) if text is None or str(text).strip() == "" else text)
    if is_http_url(url):
        return Markup('<a href="{}">{}</a>').format(ascii_url(url), label)
    if text is None:
        return Markup(escape(one_line(ascii_url(url))))
    return Markup("{} ({})").format(label, one_line(ascii_url(url)))


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``1 change``, ``2 changes``."""
    return f"{n} {singular if n == 1 else (plural_form or singular + 's')}"


# --- identifiers and headers -----------------------------------------------------


class _MailPolicy(EmailPolicy):
    """``email.policy.default`` with a different folder for the Subject.

    CPython's folder moves some long ASCII subjects whole onto a continuation
    line, and its own parser then reads them back with a leading space.  The
    legacy ``Header`` folder has no such problem; it folds at spaces only.
    """

    def fold(self, name: str, value: str) -> str:
        if name.lower() == "subject":
            return self._fold_subject(name, value)
        folded: str = super().fold(name, value)
        return folded

    def fold_binary(self, name: str, value: str) -> bytes:
        if name.lower() == "subject":
            return self._fold_subject(name, value).encode("ascii")
        return super().fold_binary(name, value)

    def _fold_subject(self, name: str, value: str) -> str:
        text = str(value)
        plain = text.isascii() and "=?" not in text
        header = Header(
            text,
            "us-ascii" if plain else "utf-8",
            maxlinelen=self.max_line_length or 78,
            header_name=name,
        )
        return f"{name}: {header.encode(splitchars=' ', linesep=self.linesep)}{self.linesep}"


MAIL_POLICY = _MailPolicy()
SMTP_POLICY = MAIL_POLICY.clone(linesep="\r\n")


def message_id_for(key: str, domain: str = "monitor.invalid", *, install_id: str = "") -> str:
    """The Message-ID for an outbox key: the same key always gives the same id.  With an
    ``install_id`` (random per database) two installs never share one, even for the same
    key (a reset database numbers its alerts from 1 again)."""
    if not _DOMAIN.fullmatch(domain):
        raise ValueError(f"not a usable Message-ID domain: {domain!r}")
    if not install_id:
        return "<" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@" + domain + ">"
    if not _DOMAIN.fullmatch(install_id):
        raise ValueError(f"not a usable install id: {install_id!r}")
    # 96 bits; short enough that the header line is never folded
    digest = hashlib.sha256(f"{install_id}\0{key}".encode()).hexdigest()[:24]
    return f"<{digest}.{install_id}@{domain}>"


def _boundary_for(key: str) -> str:
    # "=_" cannot occur in quoted-printable text, so the boundary is safe.
    return "=_monitor_" + hashlib.sha256(("boundary:" + key).encode("utf-8")).hexdigest()[:24]


def _subject(text: str) -> str:
    # "=?" would start an RFC 2047 encoded word, which a parser decodes (possibly
    # into line breaks): feed text must not smuggle one into the Subject.
    return one_line(one_line(text).replace("=?", "= ?"), SUBJECT_MAX_CHARS)


def alert_subject(ctx: AlertContext) -> str:
    """``[monitor] BREACHED: <commitment title>``, on one line."""
    title = one_line(ctx.commitment.title) or ctx.commitment.id
    return _subject(f"[monitor] {status_label(ctx.change.to_status)}: {title}")


def alert_group_subject(ctx: AlertGroupContext) -> str:
    """``[monitor] 2 changes: BREACHED: <title>; MET: <title>``, on one line."""
    parts = [
        f"{status_label(a.change.to_status)}: {one_line(a.commitment.title) or a.commitment.id}"
        for a in ctx.alerts
    ]
    return _subject(f"[monitor] {plural(len(parts), 'change')}: {'; '.join(parts)}")


def health_subject(ctx: HealthContext) -> str:
    """``[monitor] feed FAILING: Dawn`` or ``[monitor] feed recovered: Dawn``."""
    name = one_line(ctx.feed_name) or ctx.feed_url
    if ctx.state == "ok":
        return _subject(f"[monitor] feed recovered: {name}")
    return _subject(f"[monitor] feed {ctx.state.upper()}: {name}")


def health_group_subject(ctx: HealthGroupContext) -> str:
    """``[monitor] 13 feeds: FAILING: Dawn, Geo News, ...; recovered: ...``, on one line."""
    by_state: dict[str, list[str]] = {}
    for e in ctx.events:
        label = "recovered" if e.state == "ok" else e.state.upper()
        by_state.setdefault(label, []).append(one_line(e.feed_name) or e.feed_url)
    parts = [f"{label}: {', '.join(names)}" for label, names in by_state.items()]
    return _subject(f"[monitor] {plural(len(ctx.events), 'feed')}: {'; '.join(parts)}")


def digest_subject(ctx: DigestContext) -> str:
    """``[monitor] digest 2025-11-02: 2 changes, 5 new evidence`` (+ failing feeds)."""
    n_changes = len(ctx.changes)
    changes = plural(n_changes, "change") if n_changes else "no changes"
    n_evidence = len(ctx.evidence)
    evidence = f"{n_evidence} new evidence" if n_evidence else "no new evidence"
    subject = f"[monitor] digest {format_date(ctx.period_end_at)}: {changes}, {evidence}"
    failing = sum(1 for f in ctx.feeds if not f.healthy)
    if failing:
        subject += f", {plural(failing, 'feed')} failing"
    return _subject(subject)


# --- Jinja2 ------------------------------------------------------------------------


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("monitor", "templates"),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html",),
            disabled_extensions=("txt",),
            default_for_string=True,
            default=True,
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        one_line=one_line,
        at=format_at,
        date=format_date,
        status=status_label,
        link=html_link,
        plural=plural,
        ascii_url=ascii_url,
        ascii_host=ascii_host,
        score=lambda s: f"{float(s):.2f}",
    )
    env.tests["http_url"] = is_http_url
    return env


def _render(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context)


def _group_evidence(
    pairs: Sequence[tuple[Commitment, Evidence]],
) -> list[tuple[Commitment, list[Evidence]]]:
    groups: dict[str, tuple[Commitment, list[Evidence]]] = {}
    for commitment, evidence in pairs:
        groups.setdefault(commitment.id, (commitment, []))[1].append(evidence)
    return list(groups.values())


def _message(
    *,
    subject: str,
    text: str,
    html: str,
    key: str,
    sender: str,
    recipients: Sequence[str],
    sent_at: datetime,
    install_id: str = "",
) -> EmailMessage:
    if sent_at.tzinfo is None:
        raise ValueError("sent_at must be an aware datetime")
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["Subject"] = subject
    msg["From"] = sender
    if recipients:
        msg["To"] = ", ".join(recipients)
    msg["Date"] = format_datetime(sent_at.astimezone(UTC))
    msg["Message-ID"] = message_id_for(key, install_id=install_id)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    msg.set_boundary(_boundary_for(key))
    return msg


def _alert_values(ctx: AlertContext) -> dict[str, Any]:
    return {
        "ctx": ctx,
        "subject": alert_subject(ctx),
        "explain_command": explain_command(ctx.evidence),
    }


def _digest_values(ctx: DigestContext) -> dict[str, Any]:
    return {
        "ctx": ctx,
        "subject": digest_subject(ctx),
        "explain_command": explain_command([e for _, e in ctx.evidence]),
        "evidence_groups": _group_evidence(ctx.evidence),
        "unhealthy_feeds": [f for f in ctx.feeds if not f.healthy],
        "healthy_feeds": [f for f in ctx.feeds if f.healthy],
    }


def _render_message(
    template: str,
    values: dict[str, Any],
    *,
    key: str,
    sender: str,
    recipients: Sequence[str],
    sent_at: datetime,
    install_id: str = "",
) -> EmailMessage:
    """``<template>.txt`` and ``<template>.html`` as one multipart/alternative message."""
    return _message(
        subject=values["subject"],
        text=_render(f"{template}.txt", **values),
        html=_render(f"{template}.html", **values),
        key=key,
        sender=sender,
        recipients=recipients,
        sent_at=sent_at,
        install_id=install_id,
    )


def render_alert(
    ctx: AlertContext,
    *,
    key: str,
    sender: str,
    recipients: Sequence[str],
    sent_at: datetime,
    install_id: str = "",
) -> EmailMessage:
    """One status change as a multipart/alternative (plain text + HTML) message."""
    return _render_message(
        "alert",
        _alert_values(ctx),
        key=key,
        sender=sender,
        recipients=recipients,
        sent_at=sent_at,
        install_id=install_id,
    )


def render_alert_group(
    ctx: AlertGroupContext,
    *,
    key: str,
    sender: str,
    recipients: Sequence[str],
    sent_at: datetime,
    install_id: str = "",
) -> EmailMessage:
    """Several alerts as one multipart/alternative message: a summary, then each alert."""
    values = {
        "ctx": ctx,
        "subject": alert_group_subject(ctx),
        "explain_command": explain_command([e for a in ctx.alerts for e in a.evidence]),
    }
    return _render_message(
        "alerts",
        values,
        key=key,
        sender=sender,
        recipients=recipients,
        sent_at=sent_at,
        install_id=install_id,
    )


def render_health_alert(
    ctx: HealthContext,
    *,
    key: str,
    sender: str,
    recipients: Sequence[str],
    sent_at: datetime,
    install_id: str = "",
) -> EmailMessage:
    """A feed's change of health as a multipart/alternative message."""
    return _render_message(
        "health",
        {"ctx": ctx, "subject": health_subject(ctx)},
        key=key,
        sender=sender,
        recipients=recipients,
        sent_at=sent_at,
        install_id=install_id,
    )


def render_health_group(
    ctx: HealthGroupContext,
    *,
    key: str,
    sender: str,
    recipients: Sequence[str],
    sent_at: datetime,
    install_id: str = "",
) -> EmailMessage:
    """Several feeds' changes of health as one multipart/alternative message."""
    return _render_message(
        "healths",
        {"ctx": ctx, "subject": health_group_subject(ctx)},
        key=key,
        sender=sender,
        recipients=recipients,
        sent_at=sent_at,
        install_id=install_id,
    )


def render_digest(
    ctx: DigestContext,
    *,
    key: str,
    sender: str,
    recipients: Sequence[str],
    sent_at: datetime,
    install_id: str = "",
) -> EmailMessage:
    """The periodic digest as a multipart/alternative (plain text + HTML) message."""
    return _render_message(
        "digest",
        _digest_values(ctx),
        key=key,
        sender=sender,
        recipients=recipients,
        sent_at=sent_at,
        install_id=install_id,
    )


# --- chat (webhook) documents ------------------------------------------------------

_MENTION = re.compile(r"@(channel|here|all|everyone)\b", re.IGNORECASE)


def chat_escape(text: str) -> str:
    """Text that Slack and Mattermost show as written: ``&``, ``<`` and ``>`` escaped as
    their markup wants (so ``<!channel>`` or ``<https://evil|Reuters>`` from a feed is
    neither a mention nor a disguised link), and ``@channel``-style mentions defused."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION.sub(lambda m: "@\u2060" + m.group(1), text)


def _at(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _evidence_fields(e: Evidence) -> dict[str, Any]:
    return {
        "article_id": e.article_id,
        "commitment_id": e.commitment_id,
        "label": e.label.value,
        "score": round(float(e.score), 4),
        "quote": e.quote,
        "title": e.title,
        "url": e.url,
        "source": e.source,
        "published_at": _at(e.published_at),
    }


def alert_fields(ctx: AlertContext) -> dict[str, Any]:
    """The structured fields of an alert, for webhook consumers (beside the text)."""
    evidence = [_evidence_fields(e) for e in ctx.evidence]
    return {
        "type": "status_change",
        "commitment_id": ctx.commitment.id,
        "commitment_title": ctx.commitment.title,
        "from_status": ctx.change.from_status.value,
        "to_status": ctx.change.to_status.value,
        "at": _at(ctx.change.at),
        "reason": ctx.change.reason,
        "score": max((e["score"] for e in evidence), default=None),
        "evidence": evidence,
        "quotes": [e["quote"] for e in evidence],
        "urls": [e["url"] for e in evidence if e["url"]],
        "article_ids": [e["article_id"] for e in evidence],
    }


def health_fields(ctx: HealthContext) -> dict[str, Any]:
    return {
        "type": "feed_health",
        "feed": ctx.feed_name,
        "feed_url": ctx.feed_url,
        "from_state": ctx.previous,
        "to_state": ctx.state,
        "detail": ctx.detail,
        "at": _at(ctx.at),
    }


def digest_fields(ctx: DigestContext) -> dict[str, Any]:
    return {
        "type": "digest",
        "period_start_at": _at(ctx.period_start_at),
        "period_end_at": _at(ctx.period_end_at),
        "changes": [
            {
                "commitment_id": c.id,
                "from_status": ch.from_status.value,
                "to_status": ch.to_status.value,
                "at": _at(ch.at),
            }
            for c, ch in ctx.changes
        ],
        "statuses": {c.id: status.value for c, status, _ in ctx.statuses},
        "evidence": [_evidence_fields(e) for _, e in ctx.evidence],
        "failing_feeds": [f.name for f in ctx.feeds if not f.healthy],
    }


def fields_for(ctx: object) -> dict[str, Any]:
    """Structured fields for any message context."""
    if isinstance(ctx, AlertContext):
        return alert_fields(ctx)
    if isinstance(ctx, AlertGroupContext):
        return {"type": "status_changes", "alerts": [alert_fields(a) for a in ctx.alerts]}
    if isinstance(ctx, HealthContext):
        return health_fields(ctx)
    if isinstance(ctx, HealthGroupContext):
        return {"type": "feed_health_changes", "feeds": [health_fields(e) for e in ctx.events]}
    if isinstance(ctx, DigestContext):
        return digest_fields(ctx)
    raise TypeError(f"no fields for {type(ctx).__name__}")


def webhook_document(msg: EmailMessage, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a webhook receives: ``text`` (subject and plain body, escaped for chat markup;
    Slack-, Mattermost- and Teams-style webhooks read it), the raw ``subject`` and
    ``body``, the ``message_id``, and the message's structured ``fields``."""
    body = msg.get_body(("plain",))
    text = body.get_content() if body is not None else ""
    subject = str(msg.get("Subject", ""))
    return {
        "text": chat_escape(f"{subject}\n\n{text}".strip()),
        "subject": subject,
        "body": text,
        "message_id": str(msg.get("Message-ID", "")).strip(),
        **({"fields": fields} if fields is not None else {}),
    }


def as_bytes(msg: EmailMessage) -> bytes:
    """The message as the outbox stores it: RFC 5322 with CRLF line endings."""
    return msg.as_bytes(policy=SMTP_POLICY)


# --- self-check --------------------------------------------------------------------


def _sample_contexts() -> list[tuple[AlertContext, DigestContext]]:
    at = datetime(2025, 10, 30, 12, 0, tzinfo=UTC)
    full = Commitment(
        id="sample",
        title="Sample ceasefire holds",
        statement="The ceasefire holds <as long as> no violations occur.",
        kind=Kind.CEASEFIRE,
        said_by="A minister",
        said_at=at,
        source_url="https://example.org/interview",
        parties=("a", "b"),
    )
    bare = Commitment(
        id="bare",
        title="",
        statement="",
        kind=Kind.OTHER,
        said_by="",
        said_at=None,
        source_url="javascript:alert(1)",
        parties=(),
    )
    ev = Evidence(
        id=1,
        article_id=1,
        commitment_id="sample",
        label=Label.BREACH,
        score=0.9,
        quote="Shelling resumed across the border.",
        signals=("shelling", "resumed"),
        source="example.org",
        url="https://example.org/a",
        title="Border clashes",
        published_at=at,
        created_at=at,
    )
    ev_bare = Evidence(
        id=2,
        article_id=2,
        commitment_id="bare",
        label=Label.MET,
        score=0.5,
        quote="",
        signals=(),
        source="",
        url=None,
        title="",
        published_at=None,
        created_at=at,
    )
    change = StatusChange("sample", Status.PENDING, Status.BREACHED, at, "two sources", (1,))
    change_bare = StatusChange("bare", Status.PENDING, Status.MET, at, "")
    feed_ok = FeedHealth("ok", "https://example.org/feed", True, at, None, 0, at)
    feed_bad = FeedHealth("bad", "ftp://example.org/x", False, None, "HTTP 500", 3, None)
    return [
        (
            AlertContext(full, change, (ev,)),
            DigestContext(
                at,
                at,
                ((full, change),),
                ((full, ev),),
                ((full, Status.BREACHED, ev),),
                (feed_ok, feed_bad),
            ),
        ),
        (
            AlertContext(bare, change_bare, (ev_bare,)),
            DigestContext(None, at, (), (), ((bare, Status.PENDING, None),), ()),
        ),
        (
            AlertContext(full, change, ()),
            DigestContext(None, at, (), ((bare, ev_bare),), (), (feed_bad,)),
        ),
    ]


def validate_templates() -> None:
    """Render every template with sample contexts; raise ``ConfigError`` listing failures."""
    problems: list[Problem] = []
    at = datetime(2025, 10, 30, 12, 0, tzinfo=UTC)
    for alert_ctx, digest_ctx in _sample_contexts():
        jobs = [(name, _alert_values(alert_ctx)) for name in ("alert.txt", "alert.html")]
        jobs += [(name, _digest_values(digest_ctx)) for name in ("digest.txt", "digest.html")]
        group = AlertGroupContext((alert_ctx, alert_ctx))
        jobs += [
            (
                name,
                {
                    "ctx": group,
                    "subject": alert_group_subject(group),
                    "explain_command": explain_command(alert_ctx.evidence),
                },
            )
            for name in ("alerts.txt", "alerts.html")
        ]
        for state in ("failing", "ok"):
            health = HealthContext(
                "Feed <x>", "https://example.org/feed", "ok", state, "3 failed polls in a row", at
            )
            jobs += [
                (name, {"ctx": health, "subject": health_subject(health)})
                for name in ("health.txt", "health.html")
            ]
            healths = HealthGroupContext((health, health))
            jobs += [
                (name, {"ctx": healths, "subject": health_group_subject(healths)})
                for name in ("healths.txt", "healths.html")
            ]
        for name, values in jobs:
            try:
                if not _render(name, **values).strip():
                    problems.append(Problem(f"templates/{name}", "renders as empty text"))
            except jinja2.TemplateSyntaxError as e:
                problems.append(Problem(f"templates/{name}", e.message or str(e), e.lineno))
            except (jinja2.TemplateError, ValueError, TypeError) as e:
                problems.append(Problem(f"templates/{name}", f"{type(e).__name__}: {e}"))
        if problems:
            continue
        try:
            _check_readable(
                render_alert(
                    alert_ctx,
                    key="validate",
                    sender="m@example.org",
                    recipients=["d@example.org"],
                    sent_at=at,
                )
            )
            _check_readable(
                render_digest(
                    digest_ctx,
                    key="validate",
                    sender="m@example.org",
                    recipients=["d@example.org"],
                    sent_at=at,
                )
            )
        except ValueError as e:
            problems.append(Problem("templates", str(e)))
    if problems:
        raise ConfigError("monitor/templates", list(dict.fromkeys(problems)))


def _check_readable(msg: EmailMessage) -> None:
    parsed = email.message_from_bytes(as_bytes(msg), policy=email.policy.default)
    if not isinstance(parsed, EmailMessage):
        raise ValueError("the rendered message does not parse as an EmailMessage")
    for subtype in ("plain", "html"):
        part = parsed.get_body((subtype,))
        if part is None or not str(part.get_content()).strip():
            raise ValueError(f"the {subtype} part is missing or empty")
