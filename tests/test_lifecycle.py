"""The status lifecycle on a sequence of articles in time order, through the pipeline:
single source → at risk; a syndicated copy is the same source; an independent report
→ breached; the talks reported held → met; a deadline with no report → overdue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor import pipeline
from monitor.clock import FakeClock
from monitor.models import Status
from tests.feedserver import FeedServer
from tests.helpers import rss, write_watchlist

KURRAM = {
    "guid": "k1",
    "link": "https://frontier-news.example/kurram-mortars",
    "title": "Afghan forces fire mortars at Kurram posts, ISPR says",
    "description": "Afghan Taliban forces fired mortar rounds at Pakistani border posts in "
    "Kurram late on Sunday, the ISPR said, adding that Pakistani troops "
    "responded.",
    "date": "Mon, 27 Oct 2025 06:00:00 +0000",
}
KURRAM_COPY = {**KURRAM, "guid": "agg-77", "link": "https://news-buzz.example/p/77"}
TORKHAM = {
    "guid": "t1",
    "link": "https://kabul-daily.example/torkham-shelling",
    "title": "Residents report shelling near Torkham",
    "description": "Residents of Torkham said shells fired from the Afghan side landed near "
    "the crossing overnight, according to local officials.",
    "date": "Tue, 28 Oct 2025 07:00:00 +0000",
}
MECHANISM = {
    "guid": "i1",
    "link": "https://wire.example/istanbul-mechanism",
    "title": "Istanbul talks end with monitoring mechanism",
    "description": "Pakistan and Afghanistan agreed in Istanbul on a joint monitoring and "
    "verification mechanism to oversee the ceasefire, Turkish officials said "
    "on Thursday.",
    "date": "Thu, 30 Oct 2025 15:00:00 +0000",
}


@pytest.fixture
def world(
    tmp_path: Path, feed_server: FeedServer, open_monitor: Callable[..., pipeline.Monitor]
) -> pipeline.Monitor:
    for path in ("/frontier.xml", "/aggregator.xml", "/kabul.xml", "/wire.xml"):
        feed_server.add(path, rss([]))
    config_file = write_watchlist(
        tmp_path,
        {
            name: feed_server.url(f"/{name}.xml")
            for name in ("frontier", "aggregator", "kabul", "wire")
        },
        judging={
            "breach_strong_score": 1.0,
            "corroborating_sources": 2,
            "at_risk_score": 0.4,
            "met_score": 0.6,
        },
    )
    return open_monitor(config_file, FakeClock(datetime(2025, 10, 26, 12, tzinfo=UTC)))


def step(
    m: pipeline.Monitor, feeds: FeedServer, at: datetime, **published: list[dict[str, str]]
) -> dict[str, Status]:
    for name, items in published.items():
        feeds.add(f"/{name}.xml", rss(items))
    m.clock.set(at)  # type: ignore[attr-defined]
    pipeline.run_cycle(m)
    return {cid: s.status for cid, s in m.store.commitment_states().items()}


def test_lifecycle_in_time_order(
    world: pipeline.Monitor, feed_server: FeedServer, tmp_path: Path
) -> None:
    m = world
    s = step(m, feed_server, datetime(2025, 10, 26, 12, tzinfo=UTC))
    assert set(s.values()) == {Status.PENDING}

    s = step(m, feed_server, datetime(2025, 10, 27, 9, tzinfo=UTC), frontier=[KURRAM])
    assert s["ceasefire"] is Status.AT_RISK  # one source

    s = step(m, feed_server, datetime(2025, 10, 27, 12, tzinfo=UTC), aggregator=[KURRAM_COPY])
    assert s["ceasefire"] is Status.AT_RISK  # a syndicated copy is the same story

    s = step(m, feed_server, datetime(2025, 10, 28, 9, tzinfo=UTC), kabul=[TORKHAM])
    assert s["ceasefire"] is Status.BREACHED  # an independent publisher corroborates

    assert s["istanbul-talks"] is Status.PENDING
    s = step(m, feed_server, datetime(2025, 10, 30, 18, tzinfo=UTC), wire=[MECHANISM])
    assert s["istanbul-talks"] is Status.MET
    assert s["ceasefire"] is Status.BREACHED  # an ongoing pledge stays breached

    s = step(m, feed_server, datetime(2025, 11, 20, tzinfo=UTC))
    assert s["istanbul-talks"] is Status.MET  # met before its deadline: never overdue

    events = [(c.commitment_id, c.to_status) for c in m.store.events_between(None, m.clock.now())]
    assert events == [
        ("ceasefire", Status.AT_RISK),
        ("ceasefire", Status.BREACHED),
        ("istanbul-talks", Status.MET),
    ]
    subjects = sorted(p.name for p in (tmp_path / "outbox").glob("alert_*.eml"))
    assert len(subjects) == 3  # at risk, breached, met: one alert each


def test_deadline_passes_without_report_is_overdue(
    world: pipeline.Monitor, feed_server: FeedServer
) -> None:
    s = step(world, feed_server, datetime(2025, 11, 10, 23, tzinfo=UTC))
    assert s["istanbul-talks"] is Status.PENDING
    s = step(world, feed_server, datetime(2025, 11, 11, 0, 1, tzinfo=UTC))
    assert s["istanbul-talks"] is Status.PENDING  # the feeds were not yet read after it
    # overdue once the feeds were read for the grace period (12 hours) after the deadline
    for hour in range(1, 12):
        s = step(world, feed_server, datetime(2025, 11, 11, hour, 1, tzinfo=UTC))
    assert s["istanbul-talks"] is Status.PENDING  # 11 hours read
    s = step(world, feed_server, datetime(2025, 11, 11, 12, 1, tzinfo=UTC))
    assert s["istanbul-talks"] is Status.OVERDUE
    s = step(world, feed_server, datetime(2025, 11, 12, tzinfo=UTC), wire=[MECHANISM])
    assert s["istanbul-talks"] is Status.MET  # a late report still counts
