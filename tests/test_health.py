"""Feed health: failing, silent and gone feeds raise one alert each, and one on recovery."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor import pipeline
from monitor.clock import FakeClock
from monitor.health import Health, feed_health
from monitor.models import Feed
from tests.feedserver import FeedServer
from tests.helpers import QUIET_ITEM, rss, write_watchlist

NOW = datetime(2025, 11, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def feed(**kw: object) -> Feed:
    base: dict[str, object] = {
        "id": 1,
        "name": "F",
        "url": "http://f",
        "interval_seconds": 900,
        "created_at": NOW - 10 * DAY,
        "last_new_at": NOW - DAY,
    }
    base.update(kw)
    return Feed(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({}, Health.OK),
        ({"error_count": 4}, Health.OK),
        ({"error_count": 5}, Health.FAILING),
        ({"gone": True, "error_count": 9}, Health.GONE),
        ({"last_new_at": NOW - 3 * DAY}, Health.SILENT),
        ({"last_new_at": None, "created_at": NOW - 3 * DAY}, Health.SILENT),
        ({"last_new_at": None, "created_at": NOW - DAY}, Health.OK),
    ],
)
def test_feed_health_table(kw: dict[str, object], expected: Health) -> None:
    assert feed_health(feed(**kw), NOW, failures=5, silent_after=2 * DAY) is expected


@pytest.fixture
def monitor(
    tmp_path: Path, feed_server: FeedServer, open_monitor: Callable[..., pipeline.Monitor]
) -> pipeline.Monitor:
    feed_server.add("/f.xml", rss([QUIET_ITEM]))
    path = write_watchlist(
        tmp_path,
        {"F": feed_server.url("/f.xml")},
        polling={"interval_minutes": 10, "failures_before_alert": 3, "silent_after_hours": 24},
    )
    return open_monitor(path, FakeClock(NOW))


def health_subjects(tmp_path: Path) -> list[str]:
    out = []
    for f in sorted((tmp_path / "outbox").glob("health_*.eml")):
        msg = email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
        out.append(str(msg["Subject"]))
    return out


def cycle_when_due(m: pipeline.Monitor) -> None:
    [f] = m.store.feeds()
    assert f.next_poll_at is not None
    m.clock.set(max(m.clock.now(), f.next_poll_at))  # type: ignore[attr-defined]
    pipeline.run_cycle(m)


def test_failing_feed_alerts_once_then_recovers_once(
    monitor: pipeline.Monitor, feed_server: FeedServer, tmp_path: Path
) -> None:
    pipeline.sync(monitor)
    pipeline.run_cycle(monitor)
    assert health_subjects(tmp_path) == []
    feed_server.add("/f.xml", status=503)
    for _ in range(6):  # failures 1..6; the 3rd makes it failing
        cycle_when_due(monitor)
    assert health_subjects(tmp_path) == ["[monitor] feed FAILING: F"]
    text = (sorted((tmp_path / "outbox").glob("health_*.eml"))[0]).read_bytes()
    assert b"503" in text
    [h] = pipeline.feed_health(monitor)
    assert not h.healthy and "failed polls in a row" in (h.last_error or "")
    feed_server.add("/f.xml", rss([QUIET_ITEM]))
    cycle_when_due(monitor)
    cycle_when_due(monitor)
    assert health_subjects(tmp_path) == ["[monitor] feed FAILING: F", "[monitor] feed recovered: F"]


def test_silent_feed_alerts_once_and_recovers_with_news(
    monitor: pipeline.Monitor, feed_server: FeedServer, tmp_path: Path
) -> None:
    pipeline.sync(monitor)
    pipeline.run_cycle(monitor)
    for _ in range(3):  # the same item, for more than a day
        monitor.clock.advance(12 * 3600)  # type: ignore[attr-defined]
        pipeline.run_cycle(monitor)
    assert health_subjects(tmp_path) == ["[monitor] feed SILENT: F"]
    feed_server.add(
        "/f.xml",
        rss(
            [
                QUIET_ITEM,
                {
                    **QUIET_ITEM,
                    "guid": "new",
                    "link": "https://pk-news.example/new",
                    "title": "Something new",
                },
            ]
        ),
    )
    monitor.clock.advance(3600)  # type: ignore[attr-defined]
    pipeline.run_cycle(monitor)
    assert health_subjects(tmp_path)[-1] == "[monitor] feed recovered: F"


def test_gone_feed_stops_polling_and_alerts(
    monitor: pipeline.Monitor, feed_server: FeedServer, tmp_path: Path
) -> None:
    feed_server.add("/f.xml", status=410)
    pipeline.sync(monitor)
    pipeline.run_cycle(monitor)
    assert health_subjects(tmp_path) == ["[monitor] feed GONE: F"]
    requests = len(feed_server.requests_for("/f.xml"))
    monitor.clock.advance(7 * 86400)  # type: ignore[attr-defined]
    pipeline.run_cycle(monitor)
    assert len(feed_server.requests_for("/f.xml")) == requests


def test_repeated_404_is_gone_but_one_404_is_not(
    monitor: pipeline.Monitor, feed_server: FeedServer, tmp_path: Path
) -> None:
    feed_server.add("/f.xml", b"not here", status=404, content_type="text/plain")
    pipeline.sync(monitor)
    pipeline.run_cycle(monitor)
    cycle_when_due(monitor)
    [f] = monitor.store.feeds()
    assert not f.gone and f.error_count == 2  # two 404s: maybe a hiccup, keep polling
    cycle_when_due(monitor)  # the third (failures_before_alert) in a row: gone
    [f] = monitor.store.feeds()
    assert f.gone
    # the feed was never read, so its first failure is reported at once; then gone
    assert health_subjects(tmp_path) == ["[monitor] feed FAILING: F", "[monitor] feed GONE: F"]
    requests = len(feed_server.requests_for("/f.xml"))
    monitor.clock.advance(30 * 86400)  # type: ignore[attr-defined]
    pipeline.run_cycle(monitor)
    assert len(feed_server.requests_for("/f.xml")) == requests
