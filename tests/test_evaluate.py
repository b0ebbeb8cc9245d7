"""Scoring behind ``monitor eval``: corpus loading, predictions, arithmetic, report, JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.errors import InputError
from monitor.evaluate import (
    CorpusItem,
    Counts,
    Prediction,
    format_report,
    keyword_baseline,
    load_corpus,
    predict,
    prediction_json,
    score,
)
from monitor.explain import format_explanation
from monitor.judge import Matcher
from monitor.judge.data import DEFAULT_ENTITIES
from monitor.models import Commitment, Kind, Label

AT = datetime(2025, 11, 1, tzinfo=UTC)
LATER = datetime(2025, 11, 6, tzinfo=UTC)
TRUCE = Commitment(
    id="truce",
    title="Truce holds",
    statement="The truce will hold.",
    kind=Kind.CEASEFIRE,
    said_by="a minister",
    said_at=AT,
    source_url=None,
    parties=("pakistan", "afghanistan"),
    topics=("truce",),
    breach_signals=("clash*",),
    met_signals=("truce holds",),
    exclude=("Gaza",),
    effective_at=AT,
)
TALKS = Commitment(
    id="talks",
    title="Talks",
    statement="Talks will happen.",
    kind=Kind.TALKS,
    said_by="a minister",
    said_at=AT,
    source_url=None,
    parties=("pakistan", "afghanistan"),
    topics=("talks",),
    breach_signals=("collaps*",),
    met_signals=("mechanism",),
    effective_at=AT,
)


def _line(**kw: object) -> str:
    base: dict[str, object] = {
        "id": "a1",
        "title": "T",
        "text": "x",
        "url": "https://e.org/1",
        "source": "E",
        "published": "2025-11-05T10:00:00Z",
        "labels": {},
    }
    base.update(kw)
    return json.dumps(base)


def test_load_corpus_reads_items(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(
        _line(labels={"truce": "breach"})
        + "\n\n"
        + _line(id="a2", published="2025-11-06T12:00:00+05:00", labels={})
        + "\n",
        encoding="utf-8",
    )
    items = load_corpus(path)
    assert [i.id for i in items] == ["a1", "a2"]
    assert items[0].label("truce") is Label.BREACH
    assert items[0].label("talks") is Label.NONE
    assert items[0].published_at == datetime(2025, 11, 5, 10, tzinfo=UTC)
    assert items[1].published_at == datetime(2025, 11, 6, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    ("bad", "cause"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        (_line(id=""), "missing 'id'"),
        (_line(labels={"truce": "broken"}), "is not one of"),
        (_line(labels=["breach"]), "'labels' must be an object"),
        (_line(published="yesterday"), "bad 'published' time"),
        (_line(title="", text=""), "needs a 'title' or a 'text'"),
        (_line(text=5), "'text' must be a string"),
        (_line(), "duplicate id"),
    ],
)
def test_load_corpus_errors_name_the_line(tmp_path: Path, bad: str, cause: str) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(_line() + "\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_corpus(path)
    assert "line 2" in str(info.value)
    assert cause in str(info.value)


def test_load_corpus_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read corpus"):
        load_corpus(tmp_path / "nope.jsonl")


def _item(item_id: str, labels: dict[str, Label], title: str = "", text: str = "x") -> CorpusItem:
    return CorpusItem(item_id, title, text, None, None, LATER, labels)


def _pred(item_id: str, cid: str, label: Label) -> Prediction:
    return Prediction(item_id, cid, label, 0.9 if label in (Label.BREACH, Label.MET) else 0.0, None)


def test_score_arithmetic_per_commitment_and_micro() -> None:
    items = [
        _item("1", {"truce": Label.BREACH}),
        _item("2", {"truce": Label.BREACH, "talks": Label.MET}),
        _item("3", {"truce": Label.RELATED}),
        _item("4", {}),
        _item("5", {"talks": Label.BREACH}),
    ]
    preds = [
        _pred("1", "truce", Label.BREACH),  # tp
        _pred("2", "truce", Label.MET),  # fn breach, fp met
        _pred("3", "truce", Label.BREACH),  # fp (related is not breach)
        _pred("2", "talks", Label.MET),  # tp met
        _pred("5", "talks", Label.RELATED),  # fn breach
        _pred("4", "talks", Label.NONE),
    ]  # missing predictions mean none
    report = score(items, preds, ["truce", "talks"])
    truce, talks = report.per_commitment["truce"], report.per_commitment["talks"]
    assert truce[Label.BREACH] == Counts(tp=1, fp=1, fn=1)
    assert truce[Label.MET] == Counts(tp=0, fp=1, fn=0)
    assert talks[Label.BREACH] == Counts(tp=0, fp=0, fn=1)
    assert talks[Label.MET] == Counts(tp=1, fp=0, fn=0)
    overall = report.overall[Label.BREACH]
    assert overall == Counts(tp=1, fp=1, fn=2)
    assert overall.precision == pytest.approx(0.5)
    assert overall.recall == pytest.approx(1 / 3)
    assert overall.f1 == pytest.approx(0.4)
    assert report.items == 5


def test_counts_with_nothing_are_zero() -> None:
    assert (Counts().precision, Counts().recall, Counts().f1) == (0.0, 0.0, 0.0)


def test_predict_and_baseline_on_a_tiny_corpus() -> None:
    items = [
        _item(
            "b",
            {"truce": Label.BREACH},
            "Afghan and Pakistani troops clash",
            "Afghan and Pakistani troops clashed at Chaman on Monday.",
        ),
        _item(
            "n",
            {"truce": Label.RELATED},
            "No clashes",
            "There were no clashes between Pakistan and Afghanistan, and the truce "
            "holds, officials said.",
        ),
        _item("g", {}, "Gaza", "Israel and Hamas clash as the Gaza truce frays."),
    ]
    commitments = [TRUCE, TALKS]
    matcher = Matcher(commitments, DEFAULT_ENTITIES)
    mine = predict(matcher, items)
    assert len(mine) == len(items) * len(commitments)
    got = {(p.id, p.commitment): p.label for p in mine}
    assert got[("b", "truce")] is Label.BREACH
    assert got[("n", "truce")] is Label.MET
    assert got[("g", "truce")] is Label.NONE
    base = keyword_baseline(commitments, DEFAULT_ENTITIES, items)
    got_base = {(p.id, p.commitment): p.label for p in base}
    assert got_base[("n", "truce")] is Label.BREACH  # the baseline has no negation guard
    assert got_base[("g", "truce")] is Label.BREACH  # nor other-conflict guard
    assert got_base[("b", "talks")] is Label.NONE
    ids = [c.id for c in commitments]
    ours, theirs = score(items, mine, ids), score(items, base, ids)
    assert ours.overall[Label.BREACH].precision > theirs.overall[Label.BREACH].precision
    table = format_report(ours, theirs)
    assert "keyword baseline" in table and "overall (micro)" in table
    assert "truce" in table and "talks" in table
    assert "1.00" in table


def test_prediction_json_contract() -> None:
    p = Prediction("a1", "truce", Label.BREACH, 0.87654321, "Troops clashed.")
    assert prediction_json(p) == {
        "id": "a1",
        "commitment": "truce",
        "label": "breach",
        "score": 0.8765,
        "evidence": "Troops clashed.",
    }
    none = prediction_json(Prediction("a2", "truce", Label.NONE, 0.0, None))
    assert none["evidence"] is None and none["label"] == "none"
    json.dumps(none)


def test_format_explanation_shows_counted_and_near_misses() -> None:
    matcher = Matcher([TRUCE], DEFAULT_ENTITIES)
    verdicts = matcher.judge(
        "Troops clash on the border",
        "Afghan and Pakistani troops clashed at Chaman. Kabul denied that its troops clashed "
        "with Pakistani forces.",
        datetime(2025, 11, 5, tzinfo=UTC),
    )
    text = format_explanation(verdicts, {"truce": TRUCE})
    assert text.startswith("truce (Truce holds): breach, score")
    assert "counted as breach" in text
    assert "near miss for breach" in text
    assert "denied" in text
    empty = format_explanation(matcher.judge("Rain", "Rain in Lahore.", AT), {"truce": TRUCE})
    assert "nothing in the article is about it" in empty
