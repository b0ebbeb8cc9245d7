"""Shared fixtures: databases (SQLite files, and PostgreSQL when configured)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from monitor.clock import FakeClock

pytest_plugins = ["tests.feedserver", "tests.smtpserver"]

POSTGRES_URL = os.environ.get("MONITOR_TEST_POSTGRES_URL")
REQUIRE_POSTGRES = os.environ.get("MONITOR_REQUIRE_POSTGRES") == "1"


def _postgres_database() -> Iterator[str]:
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("MONITOR_REQUIRE_POSTGRES=1 but MONITOR_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL tests need MONITOR_TEST_POSTGRES_URL (bash .ci/run sets it)")
    name = f"monitor_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[str]:
    """A fresh, empty database: an SQLite file, and (same test again) a PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/monitor.db"
    else:
        yield from _postgres_database()


@pytest.fixture
def sqlite_url(tmp_path: object) -> str:
    return f"sqlite:///{tmp_path}/monitor.db"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2025, 10, 28, 9, 0, tzinfo=UTC))


_FIGURES: list[str] = []


@pytest.fixture
def figures() -> Callable[[str], None]:
    """Record a measured figure; all of them are printed at the end of the run."""
    return _FIGURES.append


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _FIGURES:
        terminalreporter.section("measured figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture
def open_monitor() -> Iterator[Callable[..., Any]]:
    """``open_monitor(config_file, clock)``: a synced ``pipeline.Monitor`` on the watchlist's
    database (upgraded); its connections close when the test ends."""
    from monitor import pipeline
    from monitor.config import load_config
    from monitor.db import make_engine, upgrade
    from monitor.store import Store

    stores: list[Store] = []

    def open_(config_file: Path, clock: FakeClock) -> pipeline.Monitor:
        config = load_config(str(config_file), env={})
        upgrade(config.database_url)
        store = Store(make_engine(config.database_url))
        stores.append(store)
        m = pipeline.Monitor(config, store, clock)
        pipeline.sync(m)
        return m

    yield open_
    for store in stores:
        store.close()
