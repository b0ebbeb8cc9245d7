"""The README stays true: its commands, its watchlist reference, its CI hook."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from monitor.cli import main
from monitor.config import parse_config

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def indented_commands() -> list[str]:
    return [line.strip() for line in README.splitlines() if line.startswith("    python3 -m venv")]


def test_two_commands_and_ci_runs_the_readme_test_command() -> None:
    run, test = indented_commands()
    assert run.endswith(".venv/bin/monitor run")
    assert test.endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()


def test_watchlist_reference_is_a_valid_watchlist() -> None:
    [block] = re.findall(r"```yaml\n(.*?)```", README, flags=re.S)
    config = parse_config(
        block,
        path="README.md",
        env={
            "MONITOR_SMTP_USER": "u",
            "MONITOR_SMTP_PASSWORD": "p",
            "MONITOR_WEBHOOK_URL": "https://hooks.example/T0/B0/x",
            "MONITOR_WEB_TOKEN": "t0ken",
            "MONITOR_APPRISE_URL": "json://hooks.example/apprise",
        },
    )
    assert config.commitments[0].id == "ceasefire"
    assert "iran" in config.entities


def test_every_command_is_documented() -> None:
    assert set(main.commands) == {
        "run",
        "check",
        "status",
        "explain",
        "eval",
        "digest",
        "demo",
        "bench",
        "review",  # people in the loop (monitor/oversight.py) and the page (monitor/web.py)
        "rejudge",
        "ack",
        "silence",
        "serve",
        "init",
        "feeds",
        "replay",
        "train",
    }
    for name in main.commands:
        assert f"`monitor {name}" in README, name
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in main.commands:
        assert name in result.output


def test_service_unit_runs_the_daemon() -> None:
    unit = (ROOT / "config" / "monitor.service").read_text(encoding="utf-8")
    assert "ExecStart=/opt/monitor/.venv/bin/monitor run" in unit
    assert "KillSignal=SIGTERM" in unit


def test_feeds_subcommands_and_coverage_rule_are_documented() -> None:
    from monitor.cli import feeds

    for name in feeds.commands:
        assert f"`monitor feeds {name}" in README, name
    assert "No verdict without coverage" in README and "overdue_grace_hours" in README
