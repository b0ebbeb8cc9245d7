"""Measured weights: a logistic regression over the engine's evidence decides the label.

The engine's findings for one article x commitment become a few features (the best counted
and uncounted score per label, how many sentences counted, whether they were about the
commitment only through context); two logistic regressions (breach, met) fitted on
labelled corpora by ``monitor train`` turn them into probabilities.  The weights ship as
``monitor/data/weights.json``.  Pure; fitting is plain gradient descent (numpy).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any, Protocol

from monitor.models import Commitment, Label, Verdict


class Bound(Protocol):
    """Weights bound to one watchlist's commitments: they relabel the engine's verdicts."""

    def apply(
        self, verdicts: Sequence[Verdict], sentences: Sequence[Any], title: bool
    ) -> list[Verdict]: ...


class Judging(Protocol):
    """What ``Matcher(weights=...)`` takes: these weights or a ``learned.Model``."""

    def bind(self, commitments: Sequence[Commitment]) -> Bound: ...


FEATURES = (
    "bias",
    "breach_counted",
    "breach_best",
    "breach_near",
    "breach_sentences",
    "breach_context",
    "met_counted",
    "met_best",
    "met_near",
    "met_sentences",
    "met_context",
    "related",
)
_CONTEXT = "about it only through the article's context"


def features(v: Verdict) -> list[float]:
    """The feature vector of one verdict (see ``FEATURES``)."""
    out = [1.0]
    for label in (Label.BREACH, Label.MET):
        mine = [f for f in v.findings if f.label is label]
        counted = [f.score for f in mine if f.counted]
        near = [f.score for f in mine if not f.counted]
        out += [
            1.0 if counted else 0.0,
            max(counted, default=0.0),
            max(near, default=0.0),
            min(len(counted), 3) / 3,
            1.0 if mine and all(_CONTEXT in f.reasons for f in mine if f.counted) else 0.0,
        ]
    out.append(1.0 if v.label is Label.RELATED else 0.0)
    return out


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class Weights:
    breach: tuple[float, ...]
    met: tuple[float, ...]
    threshold: float = 0.5

    def probabilities(self, x: Sequence[float]) -> tuple[float, float]:
        return (
            _sigmoid(sum(w * f for w, f in zip(self.breach, x, strict=True))),
            _sigmoid(sum(w * f for w, f in zip(self.met, x, strict=True))),
        )

    def apply(self, v: Verdict) -> Verdict:
        """The verdict with the label the weights choose (the engine's score and quote kept;
        a label the engine did not choose takes its best sentence for that label)."""
        if v.language is not None and not v.findings:
            return v
        pb, pm = self.probabilities(features(v))
        best = max(((pb, Label.BREACH), (pm, Label.MET)))
        if best[0] < self.threshold:
            if v.label in (Label.BREACH, Label.MET):
                return replace(v, label=Label.RELATED, score=min(v.score, 0.49))
            return v
        label = best[1]
        if label is v.label:
            return v
        found = [f for f in v.findings if f.label is label]
        if not found:
            return v
        f = max(found, key=lambda f: f.score)
        return replace(v, label=label, score=max(f.score, 0.5), quote=f.sentence, signals=f.signals)

    def bind(self, commitments: Sequence[Commitment]) -> Bound:
        return _BoundWeights(self)

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "breach": [round(w, 5) for w in self.breach],
            "met": [round(w, 5) for w in self.met],
            "threshold": self.threshold,
        }


@dataclass(frozen=True)
class _BoundWeights:
    weights: Weights

    def apply(
        self, verdicts: Sequence[Verdict], sentences: Sequence[Any], title: bool
    ) -> list[Verdict]:
        return [self.weights.apply(v) for v in verdicts]


def from_json(doc: dict[str, object]) -> Weights:
    if doc.get("features") != list(FEATURES):
        raise ValueError("weights were fitted on other features; run `monitor train` again")
    b, m = doc["breach"], doc["met"]
    assert isinstance(b, list) and isinstance(m, list)
    return Weights(tuple(map(float, b)), tuple(map(float, m)), float(str(doc["threshold"])))


def fit_one(xs: Sequence[Sequence[float]], ys: Sequence[int], *, l2: float = 1e-4) -> list[float]:
    """Logistic regression by batch gradient descent (features are all in 0..1)."""
    import numpy as np

    x = np.asarray(xs, dtype=float)
    y = np.asarray(ys, dtype=float)
    w = np.zeros(x.shape[1])
    reg = np.full(x.shape[1], l2)
    reg[0] = 0.0
    rate = 4.0
    for _ in range(1500):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30.0, 30.0)))
        w -= rate * ((x.T @ (p - y)) / len(y) + reg * w)
    return [float(v) for v in w]


def fit(verdicts: Sequence[Verdict], truths: Sequence[Label]) -> Weights:
    """Weights fitted on verdicts and the labels people gave them."""
    xs = [features(v) for v in verdicts]
    breach = fit_one(xs, [int(t is Label.BREACH) for t in truths])
    met = fit_one(xs, [int(t is Label.MET) for t in truths])
    return Weights(tuple(breach), tuple(met))


def shipped() -> Judging | None:
    """The learned model in ``monitor/data/model.json`` if shipped, else the weights in
    ``monitor/data/weights.json`` if shipped."""
    model = resources.files("monitor") / "data" / "model.json"
    if model.is_file():
        from monitor.judge import learned

        return learned.load(str(model))
    path = resources.files("monitor") / "data" / "weights.json"
    if not path.is_file():
        return None
    return from_json(json.loads(path.read_text(encoding="utf-8")))
