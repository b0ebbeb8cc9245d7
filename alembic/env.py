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
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
