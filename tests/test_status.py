"""`monitor status` you can script: `--json` holds commitments (id, status, since,
coverage), feeds (name, health, last poll), the daemon's heartbeat and failed or retrying
deliveries; the text view says the same."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from monitor import pipeline
from monitor.cli import main
from monitor.clock import FakeClock
from monitor.status import collect
from tests.feedserver import FeedServer
from tests.helpers import BREACH_ITEM, QUIET_ITEM, rss, write_watchlist


def test_status_json_contract(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.add("/f.xml", rss([BREACH_ITEM, QUIET_ITEM]))
    feed_server.add("/down.xml", b"down", status=503, content_type="text/plain")
    smtp = {
        "host": "127.0.0.1",
        "port": 1,  # nothing listens: the alert waits for a retry
        "security": "none",
        "sender": "monitor@example.org",
        "recipients": ["desk@example.org"],
        "timeout_seconds": 2,
    }
    config = str(
        write_watchlist(
            tmp_path,
            {"PK": feed_server.url("/f.xml"), "Down": feed_server.url("/down.xml")},
            smtp=smtp,
        )
    )
    assert CliRunner().invoke(main, ["run", "--once", "--config", config]).exit_code == 0
    result = CliRunner().invoke(main, ["status", "--json", "--config", config])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    ids = [c["id"] for c in report["commitments"]]
    assert ids == [
        "ceasefire",
        "istanbul-talks",
        "no-ttp-talks",
        "no-sanctuary",
        "inform-mediators",
    ]
    ceasefire = report["commitments"][0]
    assert ceasefire["status"] in ("at risk", "breached") and ceasefire["since"]
    assert "coverage" in ceasefire
    talks = report["commitments"][1]
    assert talks["status"] == "pending"  # its deadline passed, but nothing was read after it
    assert talks["coverage"]["read_hours_since_deadline"] == 0
    feeds = {f["name"]: f for f in report["feeds"]}
    assert feeds["PK"]["health"] == "ok" and feeds["PK"]["last_ok_at"]
    assert feeds["PK"]["healthy"] is True and feeds["Down"]["healthy"] is False
    assert feeds["Down"]["error_count"] == 1 and feeds["Down"]["last_ok_at"] is None
    assert "503" in feeds["Down"]["last_error"]
    daemon = report["daemon"]
    assert daemon["running"] is False and daemon["cycles"] == 1
    assert daemon["last_successful_poll_at"] and daemon["last_cycle_at"]
    assert report["coverage"]["feeds_due_last_cycle"] == 2
    assert report["coverage"]["feeds_read_last_cycle"] == 1
    assert report["coverage"]["new_articles_last_24h"] == 2
    smtp_problems = [p for p in report["deliveries"]["problems"] if p["channel"] == "smtp"]
    assert smtp_problems and smtp_problems[0]["state"] == "retrying"
    assert smtp_problems[0]["next_attempt_at"]
    # the text view says the same
    text = CliRunner().invoke(main, ["status", "--config", config]).stdout
    assert "Daemon: NOT running" in text
    assert "last cycle read 1 of 2 due feeds" in text and "2 new articles" in text
    assert "feeds read 0 h of the 12 h needed" in text
    assert "smtp:" in text and "retrying" in text


def test_heartbeat_running_then_stopped(
    tmp_path: Path, feed_server: FeedServer, open_monitor: Callable[..., pipeline.Monitor]
) -> None:
    feed_server.add("/f.xml", rss([QUIET_ITEM]))
    config = write_watchlist(tmp_path, {"F": feed_server.url("/f.xml")})
    start = datetime(2026, 6, 1, 12, tzinfo=UTC)
    m = open_monitor(config, FakeClock(start))
    assert collect(m)["daemon"]["cycles"] == 0
    m.tick_seconds = 60
    pipeline.run_cycle(m)
    m.clock.advance(30)  # type: ignore[attr-defined]
    beat = collect(m)["daemon"]
    assert beat["running"] is True and beat["pid"] and beat["host"]
    assert beat["next_cycle_at"] == (start + timedelta(seconds=60)).isoformat().replace(
        "+00:00", "Z"
    )
    m.clock.advance(3600)  # type: ignore[attr-defined]
    beat = collect(m)["daemon"]
    assert beat["running"] is False and beat["next_cycle_at"] is None


FRENCH_ITEM = {
    "guid": "fr-1",
    "link": "https://journal.example/2025/10/24/khost",
    "title": "Frappes pakistanaises dans la province de Khost",
    "description": (
        "Les forces pakistanaises ont bombardé la province de Khost dans la nuit, selon les "
        "autorités afghanes, qui dénoncent une violation du cessez-le-feu conclu à Doha."
    ),
}


def test_status_counts_articles_it_could_not_read(
    tmp_path: Path, feed_server: FeedServer, database_url: str
) -> None:
    """An article in a language the judge does not read is counted by `status`, by
    language, so a desk knows part of its news went unjudged (not silently `none`)."""
    feed_server.add("/f.xml", rss([BREACH_ITEM, QUIET_ITEM, FRENCH_ITEM]))
    config = str(
        write_watchlist(tmp_path, {"PK": feed_server.url("/f.xml")}, database_url=database_url)
    )
    assert CliRunner().invoke(main, ["run", "--once", "--config", config]).exit_code == 0
    report = json.loads(CliRunner().invoke(main, ["status", "--json", "--config", config]).stdout)
    assert report["coverage"]["new_articles_last_24h"] == 3
    assert report["coverage"]["not_judged_last_24h"] == {"fr": 1}
    text = CliRunner().invoke(main, ["status", "--config", config]).stdout
    assert "Not judged: 1 articles of the last 24 h" in text and "(fr 1)" in text
    # judged again (`monitor rejudge`), the mark stays on the same article only
    assert CliRunner().invoke(main, ["rejudge", "--config", config]).exit_code == 0
    again = json.loads(CliRunner().invoke(main, ["status", "--json", "--config", config]).stdout)
    assert again["coverage"]["not_judged_last_24h"] == {"fr": 1}


def test_status_says_nothing_unread_when_all_is_english(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.add("/f.xml", rss([BREACH_ITEM, QUIET_ITEM]))
    config = str(write_watchlist(tmp_path, {"PK": feed_server.url("/f.xml")}))
    assert CliRunner().invoke(main, ["run", "--once", "--config", config]).exit_code == 0
    report = json.loads(CliRunner().invoke(main, ["status", "--json", "--config", config]).stdout)
    assert report["coverage"]["not_judged_last_24h"] == {}
    assert "Not judged" not in CliRunner().invoke(main, ["status", "--config", config]).stdout
