"""No verdict without coverage: deadlines count only time in which the feeds were read,
and a first cycle in which no feed answers is reported at once."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor import cyclelog, pipeline
from monitor.assess import Thresholds, assess_commitment
from monitor.clock import FakeClock
from monitor.coverage import (
    Coverage,
    CycleRecord,
    covered_between,
    covered_intervals,
    overdue_at,
)
from monitor.models import Commitment, Kind, Status
from tests.feedserver import FeedServer
from tests.helpers import BREACH_ITEM, rss, write_watchlist

T0 = datetime(2025, 11, 11, tzinfo=UTC)
H = timedelta(hours=1)


def hours(*offsets: float) -> list[datetime]:
    return [T0 + h * H for h in offsets]


def test_reads_cover_back_to_the_previous_read_within_the_gap() -> None:
    intervals = covered_intervals(hours(0, 1, 2, 10, 11), max_gap=6 * H)
    assert intervals == [(T0, T0 + 2 * H), (T0 + 10 * H, T0 + 11 * H)]  # 8 h gap: a hole
    assert covered_between(intervals, T0, T0 + 24 * H) == 3 * H
    assert covered_intervals([], max_gap=H) == []


@pytest.mark.parametrize(
    ("reads", "expected"),
    [
        ([], None),  # never read: never overdue
        ([-1, 0.5], None),  # read once after the deadline: half an hour covered
        (list(range(-1, 13)), 12),  # read hourly: due 12 hours after the deadline
        ([*range(-1, 4), *range(20, 30)], 29),  # 3 h read, a 16 h gap, 9 h more
        ([24, 25, 48], None),  # sparse reads: the 23 h gap covers nothing
    ],
)
def test_overdue_only_after_the_grace_period_was_read(
    reads: list[float], expected: float | None
) -> None:
    intervals = covered_intervals(hours(*reads), max_gap=6 * H)
    got = overdue_at(T0, 12 * H, intervals)
    assert got == (None if expected is None else T0 + expected * H)


@given(st.lists(st.integers(-48, 96), max_size=40), st.integers(0, 24), st.integers(1, 12))
def test_overdue_never_before_deadline_plus_grace(reads: list[int], grace: int, gap: int) -> None:
    intervals = covered_intervals(hours(*reads), max_gap=gap * H)
    due = overdue_at(T0, grace * H, intervals)
    if due is not None:
        assert due >= T0 + grace * H
        assert covered_between(intervals, T0, due) == grace * H


def test_a_cycle_reads_when_most_due_feeds_answered() -> None:
    def cycle(due: int, ok: int) -> CycleRecord:
        return CycleRecord(T0, None, due, ok, due - ok, 0)

    assert cycle(13, 13).read and cycle(4, 2).read
    assert not cycle(13, 0).read and not cycle(13, 6).read and not cycle(0, 0).read


def _talks() -> Commitment:
    return Commitment(
        id="talks",
        title="Talks",
        statement="Talks will be held.",
        kind=Kind.TALKS,
        said_by="x",
        said_at=None,
        source_url=None,
        parties=("pakistan",),
        deadline_at=T0,
        ongoing=False,
    )


def test_assess_waits_for_coverage_and_says_so() -> None:
    th = Thresholds()
    late = T0 + 30 * H
    nothing = Coverage((), 12 * H)
    assert assess_commitment(_talks(), Status.PENDING, [], [], late, th, coverage=nothing) == []
    read = Coverage(tuple(covered_intervals(hours(*range(0, 14)), 6 * H)), 12 * H)
    [change] = assess_commitment(_talks(), Status.PENDING, [], [], late, th, coverage=read)
    assert change.to_status is Status.OVERDUE and "read for 12 hours" in change.reason
    # without coverage the old rule holds (the caller vouches that feeds were read)
    [change] = assess_commitment(_talks(), Status.PENDING, [], [], T0 + H, th)
    assert change.to_status is Status.OVERDUE


def _subjects(outbox: Path) -> list[str]:
    out = []
    for f in sorted(outbox.glob("*.eml")):
        msg = email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
        out.append(str(msg["Subject"]))
    return out


def test_every_feed_down_no_verdict_and_a_health_alert_at_once(
    tmp_path: Path,
    feed_server: FeedServer,
    database_url: str,
    open_monitor: Callable[..., pipeline.Monitor],
) -> None:
    names = [f"F{i}" for i in range(4)]
    for name in names:
        feed_server.add(f"/{name}.xml", b"down", status=503, content_type="text/plain")
    config = write_watchlist(
        tmp_path,
        {name: feed_server.url(f"/{name}.xml") for name in names},
        database_url=database_url,
    )
    # long after every deadline of the default watchlist
    m = open_monitor(config, FakeClock(datetime(2026, 6, 1, tzinfo=UTC)))
    report = pipeline.run_cycle(m)
    assert len(report.poll.errors) == 4
    subjects = _subjects(tmp_path / "outbox")
    assert subjects and all("FAILING" in s for s in subjects), subjects  # at once
    assert not any("OVERDUE" in s or "BREACHED" in s for s in subjects), subjects
    for _ in range(30):  # hours of cycles, every feed still down
        m.clock.advance(3600)  # type: ignore[attr-defined]
        pipeline.run_cycle(m)
    states = {c: s.status for c, s in m.store.commitment_states().items()}
    assert set(states.values()) == {Status.PENDING}, states
    assert not any("OVERDUE" in s for s in _subjects(tmp_path / "outbox"))
    cycles = cyclelog.cycles_since(m.store, datetime(2026, 1, 1, tzinfo=UTC))
    assert len(cycles) == 31 and cycles[0].feeds_failed == 4
    assert not any(c.read for c in cycles)  # (backoff: later cycles had fewer feeds due)


def test_feeds_back_up_then_overdue_after_grace(
    tmp_path: Path, feed_server: FeedServer, open_monitor: Callable[..., pipeline.Monitor]
) -> None:
    feed_server.add("/f.xml", rss([BREACH_ITEM]))
    config = write_watchlist(
        tmp_path, {"F": feed_server.url("/f.xml")}, polling={"interval_minutes": 30}
    )
    m = open_monitor(config, FakeClock(datetime(2026, 6, 1, tzinfo=UTC)))
    pipeline.run_cycle(m)
    assert m.store.commitment_states()["istanbul-talks"].status is Status.PENDING
    for _ in range(25):  # read every 30 minutes for 12.5 hours
        m.clock.advance(1800)  # type: ignore[attr-defined]
        pipeline.run_cycle(m)
    assert m.store.commitment_states()["istanbul-talks"].status is Status.OVERDUE


def test_alerts_and_digest_say_what_was_read(
    tmp_path: Path, feed_server: FeedServer, open_monitor: Callable[..., pipeline.Monitor]
) -> None:
    feed_server.add("/f.xml", rss([BREACH_ITEM]))
    feed_server.add("/down.xml", b"down", status=503, content_type="text/plain")
    config = write_watchlist(
        tmp_path, {"F": feed_server.url("/f.xml"), "D": feed_server.url("/down.xml")}
    )
    m = open_monitor(config, FakeClock(datetime(2026, 6, 1, tzinfo=UTC)))
    pipeline.run_cycle(m)
    pipeline.digest(m)
    pipeline.deliver_pending(m)
    texts = {}
    for f in sorted((tmp_path / "outbox").glob("*.eml")):
        msg = email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
        body = msg.get_body(("plain",))
        html = msg.get_body(("html",))
        assert body is not None and html is not None
        texts[str(msg["Subject"])] = (body.get_content(), html.get_content())
    alerts = [s for s in texts if "BREACHED" in s or "AT RISK" in s]
    digests = [s for s in texts if "digest" in s.lower()]
    assert alerts and digests, list(texts)
    for subject in (alerts[0], digests[0]):
        plain, html = texts[subject]
        line = "1 of 2 due feeds answered in the last poll (2 feeds in all); 1 new articles"
        assert line in plain and line in html, plain
        assert "last successful poll 2026-06-01 00:00 UTC" in plain
