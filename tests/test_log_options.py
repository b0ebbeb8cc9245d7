"""Logs people can ship: --log-format on the commands that log, no migration noise at
start, and a progress line that never runs into a log line."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor import logs
from monitor.cli import ProgressStream, main
from tests.feedserver import FeedServer
from tests.helpers import QUIET_ITEM, rss, write_watchlist


@pytest.fixture(autouse=True)
def _reset_logging() -> object:
    yield
    logs.configure("json")


def _run(tmp_path: Path, feed_server: FeedServer, fmt: str) -> list[str]:
    feed_server.add("/f.xml", rss([QUIET_ITEM]))
    feed_server.add("/down.xml", b"down", status=503, content_type="text/plain")
    config = write_watchlist(
        tmp_path, {"F": feed_server.url("/f.xml"), "D": feed_server.url("/down.xml")}
    )
    result = CliRunner().invoke(
        main, ["run", "--once", "--log-format", fmt, "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_json_logs_one_object_a_line_and_no_migration_noise(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    lines = _run(tmp_path, feed_server, "json")
    events = [json.loads(line) for line in lines]  # every line is one JSON object
    names = {e["event"] for e in events}
    assert "feed_failed" in names and "feed_polled" in names
    assert not any("alembic" in line or "upgrade" in line.lower() for line in lines)


def test_logfmt_quotes_values_with_spaces(tmp_path: Path, feed_server: FeedServer) -> None:
    lines = _run(tmp_path, feed_server, "logfmt")
    [failed] = [line for line in lines if "event=feed_failed" in line]
    assert failed.startswith("timestamp=") and "level=warning" in failed
    assert 'error="fetch failed: ' in failed  # a value with spaces stays one field


def test_unknown_log_format_is_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["run", "--once", "--log-format", "xml"])
    assert result.exit_code == 2 and "--log-format" in result.stderr


def test_a_log_line_clears_the_progress_line_first() -> None:
    buf = io.StringIO()
    stream = ProgressStream(lambda: buf)
    logs.configure("logfmt", stream=stream)  # type: ignore[arg-type]
    stream.show("polled 1/2 feeds")
    logging.getLogger("monitor").warning("feed_failed")
    stream.show("polled 2/2 feeds")
    stream.end()
    out = buf.getvalue()
    first, rest = out.split("polled 1/2 feeds", 1)
    assert first == "\r\x1b[K"
    # the log line starts on a cleared line, and ends before the next progress line
    assert rest.startswith("\r\x1b[Ktimestamp=")
    log_line, after = rest[len("\r\x1b[K") :].split("\n", 1)
    assert "event=feed_failed" in log_line
    assert after == "\r\x1b[Kpolled 2/2 feeds\n"
