"""Rendering alerts and digests: golden messages, escaping, headers, Message-IDs.

Regenerate the golden files with ``MONITOR_REGEN_GOLDEN=1 pytest tests/test_render.py``
and read the diff before keeping it.
"""

from __future__ import annotations

import email
import email.policy
import os
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor import render
from monitor.models import Commitment, Evidence, Kind, Label, Status, StatusChange
from monitor.render import (
    SUBJECT_MAX_CHARS,
    AlertContext,
    DigestContext,
    FeedHealth,
    as_bytes,
    message_id_for,
    one_line,
    render_alert,
    render_digest,
    validate_templates,
)

GOLDEN = Path(__file__).parent / "data" / "golden"
REGEN = os.environ.get("MONITOR_REGEN_GOLDEN") == "1"
SENT_AT = datetime(2025, 11, 2, 8, 0, tzinfo=UTC)
SENDER = "Monitor <monitor@example.org>"
RECIPIENTS = ("desk@example.org", "Analyst <analyst@example.org>")

CEASEFIRE = Commitment(
    id="ceasefire",
    title="Pakistan\u2013Afghanistan ceasefire holds",
    statement=(
        "The ceasefire will hold as long as no violations occur; "
        "Türkiye and Qatar will be informed of any violation."
    ),
    kind=Kind.CEASEFIRE,
    said_by="Khawaja Asif, Defence Minister of Pakistan",
    said_at=datetime(2025, 10, 20, 10, 0, tzinfo=UTC),
    source_url="https://example.org/interview?id=1&lang=en",
    parties=("pakistan", "afghanistan"),
)
TALKS = Commitment(
    id="istanbul-talks",
    title="Follow-up talks in Istanbul on October 25\u201327",
    statement="The next round of talks will be held in Istanbul on 25 October.",
    kind=Kind.TALKS,
    said_by="Khawaja Asif",
    said_at=datetime(2025, 10, 20, 10, 0, tzinfo=UTC),
    source_url=None,
    parties=("pakistan", "afghanistan"),
)
EVIDENCE_1 = Evidence(
    id=11,
    article_id=101,
    commitment_id="ceasefire",
    label=Label.BREACH,
    score=0.82,
    quote="Pakistani and Afghan forces exchanged fire near the Chaman border crossing on Saturday.",
    signals=("exchanged fire", "border"),
    source="wire.example.com",
    url="https://wire.example.com/news/chaman-clashes",
    title="Border clashes at Chaman",
    published_at=datetime(2025, 11, 1, 13, 45, tzinfo=UTC),
    created_at=datetime(2025, 11, 1, 14, 0, tzinfo=UTC),
)
EVIDENCE_2 = Evidence(
    id=12,
    article_id=102,
    commitment_id="ceasefire",
    label=Label.BREACH,
    score=0.74,
    quote="Officials in Kabul said shelling resumed in Kunar province.",
    signals=("shelling", "resumed"),
    source="news.example.net",
    url="https://news.example.net/kunar",
    title="Shelling in Kunar",
    published_at=datetime(2025, 11, 1, 15, 10, tzinfo=UTC),
    created_at=datetime(2025, 11, 1, 15, 30, tzinfo=UTC),
)
EVIDENCE_3 = Evidence(
    id=13,
    article_id=103,
    commitment_id="istanbul-talks",
    label=Label.MET,
    score=0.9,
    quote="Delegations from both countries met in Istanbul on Saturday, Türkiye said.",
    signals=("met in istanbul",),
    source="daily.example.org",
    url="https://daily.example.org/istanbul",
    title="Talks open in Istanbul",
    published_at=datetime(2025, 10, 25, 18, 0, tzinfo=UTC),
    created_at=datetime(2025, 10, 25, 18, 30, tzinfo=UTC),
)
CHANGE = StatusChange(
    commitment_id="ceasefire",
    from_status=Status.AT_RISK,
    to_status=Status.BREACHED,
    at=datetime(2025, 11, 1, 15, 30, tzinfo=UTC),
    reason="breach reported by 2 independent publishers",
    evidence_ids=(11, 12),
)
TALKS_CHANGE = StatusChange(
    commitment_id="istanbul-talks",
    from_status=Status.PENDING,
    to_status=Status.MET,
    at=datetime(2025, 10, 25, 18, 30, tzinfo=UTC),
    reason="talks reported by a trusted publisher",
    evidence_ids=(13,),
)
FEEDS = (
    FeedHealth(
        name="Wire",
        url="https://wire.example.com/rss",
        healthy=True,
        last_ok_at=datetime(2025, 11, 2, 7, 55, tzinfo=UTC),
        last_error=None,
        error_count=0,
        last_new_at=datetime(2025, 11, 1, 15, 10, tzinfo=UTC),
    ),
    FeedHealth(
        name="Daily",
        url="https://daily.example.org/feed.xml",
        healthy=False,
        last_ok_at=datetime(2025, 10, 31, 6, 0, tzinfo=UTC),
        last_error="fetch failed: https://daily.example.org/feed.xml (HTTP 503): unavailable",
        error_count=4,
        last_new_at=datetime(2025, 10, 25, 18, 0, tzinfo=UTC),
    ),
)


def alert_context(**changes: object) -> AlertContext:
    commitment = CEASEFIRE
    evidence: tuple[Evidence, ...] = (EVIDENCE_1, EVIDENCE_2)
    if "commitment" in changes:
        commitment = changes["commitment"]  # type: ignore[assignment]
    if "evidence" in changes:
        evidence = changes["evidence"]  # type: ignore[assignment]
    return AlertContext(commitment=commitment, change=CHANGE, evidence=evidence)


def digest_context() -> DigestContext:
    return DigestContext(
        period_start_at=datetime(2025, 11, 1, 8, 0, tzinfo=UTC),
        period_end_at=datetime(2025, 11, 2, 8, 0, tzinfo=UTC),
        changes=((CEASEFIRE, CHANGE), (TALKS, TALKS_CHANGE)),
        evidence=((CEASEFIRE, EVIDENCE_1), (TALKS, EVIDENCE_3), (CEASEFIRE, EVIDENCE_2)),
        statuses=((CEASEFIRE, Status.BREACHED, EVIDENCE_2), (TALKS, Status.MET, EVIDENCE_3)),
        feeds=FEEDS,
    )


def alert(ctx: AlertContext | None = None, key: str = "alert:ceasefire:1") -> EmailMessage:
    return render_alert(
        ctx or alert_context(), key=key, sender=SENDER, recipients=RECIPIENTS, sent_at=SENT_AT
    )


def digest(ctx: DigestContext | None = None, key: str = "digest:2025-11-02") -> EmailMessage:
    return render_digest(
        ctx or digest_context(), key=key, sender=SENDER, recipients=RECIPIENTS, sent_at=SENT_AT
    )


def parse(msg: EmailMessage) -> EmailMessage:
    parsed = email.message_from_bytes(as_bytes(msg), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def parts(msg: EmailMessage) -> tuple[str, str]:
    parsed = parse(msg)
    text = parsed.get_body(("plain",))
    html = parsed.get_body(("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


def normalise(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n")


@pytest.mark.parametrize(("name", "make"), [("alert.eml", alert), ("digest.eml", digest)])
def test_matches_golden(name: str, make: object) -> None:
    assert callable(make)
    raw = as_bytes(make())
    path = GOLDEN / name
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(normalise(raw))
    assert normalise(raw) == normalise(path.read_bytes())


def test_bytes_use_crlf_and_are_7bit() -> None:
    raw = as_bytes(alert())
    assert b"\r\n" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert all(b < 128 for b in raw)


def test_parser_reads_alert_back_whole() -> None:
    msg = alert()
    parsed = parse(msg)
    assert parsed["Subject"] == "[monitor] BREACHED: Pakistan\u2013Afghanistan ceasefire holds"
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed["Message-ID"] == message_id_for("alert:ceasefire:1")
    assert parsed["Date"] == "Sun, 02 Nov 2025 08:00:00 +0000"
    assert [a.addr_spec for a in parsed["To"].addresses] == [
        "desk@example.org",
        "analyst@example.org",
    ]
    text, html = parts(msg)
    for body in (text, html):
        assert "Türkiye" in body
        assert "Pakistan\u2013Afghanistan" in body
        assert "AT RISK" in body and "BREACHED" in body
        assert "Khawaja Asif" in body
        assert "exchanged fire" in body
        assert "wire.example.com" in body
        assert "monitor status" in body
        assert "monitor explain 101" in body  # by article id, never a URL from a feed
    assert '<a href="https://wire.example.com/news/chaman-clashes">' in html
    assert '<a href="https://example.org/interview?id=1&amp;lang=en">' in html


def test_parser_reads_digest_back_whole() -> None:
    msg = digest()
    parsed = parse(msg)
    assert parsed["Subject"] == (
        "[monitor] digest 2025-11-02: 2 changes, 3 new evidence, 1 feed failing"
    )
    text, html = parts(msg)
    for body in (text, html):
        assert "Türkiye" in body
        assert "Daily" in body and "HTTP 503" in body
        assert "2025-10-31 06:00 UTC" in body  # the failing feed's last success
    # Evidence is grouped per commitment: both ceasefire quotes come before the talks one.
    assert (
        text.index("exchanged fire")
        < text.index("shelling resumed")
        < text.index("met in Istanbul")
    )
    assert "<table" in html


def test_empty_digest_says_no_changes() -> None:
    ctx = DigestContext(
        period_start_at=None,
        period_end_at=datetime(2025, 11, 2, 8, 0, tzinfo=UTC),
        changes=(),
        evidence=(),
        statuses=((CEASEFIRE, Status.PENDING, None),),
        feeds=(),
    )
    msg = digest(ctx)
    assert msg["Subject"] == "[monitor] digest 2025-11-02: no changes, no new evidence"
    text, html = parts(msg)
    for body in (text, html):
        assert "No changes in this period." in body
        assert "No new evidence in this period." in body
        assert "No feeds are configured." in body


def test_html_escapes_script_from_quote() -> None:
    hostile = EVIDENCE_1.__class__(
        **{**EVIDENCE_1.__dict__, "quote": 'He said <script>alert("x")</script> & left.'}
    )
    commitment = Commitment(**{**CEASEFIRE.__dict__, "statement": "<b>bold</b> <script>"})
    text, html = parts(alert(alert_context(commitment=commitment, evidence=(hostile,))))
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; left." in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    # Plain text is not HTML: it keeps the words as written.
    assert '<script>alert("x")</script> & left.' in text


def test_non_http_links_are_not_anchors() -> None:
    commitment = Commitment(**{**CEASEFIRE.__dict__, "source_url": "javascript:alert(1)"})
    evidence = Evidence(**{**EVIDENCE_1.__dict__, "url": "data:text/html,<b>x</b>"})
    _text, html = parts(alert(alert_context(commitment=commitment, evidence=(evidence,))))
    assert 'href="javascript' not in html
    assert 'href="data' not in html
    assert "<a href" not in html
    assert "javascript:alert(1)" in html  # still shown, as text


def test_message_id_is_stable_per_key() -> None:
    assert message_id_for("k1") == message_id_for("k1")
    assert message_id_for("k1") != message_id_for("k2")
    assert message_id_for("k1", "example.org").endswith("@example.org>")
    assert alert(key="a")["Message-ID"] == alert(key="a")["Message-ID"]
    assert alert(key="a")["Message-ID"] != alert(key="b")["Message-ID"]
    assert as_bytes(alert(key="a")) == as_bytes(alert(key="a"))
    with pytest.raises(ValueError):
        message_id_for("k", "bad domain>\r\nBcc: x")


def test_feed_text_cannot_inject_headers() -> None:
    commitment = Commitment(
        **{**CEASEFIRE.__dict__, "title": "Ceasefire\r\nBcc: evil@example.com\r\n\r\nbody"}
    )
    msg = alert(alert_context(commitment=commitment))
    raw = as_bytes(msg)
    parsed = parse(msg)
    assert parsed["Bcc"] is None
    assert b"\r\nBcc:" not in raw
    assert parsed["Subject"] == "[monitor] BREACHED: Ceasefire Bcc: evil@example.com body"


def test_sent_at_must_be_aware() -> None:
    with pytest.raises(ValueError):
        render_alert(
            alert_context(),
            key="k",
            sender=SENDER,
            recipients=RECIPIENTS,
            sent_at=datetime(2025, 11, 2, 8, 0),  # noqa: DTZ001 - naive on purpose
        )


def test_validate_templates_passes() -> None:
    validate_templates()


LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@settings(database=None, deadline=None, max_examples=60)
@given(title=st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(LINE_BREAKS)))
def test_subject_is_one_line_for_any_title(title: str) -> None:
    msg = alert(alert_context(commitment=Commitment(**{**CEASEFIRE.__dict__, "title": title})))
    subject = str(msg["Subject"])
    assert not any(ch in subject for ch in LINE_BREAKS)
    assert len(subject.splitlines()) == 1
    assert len(subject) <= SUBJECT_MAX_CHARS
    parsed = parse(msg)
    assert parsed["Subject"] == subject
    assert set(parsed.keys()) == set(msg.keys())
    assert parsed.get_body(("plain",)) is not None
    assert parsed.get_body(("html",)) is not None


@given(text=st.text(), limit=st.integers(min_value=1, max_value=300))
@settings(database=None, deadline=None)
def test_one_line_has_no_line_breaks_and_respects_limit(text: str, limit: int) -> None:
    out = one_line(text, limit)
    assert len(out.splitlines()) <= 1
    assert len(out) <= limit
    assert out == out.strip()


def test_health_group_fields_and_subject_name_every_feed() -> None:
    at = datetime(2025, 10, 30, 12, 0, tzinfo=UTC)
    down = render.HealthContext("Dawn", "https://dawn.example/feed", "ok", "failing", "503", at)
    back = render.HealthContext("Geo", "https://geo.example/rss", "failing", "ok", "", at)
    ctx = render.HealthGroupContext((down, back))
    assert ctx.failing
    assert render.health_group_subject(ctx) == "[monitor] 2 feeds: FAILING: Dawn; recovered: Geo"
    fields = render.fields_for(ctx)
    assert fields["type"] == "feed_health_changes"
    assert [f["feed"] for f in fields["feeds"]] == ["Dawn", "Geo"]
    assert not render.HealthGroupContext((back,)).failing
