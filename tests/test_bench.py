"""`monitor bench` measures; here only that it runs and its parts are sound (no timing)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from monitor.bench import generated_commitments, sample_articles
from monitor.cli import main
from monitor.config import load_config

DEFAULT = str(Path(__file__).resolve().parent.parent / "config" / "watchlist.yaml")


def test_generated_commitments_are_distinct() -> None:
    base = load_config(DEFAULT, env={}).commitments
    many = generated_commitments(base, 200)
    assert len({c.id for c in many}) == 200
    assert len({c.breach_signals[-1] for c in many}) == 200


def test_bench_command_prints_rates() -> None:
    assert len(sample_articles()) >= 40
    result = CliRunner().invoke(
        main, ["bench", "--articles", "40", "--generated", "20", "--config", DEFAULT]
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("articles/s") == 2


def test_bench_poll_prints_the_comparison_from_one_run() -> None:
    result = CliRunner().invoke(
        main, ["bench", "--poll", "8", "--latency", "0", "--config", DEFAULT]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for label in (
        "sequential feedparser.parse(url)",
        "parse floor (feedparser, 1 core)",
        "first cycle: poll",
        "steady cycle: poll",
    ):
        assert any(line.startswith(label) for line in lines), (label, result.output)
    first = next(line for line in lines if line.startswith("first cycle: poll"))
    steady = next(line for line in lines if line.startswith("steady cycle: poll"))
    # Every copy's articles are new the first time; every feed answers 304 the second.
    assert "8 polled" in first and " 0 new" not in first and "0 errors" in first, first
    assert "8 polled, 0 new, 8 not modified, 0 errors" in steady, steady
    # wall and CPU both as multiples of the floor's: the CPU ratio is the steadier one
    assert any(line.split()[-2:] == ["wall/floor", "CPU/floor"] for line in lines), lines
    assert first.count("x ") >= 2, first
