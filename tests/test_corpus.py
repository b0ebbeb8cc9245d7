"""The team's labelled corpus: well-formed, big enough, and split by event."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from monitor.assess import hamming64
from monitor.evaluate import load_corpus
from monitor.fingerprint import simhash64
from monitor.models import Label

CORPUS = Path(__file__).resolve().parent / "corpus"
IDS = ["ceasefire", "istanbul-talks", "no-ttp-talks", "no-sanctuary", "inform-mediators"]


def splits() -> dict[str, list]:  # type: ignore[type-arg]
    """The dev split (every dev*.jsonl batch) and the test split."""
    dev = sorted(CORPUS.glob("dev*.jsonl"))
    test = CORPUS / "test.jsonl"
    if not dev or not test.exists():
        pytest.skip("the corpus splits are not both present")
    return {"dev": [i for p in dev for i in load_corpus(p)], "test": load_corpus(test)}


def test_corpus_size_and_coverage() -> None:
    data = splits()
    assert sum(len(items) for items in data.values()) >= 300
    for name, items in data.items():
        assert len({i.id for i in items}) == len(items)
        counts = Counter((cid, label) for i in items for cid, label in i.labels.items())
        for cid in IDS:
            assert counts[(cid, Label.MET)] >= 5, (name, cid)
        for cid in ("ceasefire", "istanbul-talks", "no-sanctuary"):
            assert counts[(cid, Label.BREACH)] >= 5, (name, cid)
        negatives = [
            i for i in items if not any(v in (Label.BREACH, Label.MET) for v in i.labels.values())
        ]
        assert len(negatives) >= len(items) // 4, name


def test_no_story_sits_on_both_sides_of_the_split() -> None:
    data = splits()
    dev = [(i.id, simhash64(f"{i.title}\n{i.text}")) for i in data["dev"]]
    test = [(i.id, simhash64(f"{i.title}\n{i.text}")) for i in data["test"]]
    close = [(a, b) for a, fa in dev for b, fb in test if hamming64(fa, fb) <= 3]
    assert close == []
