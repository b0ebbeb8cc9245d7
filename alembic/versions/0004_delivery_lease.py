"""delivery lease with a fencing token, refused recipients, grouped alerts, install id

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

import monitor.db
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meta")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("lease_expires_at", monitor.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("refused", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("group_key", sa.String(length=300), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_group_key"), ["group_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_group_key"))
        batch_op.drop_column("group_key")
        batch_op.drop_column("refused")
        batch_op.drop_column("lease_expires_at")
        batch_op.drop_column("claim_token")
    op.drop_table("meta")
