"""Control characters from feeds never reach the terminal raw; suggested command lines
are shell-quoted."""

from __future__ import annotations

import io
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from monitor import logs
from monitor.cli import main
from monitor.termsafe import command_line, term_safe
from tests.feedserver import FeedServer
from tests.helpers import BREACH_ITEM, rss, write_watchlist

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")
HOSTILE = "\x1b]0;owned\x07\x1b[2J\r\u202eevil\u202c\x9b31m"


def test_term_safe_escapes_controls_and_bidi() -> None:
    out = term_safe(HOSTILE)
    assert not RAW.search(out) and "\n" not in out
    assert "\\x1b" in out and "\\x07" in out and "\\u202e" in out and "\\x0d" in out
    assert term_safe("a\nb\tc", multiline=True) == "a\nb\tc"
    assert term_safe("a\nb") == "a\\x0ab"
    assert term_safe("Dawn — Islamabad, «ok»") == "Dawn — Islamabad, «ok»"


@given(st.text())
def test_term_safe_output_never_holds_a_control(text: str) -> None:
    assert not RAW.search(term_safe(text, multiline=True))
    assert "\n" not in term_safe(text)


@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cf"]), min_size=1))
def test_command_line_quotes_every_argument(arg: str) -> None:
    line = command_line("explain", arg)
    assert shlex.split(line) == ["monitor", "explain", arg]


def test_a_quoted_link_runs_nothing_in_a_shell(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    link = f"https://x.example/a$(touch {marker})`touch {marker}`;touch {marker}"
    line = command_line("explain", link)
    subprocess.run(["sh", "-c", "true " + line.removeprefix("monitor ")], check=True)
    assert not marker.exists()


def test_explain_escapes_pasted_text(tmp_path: Path, feed_server: FeedServer) -> None:
    config = str(write_watchlist(tmp_path, {"PK": feed_server.url("/f.xml")}))
    text = f"Pakistani and Afghan forces exchanged fire at Chaman {HOSTILE} despite the ceasefire."
    result = CliRunner().invoke(main, ["explain", "--text", text, "--config", config])
    assert result.exit_code == 0, result.output
    assert "Chaman" in result.stdout
    assert not RAW.search(result.output)


def test_run_once_and_status_escape_feed_text(tmp_path: Path, feed_server: FeedServer) -> None:
    item = dict(BREACH_ITEM)
    item["description"] = item["description"].replace("officials said", f"officials {HOSTILE}")
    item["title"] = f"Clash at Chaman {HOSTILE}"
    feed_server.add("/f.xml", rss([item]))
    feed_server.add("/down.xml", b"", status=500)
    config = str(
        write_watchlist(
            tmp_path,
            {"PK": feed_server.url("/f.xml"), f"Down{HOSTILE}": feed_server.url("/down.xml")},
        )
    )
    for command in (["run", "--once"], ["status"]):
        result = CliRunner().invoke(main, [*command, "--config", config])
        assert result.exit_code == 0, result.output
        assert not RAW.search(result.output), (command, result.output)
    assert "Chaman" in result.stdout
    assert "Down\\x1b]0;owned\\x07" in result.stdout  # the name reached status, escaped


@pytest.mark.parametrize("fmt", ["console", "logfmt"])
def test_text_logs_escape_feed_text(fmt: logs.LogFormat) -> None:
    buf = io.StringIO()
    try:
        logs.configure(fmt, stream=buf)
        logs.get_logger().warning("feed_failed", feed=f"PK{HOSTILE}", error=f"HTTP 500{HOSTILE}")
    finally:
        logs.configure("json")
    line = buf.getvalue()
    assert "feed_failed" in line and line.count("\n") == 1
    assert not RAW.search(line)
