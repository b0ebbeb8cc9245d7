"""``monitor train``: fit the judge's weights on labelled corpora, and measure them
leave-one-conflict-out.

Each corpus is judged with the watchlist beside it (``watchlist.yaml`` in its folder), else
the one given; a conflict is the set of corpora sharing a watchlist.  The engine judges
without weights; a logistic regression (``monitor.judge.weights``) is fitted on its
features and the corpus labels.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from monitor.config import load_config
from monitor.evaluate import CorpusItem, Counts, Prediction, load_corpus, score
from monitor.judge import Matcher
from monitor.judge.weights import Weights, fit
from monitor.models import Label, Verdict


@dataclass(frozen=True)
class Sample:
    group: str  # the watchlist (one conflict)
    item: str
    verdict: Verdict
    truth: Label


def _config_for(corpus: Path, default: str) -> str:
    beside = corpus.parent / "watchlist.yaml"
    return str(beside) if beside.is_file() else default


def collect(corpora: Sequence[str], default_config: str) -> list[Sample]:
    """Every article x commitment of the corpora, judged by the engine without weights."""
    samples: list[Sample] = []
    matchers: dict[str, Matcher] = {}
    for path in corpora:
        cfg_path = _config_for(Path(path), default_config)
        if cfg_path not in matchers:
            cfg = load_config(cfg_path, env={})
            matchers[cfg_path] = Matcher(cfg.commitments, cfg.entities, weights=None)
        for item in load_corpus(path):
            for v in matchers[cfg_path].judge(item.title, item.text, item.published_at):
                samples.append(Sample(cfg_path, item.id, v, item.label(v.commitment_id)))
    return samples


def train(samples: Sequence[Sample]) -> Weights:
    return fit([s.verdict for s in samples], [s.truth for s in samples])


def _counts(samples: Sequence[Sample], weights: Weights | None) -> dict[Label, Counts]:
    preds: list[Prediction] = []
    truths: dict[str, Label] = {}
    for n, s in enumerate(samples):
        v = weights.apply(s.verdict) if weights is not None else s.verdict
        preds.append(Prediction(str(n), "c", v.label, v.score, v.quote))
        truths[str(n)] = s.truth
    items = [CorpusItem(k, "", "", None, None, None, {"c": t}) for k, t in truths.items()]
    return dict(score(items, preds, ["c"]).overall)


_Row = tuple[str, dict[Label, Counts], dict[Label, Counts]]


def leave_one_out(samples: Sequence[Sample]) -> list[_Row]:
    """Per conflict: (name, counts of the engine alone, counts with weights fitted without it)."""
    out = []
    for group in sorted({s.group for s in samples}):
        held = [s for s in samples if s.group == group]
        rest = [s for s in samples if s.group != group]
        weights = train(rest) if rest else None
        out.append((group, _counts(held, None), _counts(held, weights)))
    return out


def _cell(c: Counts) -> str:
    return f"{c.precision:.2f} {c.recall:.2f} {c.f1:.2f}"


def format_loco(rows: Sequence[_Row]) -> str:
    lines = [
        "leave-one-conflict-out (weights fitted without the conflict; P R F1 for breach, met)",
        f"{'conflict (watchlist)':48} | {'engine alone':^27} | {'with fitted weights':^27}",
    ]
    for group, raw, fitted in rows:
        cells = []
        for counts in (raw, fitted):
            b, m = counts[Label.BREACH], counts[Label.MET]
            cells.append(f"{_cell(b)}  {_cell(m)}")
        lines.append(f"{group[-48:]:48} | {cells[0]:27} | {cells[1]:27}")
    return "\n".join(lines)


def write_weights(weights: Weights, out: str) -> None:
    Path(out).write_text(json.dumps(weights.to_json(), indent=2) + "\n", encoding="utf-8")
