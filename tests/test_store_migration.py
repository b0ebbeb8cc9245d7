"""Migration 0003 keeps every row: on SQLite its batch mode rebuilds the articles and feeds
tables, which with foreign keys on would have cascaded into keys and evidence."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import MetaData, func, insert, select

from alembic import command
from monitor.db import (
    ArticleKeyRow,
    ArticleRow,
    CommitmentRow,
    EvidenceRow,
    FeedRow,
    alembic_config,
    make_engine,
)

NOW = datetime(2025, 10, 28, 9, 0, tzinfo=UTC)


def test_upgrade_from_0002_keeps_articles_keys_evidence_and_feeds(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "0002")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        # the tables as revision 0002 made them (later revisions add columns the models know)
        old = MetaData()
        old.reflect(conn)
        conn.execute(
            insert(old.tables["feeds"]),
            [
                {
                    "id": 1,
                    "name": "A",
                    "url": "http://a.example/feed",
                    "interval_seconds": 900,
                    "enabled": True,
                    "error_count": 0,
                    "gone": False,
                    "articles_seen": 1,
                    "health": "ok",
                    "created_at": NOW,
                }
            ],
        )
        conn.execute(
            insert(old.tables["commitments"]),
            [
                {
                    "id": "c",
                    "title": "t",
                    "kind": "ceasefire",
                    "status": "pending",
                    "active": True,
                    "synced_at": NOW,
                }
            ],
        )
        conn.execute(
            insert(old.tables["articles"]),
            [
                {
                    "id": 1,
                    "feed_id": 1,
                    "url": "https://news.example/1",
                    "title": "t",
                    "text": "b",
                    "source": "news.example",
                    "fetched_at": NOW,
                    "fingerprint": 0,
                }
            ],
        )
        conn.execute(insert(old.tables["article_keys"]), [{"key": "url:1", "article_id": 1}])
        conn.execute(
            insert(old.tables["evidence"]),
            [
                {
                    "article_id": 1,
                    "commitment_id": "c",
                    "label": "breach",
                    "score": 0.5,
                    "quote": "q",
                    "signals": [],
                    "created_at": NOW,
                }
            ],
        )
    engine.dispose()
    command.upgrade(alembic_config(database_url), "head")
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            counts = {
                row.__tablename__: conn.scalar(select(func.count()).select_from(row))
                for row in (FeedRow, ArticleRow, ArticleKeyRow, EvidenceRow, CommitmentRow)
            }
            feed_of_article = conn.scalar(select(ArticleRow.feed_id))
    finally:
        engine.dispose()
    assert counts == {
        "feeds": 1,
        "articles": 1,
        "article_keys": 1,
        "evidence": 1,
        "commitments": 1,
    }
    assert feed_of_article == 1
