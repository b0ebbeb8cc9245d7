"""The pure rules of people in the loop (monitor/review.py), table-wise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from monitor import web
from monitor.assess import Thresholds
from monitor.models import (
    Acknowledgement,
    Commitment,
    Evidence,
    Kind,
    Label,
    Silence,
    SilenceScope,
    Status,
    StatusChange,
)
from monitor.review import (
    Correction,
    acknowledged,
    is_retraction,
    reassess,
    reminder_round,
    silence_for,
    silenced_channels,
)

T0 = datetime(2025, 10, 28, 9, 0, tzinfo=UTC)
S = Status


def change(a: Status, b: Status) -> StatusChange:
    return StatusChange("c", a, b, T0, "")


@pytest.mark.parametrize(
    ("before", "after", "retraction"),
    [
        (S.BREACHED, S.PENDING, True),
        (S.BREACHED, S.AT_RISK, True),
        (S.AT_RISK, S.PENDING, True),
        (S.MET, S.PENDING, True),
        (S.MET, S.BREACHED, True),
        (S.AT_RISK, S.BREACHED, False),  # an escalation, alerted as usual
        (S.PENDING, S.BREACHED, False),
        (S.PENDING, S.MET, False),
        (S.OVERDUE, S.MET, False),
        (S.BREACHED, S.BREACHED, False),
    ],
)
def test_which_changes_are_retractions(before: Status, after: Status, retraction: bool) -> None:
    assert is_retraction(change(before, after)) is retraction


COMMITMENT = Commitment(
    id="c",
    title="t",
    statement="s",
    kind=Kind.CEASEFIRE,
    said_by="x",
    said_at=None,
    source_url=None,
    parties=("pakistan",),
)


def evidence(i: int, label: Label, score: float, source: str = "a.example") -> Evidence:
    return Evidence(i, i, "c", label, score, "q", (), source, None, "t", T0, T0)


def test_reassess_takes_back_a_breach_that_lost_its_evidence() -> None:
    cause = Correction("Dana", "marked article 1 as none")
    kept = [evidence(1, Label.NONE, 0.95), evidence(2, Label.BREACH, 0.5)]
    got = reassess(COMMITMENT, S.BREACHED, kept, T0, Thresholds(), cause)
    assert got is not None and got.to_status is S.AT_RISK and got.evidence_ids == (2,)
    assert got.reason.startswith("retracted by Dana: marked article 1 as none")
    gone = reassess(COMMITMENT, S.BREACHED, kept[:1], T0, Thresholds(), cause)
    assert gone is not None and gone.to_status is S.PENDING
    assert reassess(COMMITMENT, S.AT_RISK, kept, T0, Thresholds(), cause) is None


def test_reminders_come_once_per_interval_for_breaches_only() -> None:
    day = timedelta(hours=24)
    assert reminder_round(S.BREACHED, T0, T0 + timedelta(hours=23), day) is None
    assert reminder_round(S.BREACHED, T0, T0 + timedelta(hours=25), day) == 1
    assert reminder_round(S.BREACHED, T0, T0 + timedelta(hours=49), day) == 2
    assert reminder_round(S.AT_RISK, T0, T0 + timedelta(hours=49), day) is None
    assert reminder_round(S.BREACHED, T0, T0 + timedelta(hours=49), timedelta(0)) is None


def test_an_acknowledgement_holds_until_the_status_changes() -> None:
    ack = Acknowledgement(1, "c", S.BREACHED, "Lee", None, T0 + timedelta(hours=1))
    assert acknowledged(ack, S.BREACHED, T0)
    assert not acknowledged(ack, S.BREACHED, T0 + timedelta(hours=2))  # breached again since
    assert not acknowledged(ack, S.AT_RISK, T0)
    assert not acknowledged(None, S.BREACHED, T0)


def test_silences_match_scope_and_target_and_expire() -> None:
    until = T0 + timedelta(hours=2)
    silences = [
        Silence(1, SilenceScope.FEED, "Dawn", "move", "ops", T0, until),
        Silence(2, SilenceScope.CHANNEL, "smtp", "relay down", "ops", T0, until),
        Silence(3, SilenceScope.CHANNEL, "webhook", "x", "ops", T0, until, removed_at=T0),
    ]
    assert silence_for(silences, SilenceScope.FEED, "Dawn", T0) == silences[0]
    assert silence_for(silences, SilenceScope.COMMITMENT, "Dawn", T0) is None
    assert silence_for(silences, SilenceScope.FEED, "Dawn", until) is None  # expired
    assert silenced_channels(silences, T0) == {"smtp"}


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("/commitments/ceasefire", "/commitments/ceasefire"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        (None, "/"),
    ],
)
def test_sign_in_only_returns_to_this_site(given: str | None, safe: str) -> None:
    assert web._safe_next(given) == safe


def test_listen_addresses() -> None:
    assert web.parse_listen("127.0.0.1:8080") == ("127.0.0.1", 8080)
    assert web.parse_listen("[::1]:9000") == ("::1", 9000)
    assert web.is_loopback("::1") and web.is_loopback("localhost")
    assert not web.is_loopback("0.0.0.0") and not web.is_loopback("example.org")
