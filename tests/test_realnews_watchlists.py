"""The real-news sets' watchlists (``tests/corpus/realnews``) stay valid: each parses, its
kinds resolve and the judge builds from it, so their labels can still be scored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.config import parse_config
from monitor.judge import Matcher

REALNEWS = Path(__file__).parent / "corpus" / "realnews"
WATCHLISTS = sorted(REALNEWS.glob("*.watchlist.yaml"))


@pytest.mark.parametrize("path", WATCHLISTS, ids=lambda p: p.name.split(".")[0])
def test_a_real_news_watchlist_builds_and_its_labels_name_its_commitments(path: Path) -> None:
    cfg = parse_config(path.read_text(encoding="utf-8"), env={})
    Matcher(cfg.commitments, cfg.entities)
    ids = {c.id for c in cfg.commitments}
    labels = path.with_name(path.name.replace(".watchlist.yaml", ".labels.jsonl"))
    for line in labels.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        assert item["split"] in {"dev", "test"}, item["id"]
        assert set(item["labels"]) <= ids, item["id"]
        assert set(item["labels"].values()) <= {"breach", "met", "related"}, item["id"]


def test_there_are_real_news_watchlists() -> None:
    assert len(WATCHLISTS) >= 16
