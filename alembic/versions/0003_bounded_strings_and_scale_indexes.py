"""bounded strings and scale indexes

Links (articles.url, feeds.url) become TEXT, so a long link is kept whole on both
backends; indexes for retention, a feed's articles, the digest's period, a commitment's
latest evidence and its last alert.  On PostgreSQL widening VARCHAR to TEXT rewrites no
rows; on SQLite the batch mode copies the two tables once.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 23:26:03.808788
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.alter_column(
            "url", existing_type=sa.VARCHAR(length=2000), type_=sa.Text(), existing_nullable=True
        )
        batch_op.create_index("ix_articles_feed_fetched", ["feed_id", "fetched_at"], unique=False)
        batch_op.create_index("ix_articles_fetched_at", ["fetched_at"], unique=False)

    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index("ix_evidence_commitment_id", ["commitment_id", "id"], unique=False)
        batch_op.create_index("ix_evidence_created_at", ["created_at"], unique=False)

    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.alter_column(
            "url", existing_type=sa.VARCHAR(length=2000), type_=sa.Text(), existing_nullable=False
        )

    with op.batch_alter_table("status_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_status_events_commitment", ["commitment_id", "to_status"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("status_events", schema=None) as batch_op:
        batch_op.drop_index("ix_status_events_commitment")

    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.alter_column(
            "url", existing_type=sa.Text(), type_=sa.VARCHAR(length=2000), existing_nullable=False
        )

    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_evidence_created_at")
        batch_op.drop_index("ix_evidence_commitment_id")

    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index("ix_articles_fetched_at")
        batch_op.drop_index("ix_articles_feed_fetched")
        batch_op.alter_column(
            "url", existing_type=sa.Text(), type_=sa.VARCHAR(length=2000), existing_nullable=True
        )
