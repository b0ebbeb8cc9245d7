"""``monitor train``: fit the judge's learned second stage on labelled corpora, and measure
it leave-one-conflict-out.

Each corpus is judged with the watchlist beside it (``watchlist.yaml`` in its folder), else
the one given; a conflict (a *group*) is the set of corpora sharing a watchlist.  The engine
judges without weights; for every article x commitment where it found something, the
features of ``monitor.judge.learned`` are recorded.  Two things are fitted on them:

- the old measured weights (``monitor.judge.weights``, a dozen engine scores), kept for
  comparison;
- the learned model: a hashed multinomial logistic regression (numpy, L2, full-batch Adam),
  plus the margins by which it may overrule the engine.  The margins are chosen on
  out-of-group predictions: each training group is predicted by a model fitted on the other
  training groups, so nothing is chosen on the group being scored.

``leave_one_out`` holds out each group in turn and fits everything (vocabulary hashing is
fixed; weights and margins) on the rest.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.config import load_config
from monitor.evaluate import Counts, load_corpus
from monitor.judge import Matcher, learned
from monitor.judge.weights import Weights, fit
from monitor.models import Commitment, Label, Verdict

#: Margins tried for each label the model may choose over the engine's (inf: never).
MARGINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, math.inf)
L2 = 1e-3
STEPS = 300
SCORED = (Label.BREACH, Label.MET)


@dataclass(frozen=True)
class Sample:
    group: str  # the watchlist (one conflict)
    item: str
    verdict: Verdict
    truth: Label
    buckets: tuple[int, ...] = ()  # hashed learned features (empty: the engine found nothing)


@dataclass
class _Recorder:
    """A stand-in for weights that records each verdict's learned features, unchanged."""

    bits: int
    seen: list[tuple[int, ...]] = field(default_factory=list)

    def bind(self, commitments: Sequence[Commitment]) -> _Recorder.Bound:
        return _Recorder.Bound(self, learned.roles_for(commitments))

    @dataclass
    class Bound:
        rec: _Recorder
        roles: dict[str, learned.Roles]

        def apply(
            self, verdicts: Sequence[Verdict], sentences: Sequence[Any], title: bool
        ) -> list[Verdict]:
            reading = learned.Reading(sentences, title)
            for v in verdicts:
                r = self.roles[v.commitment_id]
                names = learned.feature_names(v, r, sentences, title, reading) if v.findings else ()
                self.rec.seen.append(tuple(learned.hashed(names, self.rec.bits)))
            return list(verdicts)


def _config_for(corpus: Path, default: str) -> str:
    beside = corpus.parent / "watchlist.yaml"
    return str(beside) if beside.is_file() else default


def collect(
    corpora: Sequence[str], default_config: str, bits: int = learned.DEFAULT_BITS
) -> list[Sample]:
    """Every article x commitment of the corpora, judged by the engine without weights."""
    samples: list[Sample] = []
    matchers: dict[str, tuple[Matcher, _Recorder]] = {}
    for path in corpora:
        cfg_path = _config_for(Path(path), default_config)
        if cfg_path not in matchers:
            cfg = load_config(cfg_path, env={})
            rec = _Recorder(bits)
            matchers[cfg_path] = (Matcher(cfg.commitments, cfg.entities, weights=rec), rec)
        matcher, rec = matchers[cfg_path]
        for item in load_corpus(path):
            rec.seen.clear()
            verdicts = matcher.judge(item.title, item.text, item.published_at)
            if len(rec.seen) != len(verdicts):  # not read (another language): no features
                rec.seen[:] = [()] * len(verdicts)
            for v, buckets in zip(verdicts, rec.seen, strict=True):
                truth = item.label(v.commitment_id)
                samples.append(Sample(cfg_path, item.id, v, truth, buckets))
    return samples


# -- fitting ----------------------------------------------------------------------------------


def fit_model(samples: Sequence[Sample], bits: int = learned.DEFAULT_BITS) -> learned.Model:
    """The multinomial regression fitted on the samples the engine found something in
    (margins all infinite: the caller chooses them)."""
    import numpy as np

    rows = [s for s in samples if s.buckets]
    groups = tuple(sorted({s.group for s in samples}))
    never = dict.fromkeys(learned.LABELS, math.inf)
    if not rows:
        return learned.Model(bits, {}, never, groups)
    lens = np.array([len(s.buckets) for s in rows])
    flat = np.fromiter((b for s in rows for b in s.buckets), dtype=np.int64, count=int(lens.sum()))
    cols, col_idx = np.unique(flat, return_inverse=True)
    row_idx = np.repeat(np.arange(len(rows)), lens)
    n, d, k = len(rows), len(cols), len(learned.LABELS)
    y = np.zeros((n, k))
    y[np.arange(n), [learned.LABELS.index(s.truth) for s in rows]] = 1.0
    w = np.zeros((d, k))
    m1, m2 = np.zeros_like(w), np.zeros_like(w)
    rate, b1, b2 = 0.05, 0.9, 0.999
    for step in range(1, STEPS + 1):
        z = np.stack([np.bincount(row_idx, w[col_idx, j], n) for j in range(k)], axis=1)
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        e = (p - y)[row_idx]
        g = np.stack([np.bincount(col_idx, e[:, j], d) for j in range(k)], axis=1) / n + L2 * w
        m1 = b1 * m1 + (1 - b1) * g
        m2 = b2 * m2 + (1 - b2) * g * g
        w -= rate * (m1 / (1 - b1**step)) / (np.sqrt(m2 / (1 - b2**step)) + 1e-8)
    keep = np.abs(w).max(axis=1) >= 1e-3
    weights = {
        int(c): tuple(float(x) for x in row) for c, row in zip(cols[keep], w[keep], strict=True)
    }
    return learned.Model(bits, weights, never, groups)


def _counts(
    samples: Sequence[Sample], label_of: Callable[[int, Sample], Label]
) -> dict[Label, Counts]:
    out = {label: Counts() for label in SCORED}
    for n, s in enumerate(samples):
        guess = label_of(n, s)
        for label in SCORED:
            t, g = s.truth is label, guess is label
            if t or g:
                out[label] = out[label] + Counts(int(t and g), int(g and not t), int(t and not g))
    return out


def _engine(n: int, s: Sample) -> Label:
    return s.verdict.label


def _decided(
    model: learned.Model, probs: Sequence[Sequence[float] | None]
) -> Callable[[int, Sample], Label]:
    def label_of(n: int, s: Sample) -> Label:
        p = probs[n]
        return s.verdict.label if p is None else model.decide(s.verdict, p).label

    return label_of


def _weighed(w: Weights) -> Callable[[int, Sample], Label]:
    return lambda n, s: w.apply(s.verdict).label


def _probs(model: learned.Model, samples: Sequence[Sample]) -> list[list[float] | None]:
    return [model.probabilities(s.buckets) if s.buckets else None for s in samples]


def choose_margins(
    samples: Sequence[Sample], probs: Sequence[Sequence[float] | None], bits: int
) -> dict[Label, float]:
    """The margins that maximise breach F1 + met F1 on out-of-group predictions, keeping
    breach precision at least the engine's (coordinate search, twice over the labels)."""
    floor = _counts(samples, _engine)[Label.BREACH].precision
    margins = dict.fromkeys(learned.LABELS, math.inf)

    def value(m: dict[Label, float]) -> float:
        c = _counts(samples, _decided(learned.Model(bits, {}, m), probs))
        if c[Label.BREACH].precision < floor - 1e-9:
            return -1.0
        return c[Label.BREACH].f1 + c[Label.MET].f1

    best = value(margins)
    for _ in range(2):
        for label in (Label.BREACH, Label.MET, Label.RELATED, Label.NONE):
            for m in MARGINS:
                trial = {**margins, label: m}
                v = value(trial)
                if v > best + 1e-9:
                    best, margins = v, trial
    return margins


def out_of_group(
    samples: Sequence[Sample], bits: int, fitted: Callable[[str], None] | None = None
) -> list[list[float] | None]:
    """Each sample's probabilities from a model fitted without its group."""
    probs: list[list[float] | None] = [None] * len(samples)
    for group in sorted({s.group for s in samples}):
        rest = [s for s in samples if s.group != group]
        model = fit_model(rest, bits)
        if fitted is not None:
            fitted(group)
        assert group not in model.groups
        for n, s in enumerate(samples):
            if s.group == group and s.buckets:
                probs[n] = model.probabilities(s.buckets)
    return probs


def train_model(samples: Sequence[Sample], bits: int = learned.DEFAULT_BITS) -> learned.Model:
    """The model fitted on every sample, its margins chosen out of group."""
    margins = (
        choose_margins(samples, out_of_group(samples, bits), bits)
        if len({s.group for s in samples}) > 1
        else dict.fromkeys(learned.LABELS, math.inf)
    )
    model = fit_model(samples, bits)
    return learned.Model(bits, model.weights, margins, model.groups)


def train(samples: Sequence[Sample]) -> Weights:
    """The old measured weights (a dozen engine scores)."""
    return fit([s.verdict for s in samples], [s.truth for s in samples])


# -- leave one conflict out -------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    group: str
    engine: dict[Label, Counts]
    weights: dict[Label, Counts]
    model: dict[Label, Counts]
    margins: dict[Label, float]
    trained_on: tuple[str, ...]


def leave_one_out(
    samples: Sequence[Sample],
    bits: int = learned.DEFAULT_BITS,
    progress: Callable[[str], None] | None = None,
) -> list[Row]:
    """Per conflict: the engine alone, the old weights and the learned model, both fitted
    (weights, margins) without it."""
    out = []
    for group in sorted({s.group for s in samples}):
        held = [s for s in samples if s.group == group]
        rest = [s for s in samples if s.group != group]
        if progress is not None:
            progress(group)
        w = train(rest)
        model = train_model(rest, bits)
        assert group not in model.groups
        probs = _probs(model, held)
        out.append(
            Row(
                group,
                _counts(held, _engine),
                _counts(held, _weighed(w)),
                _counts(held, _decided(model, probs)),
                dict(model.margins),
                model.groups,
            )
        )
    return out


def _cell(c: Counts) -> str:
    return f"{c.precision:.2f} {c.recall:.2f} {c.f1:.2f}"


def _name(group: str) -> str:
    p = Path(group)
    folder = p.parent.name
    return folder if p.name == "watchlist.yaml" and folder not in ("", "config") else group


def format_loco(rows: Sequence[Row]) -> str:
    head = ("engine alone", "old weights", "learned model")
    lines = [
        "leave-one-conflict-out (everything fitted without the held-out conflict)",
        "P R F1 for breach, then met",
        f"{'held out':22} | " + " | ".join(f"{h:^30}" for h in head),
    ]
    for r in rows:
        cells = [
            f"{_cell(c[Label.BREACH])}  {_cell(c[Label.MET])}"
            for c in (r.engine, r.weights, r.model)
        ]
        lines.append(f"{_name(r.group)[-22:]:22} | " + " | ".join(f"{c:30}" for c in cells))
    for name, pick in (("engine", "engine"), ("weights", "weights"), ("model", "model")):
        total = {label: Counts() for label in SCORED}
        for r in rows:
            for label in SCORED:
                total[label] = total[label] + getattr(r, pick)[label]
        lines.append(
            f"{'pooled ' + name:22} | {_cell(total[Label.BREACH])}  {_cell(total[Label.MET])}"
        )
    return "\n".join(lines)


def write_weights(weights: Weights, out: str) -> None:
    Path(out).write_text(json.dumps(weights.to_json(), indent=2) + "\n", encoding="utf-8")


def write_model(model: learned.Model, out: str) -> None:
    doc = model.to_json()
    doc["groups"] = [_name(g) for g in model.groups]
    Path(out).write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")
