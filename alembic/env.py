"""Alembic environment: runs migrations for monitor's schema (monitor.db.Base)."""

from __future__ import annotations

import os

from alembic import context
from monitor.db import Base, make_engine

config = context.config
url = os.environ.get("MONITOR_DATABASE_URL") if config.config_file_name else None
url = url or config.get_main_option("sqlalchemy.url")
assert url, "no database URL"


def run_migrations_online() -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table (copy, drop, rename).  With foreign keys on, the
            # drop would cascade: every key and piece of evidence of the articles deleted,
            # every article's feed set to NULL.  Off for the migration (the pragma only
            # works outside a transaction), checked after it.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
            if broken:
                raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
