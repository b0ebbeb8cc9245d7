"""The Apprise channel against a real local endpoint (Apprise's ``json://`` service posting
to a local HTTP server), and the cap on retry age that every channel obeys."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from monitor import pipeline
from monitor.clock import FakeClock
from monitor.config import load_config
from monitor.db import make_engine, upgrade
from monitor.deliver import AppriseChannel
from monitor.errors import DeliveryError
from monitor.store import Store
from tests.feedserver import FeedServer, closed_port_url
from tests.helpers import BREACH_ITEM, rss, write_watchlist
from tests.test_webhook import MAIL, Hook


def monitor_with(
    tmp_path: Path, feeds: FeedServer, clock: FakeClock, **alerts: object
) -> pipeline.Monitor:
    feeds.add("/f.xml", rss([BREACH_ITEM]))
    path = write_watchlist(tmp_path, {"F": feeds.url("/f.xml")}, outbox=False)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["alerts"].update(alerts)
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    config = load_config(str(path), env={})
    upgrade(config.database_url)
    m = pipeline.Monitor(config, Store(make_engine(config.database_url)), clock)
    pipeline.sync(m)
    return m


def apprise_url(hook: Hook) -> str:
    return hook.url.replace("http://", "json://")


def test_apprise_channel_posts_title_and_body() -> None:
    hook = Hook()
    try:
        AppriseChannel(apprise_url(hook), timeout=10).send(MAIL, key="k", message_id="<a@b>")
        [body] = hook.received
        doc = json.loads(body)
        assert doc["title"] == "[monitor] BREACHED: Ceasefire"
        assert "They clashed at Chaman." in doc["message"]
        assert "secret" not in repr(AppriseChannel(hook.url))
    finally:
        hook.close()


def test_apprise_failure_is_temporary_and_unusable_url_permanent() -> None:
    hook = Hook()
    hook.status = 500
    try:
        with pytest.raises(DeliveryError) as info:
            AppriseChannel(apprise_url(hook), timeout=10).send(MAIL, key="k", message_id="<a>")
        assert info.value.transient and len(hook.received) == 1
    finally:
        hook.close()
    with pytest.raises(DeliveryError) as info:
        AppriseChannel("nosuchservice://token@x", timeout=5).send(MAIL, key="k", message_id="<a>")
    assert not info.value.transient
    assert "token" not in str(info.value)


def test_alert_reaches_apprise_once_after_a_failure(
    tmp_path: Path, feed_server: FeedServer, clock: FakeClock
) -> None:
    hook = Hook()
    hook.status = 503
    m = monitor_with(tmp_path, feed_server, clock, apprise={"urls": [apprise_url(hook)]})
    try:
        assert set(m.channels) == {"apprise"}
        report = pipeline.run_cycle(m)
        assert report.delivery.retrying >= 1 and report.delivery.sent == 0
        tried = len(hook.received)
        hook.status = 200
        clock.advance(3600)
        assert pipeline.deliver_pending(m).sent == tried
        clock.advance(3600)
        assert pipeline.deliver_pending(m).sent == 0
        assert len(hook.received) == 2 * tried
        titles = {json.loads(b)["title"] for b in hook.received}
        assert any("ceasefire" in t.lower() for t in titles)
        assert all(o.sent_at is not None for o in m.store.outbox())
    finally:
        m.store.close()
        hook.close()


def test_messages_older_than_max_retry_hours_are_given_up_with_a_reason(
    tmp_path: Path, feed_server: FeedServer, clock: FakeClock
) -> None:
    down = closed_port_url("/services/T0/B0/hook-secret")
    m = monitor_with(
        tmp_path,
        feed_server,
        clock,
        webhook={"url": down, "timeout_seconds": 2},
        max_retry_hours=6,
    )
    try:
        report = pipeline.run_cycle(m)
        queued = report.delivery.retrying
        assert queued >= 1
        clock.advance(timedelta(hours=5).total_seconds())
        assert pipeline.deliver_pending(m).retrying == queued  # still within the cap
        clock.advance(timedelta(hours=2).total_seconds())
        assert pipeline.deliver_pending(m).failed == queued
        for row in m.store.outbox():
            assert row.failed_at is not None and row.sent_at is None
            assert row.last_error is not None
            assert "given up: not sent within 6 hours" in row.last_error
            assert "hook-secret" not in row.last_error
        assert m.store.outbox_counts()["failed"] == queued
        clock.advance(86400)
        assert pipeline.deliver_pending(m).failed == 0  # once
    finally:
        m.store.close()


def test_check_names_the_apprise_channel_without_its_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from monitor.cli import main

    path = write_watchlist(tmp_path, {"F": "https://news.example/feed.xml"})
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["alerts"]["apprise"] = {"urls": ["${TEST_APPRISE_URL}"]}
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("TEST_APPRISE_URL", "json://127.0.0.1:9/very-secret-path")
    result = CliRunner().invoke(main, ["check", "--config", str(path)])
    assert result.exit_code == 0, result.output
    assert "apprise (json://…)" in result.output
    assert "very-secret-path" not in result.output
    raw["alerts"]["apprise"] = {"urls": ["not a url"]}
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--config", str(path)])
    assert result.exit_code == 2
    assert "alerts.apprise.urls" in result.output
