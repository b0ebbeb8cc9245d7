"""A start killed part-way through the schema upgrade leaves nothing half made: the next start
upgrades the database to the newest revision (issue 10, "table commitments already exists"
after a SIGKILL during the first migration on SQLite).

The upgrade runs in a child process that SIGKILLs itself right after its Nth statement of
DDL (CREATE/ALTER/DROP TABLE or INDEX, in any migration), so the kill lands at a known point
inside the upgrade, not by chance."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from alembic import command
from monitor.db import alembic_config, make_engine, upgrade

ROOT = Path(__file__).resolve().parent.parent

# Counts the DDL statements the upgrade sends and kills its own process after the Nth.
KILLED_UPGRADE = """
import os, signal, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
from monitor.db import upgrade

url, after, start = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seen = 0

def _kill(conn, cursor, statement, parameters, context, executemany):
    global seen
    words = statement.lstrip().upper().split(None, 2)
    if words[:1] in (["CREATE"], ["ALTER"], ["DROP"]) and "SAVEPOINT" not in statement.upper():
        seen += 1
        if seen >= after:
            os.kill(os.getpid(), signal.SIGKILL)

if start != "none":
    from alembic import command
    from monitor.db import alembic_config
    command.upgrade(alembic_config(url), start)
event.listen(Engine, "after_cursor_execute", _kill)
upgrade(url)
print("upgrade finished before the kill", seen)
"""


def _killed_upgrade(url: str, after: int, start: str = "none") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", KILLED_UPGRADE, url, str(after), start],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _head_revision(url: str) -> str:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())
    finally:
        engine.dispose()


def _assert_schema_is_current(url: str) -> None:
    """Every table there, stamped at head, and no difference from the models (alembic check)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    assert _head_revision(url) == head
    command.check(alembic_config(url))  # raises when the tables differ from monitor.db
    engine = make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"commitments", "articles", "feeds", "alembic_version"} <= tables


@pytest.mark.parametrize("after", [1, 2, 5, 12])
def test_a_first_start_killed_mid_upgrade_leaves_a_database_the_next_start_upgrades(
    sqlite_url: str, after: int
) -> None:
    killed = _killed_upgrade(sqlite_url, after)
    assert killed.returncode == -signal.SIGKILL, (killed.returncode, killed.stdout, killed.stderr)
    upgrade(sqlite_url)  # the next start: raised "table commitments already exists" before
    _assert_schema_is_current(sqlite_url)


@pytest.mark.parametrize("after", [1, 3])
def test_a_start_killed_mid_upgrade_of_an_older_schema_keeps_it_upgradable(
    sqlite_url: str, after: int
) -> None:
    # The database is at 0002 with its tables; the kill lands in the later migrations
    # (0003 rebuilds tables in batch mode: copy, drop, rename).
    killed = _killed_upgrade(sqlite_url, after, start="0002")
    assert killed.returncode == -signal.SIGKILL, (killed.returncode, killed.stdout, killed.stderr)
    assert _head_revision(sqlite_url) == "0002"  # nothing of the killed upgrade was kept
    upgrade(sqlite_url)
    _assert_schema_is_current(sqlite_url)


def test_a_start_killed_mid_upgrade_on_postgresql_keeps_it_upgradable(
    database_url: str,
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the SQLite cases are above")
    killed = _killed_upgrade(database_url, 3)
    assert killed.returncode == -signal.SIGKILL, (killed.returncode, killed.stdout, killed.stderr)
    upgrade(database_url)
    _assert_schema_is_current(database_url)
