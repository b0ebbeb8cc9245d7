"""Status rules: at risk, breached (strong or corroborated), met, overdue; syndication."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.assess import Thresholds, assess_commitment, independent_sources
from monitor.models import Commitment, Evidence, Kind, Label, Status

T0 = datetime(2025, 10, 25, tzinfo=UTC)
TH = Thresholds(
    breach_strong_score=0.75,
    corroborating_sources=2,
    at_risk_score=0.4,
    met_score=0.6,
    duplicate_distance=6,
)


def commitment(*, ongoing: bool = True, deadline: datetime | None = None) -> Commitment:
    return Commitment(
        id="c",
        title="C",
        statement="s",
        kind=Kind.CEASEFIRE,
        said_by="x",
        said_at=None,
        source_url=None,
        parties=("pakistan", "afghanistan"),
        ongoing=ongoing,
        deadline_at=deadline,
    )


_ids = iter(range(1, 10_000))


def ev(label: Label, score: float, source: str, hours: float, fingerprint: int = 0) -> Evidence:
    at = T0 + timedelta(hours=hours)
    return Evidence(
        id=next(_ids),
        article_id=1,
        commitment_id="c",
        label=label,
        score=score,
        quote="q",
        signals=("s",),
        source=source,
        url=None,
        title="t",
        published_at=at,
        created_at=at,
        fingerprint=fingerprint,
    )


def run(
    c: Commitment,
    items: list[Evidence],
    *,
    status: Status = Status.PENDING,
    now: datetime = T0 + timedelta(days=1),
) -> list[tuple[Status, Status]]:
    return [(x.from_status, x.to_status) for x in assess_commitment(c, status, [], items, now, TH)]


def test_single_weak_source_is_at_risk_then_second_source_breaches() -> None:
    first = ev(Label.BREACH, 0.5, "dawn.com", 1)
    assert run(commitment(), [first]) == [(Status.PENDING, Status.AT_RISK)]
    second = ev(Label.BREACH, 0.5, "tolonews.com", 2)
    changes = assess_commitment(
        commitment(), Status.AT_RISK, [first], [second], T0 + timedelta(days=1), TH
    )
    assert [(c.from_status, c.to_status) for c in changes] == [(Status.AT_RISK, Status.BREACHED)]
    assert set(changes[0].evidence_ids) == {first.id, second.id}
    assert "2 independent sources" in changes[0].reason


def test_strong_report_breaches_at_once() -> None:
    assert run(commitment(), [ev(Label.BREACH, 0.9, "dawn.com", 1)]) == [
        (Status.PENDING, Status.BREACHED)
    ]


def test_weak_evidence_below_at_risk_does_nothing() -> None:
    assert (
        run(commitment(), [ev(Label.BREACH, 0.3, "dawn.com", 1), ev(Label.MET, 0.5, "dawn.com", 2)])
        == []
    )


def test_same_publisher_twice_is_one_source() -> None:
    items = [ev(Label.BREACH, 0.5, "dawn.com", 1), ev(Label.BREACH, 0.6, "Dawn.com", 2)]
    assert run(commitment(), items) == [(Status.PENDING, Status.AT_RISK)]


def test_syndicated_copies_are_one_source() -> None:
    story = 0x0F0F_1234_5678_9ABC
    copy = story ^ 0b101  # two bits differ: a syndicated copy
    items = [
        ev(Label.BREACH, 0.5, "wire.example", 1, story),
        ev(Label.BREACH, 0.5, "aggregator.example", 2, copy),
    ]
    assert run(commitment(), items) == [(Status.PENDING, Status.AT_RISK)]
    other = ev(Label.BREACH, 0.5, "tolonews.com", 3, ~story & 0xFFFF_FFFF_FFFF_FFFF)
    assert run(commitment(), [*items, other])[-1] == (Status.AT_RISK, Status.BREACHED)


def test_met_then_breach_for_ongoing_but_not_for_one_off() -> None:
    met = ev(Label.MET, 0.8, "dawn.com", 1)
    breach = ev(Label.BREACH, 0.9, "tolonews.com", 5)
    assert run(commitment(ongoing=True), [met, breach]) == [
        (Status.PENDING, Status.MET),
        (Status.MET, Status.BREACHED),
    ]
    assert run(commitment(ongoing=False), [met, breach]) == [(Status.PENDING, Status.MET)]


def test_breached_ongoing_pledge_stays_breached_but_one_off_can_be_met_later() -> None:
    met = ev(Label.MET, 0.9, "dawn.com", 9)
    assert run(commitment(ongoing=True), [met], status=Status.BREACHED) == []
    assert run(commitment(ongoing=False), [met], status=Status.BREACHED) == [
        (Status.BREACHED, Status.MET)
    ]


def test_evidence_is_taken_in_time_order() -> None:
    late_met = ev(Label.MET, 0.8, "a.example", 10)
    early_breach = ev(Label.BREACH, 0.9, "b.example", 1)
    # given out of order, the breach (earlier) comes first; ongoing, so it stays breached
    assert run(commitment(), [late_met, early_breach]) == [(Status.PENDING, Status.BREACHED)]


def test_overdue_after_deadline_without_met_evidence() -> None:
    deadline = T0 + timedelta(days=3)
    c = commitment(ongoing=False, deadline=deadline)
    assert run(c, [], now=deadline - timedelta(seconds=1)) == []
    assert run(c, [], now=deadline) == [(Status.PENDING, Status.OVERDUE)]
    assert run(c, [ev(Label.MET, 0.9, "x.example", 1)], now=deadline) == [
        (Status.PENDING, Status.MET)
    ]
    late = assess_commitment(
        c, Status.OVERDUE, [], [ev(Label.MET, 0.9, "x", 100)], deadline + timedelta(days=1), TH
    )
    assert [(x.to_status, "after the deadline" in x.reason) for x in late] == [(Status.MET, True)]


def test_no_change_when_already_in_that_status() -> None:
    assert run(commitment(), [ev(Label.BREACH, 0.9, "x", 1)], status=Status.BREACHED) == []


@pytest.mark.parametrize("n", [1, 2, 5])
def test_independent_sources_counts_publishers(n: int) -> None:
    spread = [(0x9E3779B97F4A7C15 * (i + 1)) & 0xFFFF_FFFF_FFFF_FFFF for i in range(n)]
    items = [ev(Label.BREACH, 0.5, f"p{i}.example", i, fingerprint=f) for i, f in enumerate(spread)]
    assert independent_sources(items, 6) == n


@given(
    st.lists(
        st.tuples(
            st.sampled_from([Label.BREACH, Label.MET]),
            st.floats(0, 1),
            st.sampled_from(["a", "b", "c"]),
            st.floats(0, 100),
        ),
        max_size=12,
    ),
    st.booleans(),
)
def test_transitions_are_consistent(
    raw: list[tuple[Label, float, str, float]], ongoing: bool
) -> None:
    items = [ev(label, score, src, h) for label, score, src, h in raw]
    changes = assess_commitment(
        commitment(ongoing=ongoing), Status.PENDING, [], items, T0 + timedelta(days=10), TH
    )
    current = Status.PENDING
    for c in changes:
        assert c.from_status is current and c.to_status is not current
        current = c.to_status
    if not ongoing:
        # a one-off never leaves "met"
        seen_met = False
        for c in changes:
            assert not (seen_met and c.from_status is Status.MET)
            seen_met = seen_met or c.to_status is Status.MET
