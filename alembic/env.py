"""Alembic environment: runs migrations for monitor's schema (monitor.db.Base)."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Connection, Engine, event

from alembic import context
from monitor.db import Base, make_engine

config = context.config
url = os.environ.get("MONITOR_DATABASE_URL") if config.config_file_name else None
url = url or config.get_main_option("sqlalchemy.url")
assert url, "no database URL"


def _sqlite_one_transaction(engine: Engine) -> None:
    """Make the whole SQLite upgrade one transaction, so a process killed part-way leaves the
    database as it was before (no tables without their ``alembic_version`` row).

    The sqlite3 driver, left to itself, commits before DDL and begins only before DML, so
    each CREATE TABLE would be committed on its own.  As SQLAlchemy documents for pysqlite
    ("Serializable isolation / Savepoints / Transactional DDL"): the driver's own
    transaction handling is turned off (``isolation_level = None``) and SQLAlchemy emits
    the ``BEGIN`` itself.

    Batch mode rebuilds a table (copy, drop, rename).  With foreign keys on, the drop would
    cascade: every key and piece of evidence of the articles deleted, every article's feed
    set to NULL.  So they are off for this connection (the pragma only works outside a
    transaction, hence here, before the ``BEGIN``), and checked before the commit."""

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def run_migrations_online() -> None:
    engine = make_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        _sqlite_one_transaction(engine)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=sqlite,
                compare_type=True,
                # SQLite's DDL is transactional once the driver no longer commits before it:
                # all the migrations and the version row in one transaction.
                transactional_ddl=True,
                transaction_per_migration=False,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:  # rolls the whole upgrade back
                        raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
    finally:
        engine.dispose()


if context.is_offline_mode():
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
