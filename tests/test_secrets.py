"""Secrets come from the environment and never show: not in logs, errors, alerts or status."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import main
from tests.feedserver import FeedServer
from tests.helpers import BREACH_ITEM, rss, write_watchlist
from tests.smtpserver import SmtpServer

SECRET = "pa55-Zq9-never-shown"


def test_smtp_password_never_appears(
    tmp_path: Path,
    feed_server: FeedServer,
    smtp_server: SmtpServer,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    smtp_server.require_auth("monitor", "the-right-one")  # ours is refused: an error to show
    feed_server.add("/f.xml", rss([BREACH_ITEM]))
    config = str(
        write_watchlist(
            tmp_path,
            {"F": feed_server.url("/f.xml")},
            smtp={
                "host": smtp_server.host,
                "port": smtp_server.port,
                "security": "none",
                "username": "monitor",
                "password": "${TEST_SMTP_PASSWORD}",
                "sender": "monitor@example.org",
                "recipients": ["desk@example.org"],
            },
        )
    )
    monkeypatch.setenv("TEST_SMTP_PASSWORD", SECRET)
    runner = CliRunner()
    outputs = []
    with caplog.at_level(logging.DEBUG):
        for args in (["check"], ["run", "--once"], ["status"], ["digest", "--now"]):
            result = runner.invoke(main, [*args, "--config", config])
            assert result.exit_code == 0, result.output
            outputs.append(result.output)
    assert any("delivery" in r.message for r in caplog.records)  # the refusal was logged
    seen = "\n".join(outputs) + caplog.text
    for f in (tmp_path / "outbox").glob("*.eml"):
        seen += f.read_text(encoding="utf-8", errors="replace")
    for db_file in tmp_path.glob("monitor.db*"):  # the database and its write-ahead log
        seen += db_file.read_bytes().decode("utf-8", "replace")
    assert SECRET not in seen
    assert smtp_server.messages == []


def test_database_password_is_redacted_in_check(tmp_path: Path) -> None:
    config = str(
        write_watchlist(
            tmp_path,
            {"F": "http://127.0.0.1:9/f.xml"},
            database_url=f"postgresql+psycopg://u:{SECRET}@db.invalid/m",
        )
    )
    result = CliRunner().invoke(main, ["check", "--config", config])
    assert result.exit_code == 0
    assert SECRET not in result.output and "***" in result.output


FEED_TOKEN = "tok-7Hq2-feed-secret"


def test_a_token_in_a_feed_url_never_appears(
    tmp_path: Path,
    feed_server: FeedServer,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    feed_server.add("/f.xml", b"server error", status=500)
    config = str(
        write_watchlist(
            tmp_path,
            {"F": feed_server.url("/f.xml") + "?token=${FEED_TOKEN}"},
            polling={"allow_private_addresses": True, "failures_before_alert": 1},
        )
    )
    monkeypatch.setenv("FEED_TOKEN", FEED_TOKEN)
    runner = CliRunner()
    outputs = []
    with caplog.at_level(logging.DEBUG):
        for args in (["run", "--once"], ["status"], ["status", "--json"], ["digest", "--now"]):
            result = runner.invoke(main, [*args, "--config", config])
            outputs.append(result.output)
    # The real URL was fetched, with the token...
    [request] = feed_server.requests_for(f"/f.xml?token={FEED_TOKEN}")
    assert request.method == "GET"
    # ...and the failure was reported, health mail included, without it.
    seen = "\n".join(outputs) + caplog.text
    assert "HTTP 500" in seen
    mails = list((tmp_path / "outbox").glob("*.eml"))
    assert mails, "no health alert or digest was written"
    for f in mails:
        seen += f.read_text(encoding="utf-8", errors="replace")
    for db_file in tmp_path.glob("monitor.db*"):
        seen += db_file.read_bytes().decode("utf-8", "replace")
    assert FEED_TOKEN not in seen
