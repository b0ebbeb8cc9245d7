"""`monitor bench --scale N` fills a database and prints its measurements (issue 11)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import create_engine, text

from monitor.cli import main
from tests.helpers import DEFAULT_WATCHLIST, write_watchlist


def test_bench_scale_fills_and_measures(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["bench", "--scale", "600", "--config", str(DEFAULT_WATCHLIST)]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "database: sqlite, 600 articles over 200 feeds, 200 commitments" in out
    assert re.search(r"cycle with 100 new articles\s+wall\s+\d+\.\d\d s", out)
    assert re.search(r"re-poll of 200 unchanged feeds .*\(target < 1 s cpu; 0 new\)", out)
    assert re.search(r"status \(upgrade, sync, queries\)\s+wall\s+\d+\.\d\d s", out)
    assert re.search(r"status page: '/' wall\s+\d+\.\d\d s, a commitment's page wall\s+\d+", out)
    assert re.search(r"peak RSS of the measuring process\s+\d+\.\d MB", out)


def test_bench_scale_refuses_a_database_in_use(tmp_path: Path) -> None:
    used = tmp_path / "used.db"
    engine = create_engine(f"sqlite:///{used}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE articles (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    config = write_watchlist(tmp_path, {})
    result = CliRunner().invoke(
        main,
        ["bench", "--scale", "600", "--database-url", f"sqlite:///{used}", "--config", str(config)],
    )
    assert result.exit_code == 2
    assert "must name an empty database" in result.output
    assert "Traceback" not in result.output
