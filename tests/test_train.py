"""Measured weights: ``monitor train`` fits a logistic regression over the engine's features."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from monitor.cli import main
from monitor.judge.weights import FEATURES, features, fit, from_json
from monitor.models import Label, SentenceFinding, Verdict

CORPUS = Path(__file__).resolve().parent / "corpus" / "dev3.jsonl"
WATCHLIST = Path(__file__).resolve().parent.parent / "config" / "watchlist.yaml"


def _v(label: Label, score: float, counted: bool) -> Verdict:
    f = SentenceFinding("s", label, score, ("sig",), counted)
    shown = label if counted else Label.RELATED
    return Verdict("c", shown, score, "s", ("sig",), (f,))


def test_features_describe_the_findings() -> None:
    x = features(_v(Label.BREACH, 0.9, True))
    assert len(x) == len(FEATURES)
    named = dict(zip(FEATURES, x, strict=True))
    assert named["breach_counted"] == 1.0 and named["breach_best"] == 0.9
    assert named["met_counted"] == 0.0


def test_fitted_weights_learn_which_evidence_is_right() -> None:
    # Counted breach sentences scoring 0.9 are right; those scoring 0.55 are wrong.
    verdicts = [_v(Label.BREACH, 0.9, True)] * 30 + [_v(Label.BREACH, 0.55, True)] * 30
    truths = [Label.BREACH] * 30 + [Label.RELATED] * 30
    w = fit(verdicts, truths)
    assert w.apply(_v(Label.BREACH, 0.9, True)).label is Label.BREACH
    assert w.apply(_v(Label.BREACH, 0.55, True)).label is Label.RELATED
    again = from_json(json.loads(json.dumps(w.to_json())))
    assert again.apply(_v(Label.BREACH, 0.55, True)).label is Label.RELATED


def test_train_command_writes_weights(tmp_path: Path) -> None:
    out = tmp_path / "weights.json"
    result = CliRunner().invoke(
        main, ["train", str(CORPUS), "--config", str(WATCHLIST), "--weights-out", str(out)]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["features"] == list(FEATURES)
    assert len(doc["breach"]) == len(FEATURES)
