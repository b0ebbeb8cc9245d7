"""The measurement behind the `duplicate_distance` default: SimHash bits changed by single
syndication edits vs the distance between unrelated articles (figures printed at the end
of the run)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from monitor.config import JudgingConfig
from monitor.dedupcheck import EDITS, Story, credit_changed, measure, trimmed

CORPUS = Path(__file__).parent / "corpus" / "dev.jsonl"


def _stories() -> list[Story]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [Story(x.get("title") or "", x.get("text") or "") for x in map(json.loads, lines)]


def test_edits_change_what_they_say() -> None:
    s = Story("Ceasefire holds at Chaman", "CHAMAN (Meridian) — Calm.\n\nTrade resumed.\n\nEnd.")
    assert "(Reuters)" in credit_changed(s).text and "Meridian" not in credit_changed(s).text
    assert trimmed(s).text == "CHAMAN (Meridian) — Calm.\n\nTrade resumed."


def test_default_duplicate_distance_is_the_measured_one(figures: Callable[[str], None]) -> None:
    m = measure(_stories())
    for line in m.lines():
        figures(line)
    default = JudgingConfig().duplicate_distance
    figures(f"duplicate_distance default: {default} bits")
    # the default keeps every unrelated pair of the corpus apart, with a margin of 4 bits
    assert m.unrelated_within(default + 3) == 0
    # and it catches most single edits, far more than the old default of 6
    for edit in EDITS:
        assert m.catch_rate(edit, default) >= 0.75, edit
        assert m.catch_rate(edit, default) > m.catch_rate(edit, 6), edit
