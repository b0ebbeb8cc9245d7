"""Scoring behind ``monitor eval``: judge a labelled corpus and compare with a keyword baseline.

Corpus format, one JSON object a line: ``id``, ``title``, ``text``, ``url``,
``source``, ``published`` (ISO 8601) and ``labels`` (commitment id -> breach,
met, related or none; a missing id means none).  Nothing here prints.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from monitor.errors import InputError
from monitor.judge import Matcher
from monitor.judge.text import compile_phrases, normalize
from monitor.models import Commitment, Entity, Label

#: The labels that are scored (related counts as neither).
SCORED = (Label.BREACH, Label.MET)


@dataclass(frozen=True)
class CorpusItem:
    id: str
    title: str
    text: str
    url: str | None
    source: str | None
    published_at: datetime | None
    labels: Mapping[str, Label]

    def label(self, commitment_id: str) -> Label:
        return self.labels.get(commitment_id, Label.NONE)


@dataclass(frozen=True)
class Prediction:
    id: str
    commitment: str
    label: Label
    score: float
    evidence: str | None
    #: Set when the article was not judged: its language, which the judge does not read.
    language: str | None = None


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


@dataclass(frozen=True)
class Report:
    """Counts per commitment and label, and their micro-average over commitments."""

    items: int
    per_commitment: Mapping[str, Mapping[Label, Counts]]
    overall: Mapping[Label, Counts] = field(default_factory=dict)
    #: Articles not judged, per language ("fr" -> 2).
    not_judged: Mapping[str, int] = field(default_factory=dict)


def _parse_time(value: Any, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InputError(where, "'published' must be an ISO 8601 string")
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as e:
        raise InputError(where, f"bad 'published' time {value!r}") from e
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC)


def parse_corpus_line(line: str, where: str) -> CorpusItem:
    """One corpus line; ``where`` names it in errors ("corpus.jsonl line 3")."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        raise InputError(where, f"not JSON: {e.msg}") from e
    if not isinstance(obj, dict):
        raise InputError(where, "not a JSON object")
    item_id = obj.get("id")
    if not isinstance(item_id, str | int) or isinstance(item_id, bool) or item_id == "":
        raise InputError(where, "missing 'id'")
    for key in ("title", "text"):
        if not isinstance(obj.get(key, ""), str):
            raise InputError(where, f"{key!r} must be a string")
    if not obj.get("title") and not obj.get("text"):
        raise InputError(where, "needs a 'title' or a 'text'")
    raw_labels = obj.get("labels", {})
    if not isinstance(raw_labels, dict):
        raise InputError(where, "'labels' must be an object")
    labels: dict[str, Label] = {}
    for cid, value in raw_labels.items():
        try:
            labels[str(cid)] = Label(value)
        except ValueError as e:
            raise InputError(
                where, f"label {value!r} for {cid!r} is not one of breach, met, related, none"
            ) from e
    url, source = obj.get("url"), obj.get("source")
    return CorpusItem(
        id=str(item_id),
        title=obj.get("title") or "",
        text=obj.get("text") or "",
        url=url if isinstance(url, str) else None,
        source=source if isinstance(source, str) else None,
        published_at=_parse_time(obj.get("published"), where),
        labels=labels,
    )


def load_corpus(path: str | Path) -> list[CorpusItem]:
    """Read a JSONL corpus; ``InputError`` names the file and line of the first bad line."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(str(p), f"cannot read corpus: {e}") from e
    items: list[CorpusItem] = []
    seen: set[str] = set()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{p} line {n}"
        item = parse_corpus_line(line, where)
        if item.id in seen:
            raise InputError(where, f"duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
    return items


def predict(matcher: Matcher, items: Iterable[CorpusItem]) -> list[Prediction]:
    """Judge each article on its own (no history): one prediction per article x commitment."""
    out: list[Prediction] = []
    for item in items:
        for v in matcher.judge(item.title, item.text, item.published_at):
            out.append(Prediction(item.id, v.commitment_id, v.label, v.score, v.quote, v.language))
    return out


def keyword_baseline(
    commitments: Sequence[Commitment],
    entities: Mapping[str, Entity],
    items: Iterable[CorpusItem],
) -> list[Prediction]:
    """Bag of words: breach if the article has a topic word and a breach word; likewise met.

    ``entities`` is accepted for symmetry with ``Matcher``; the baseline ignores them.
    """
    del entities
    compiled = [
        (
            c,
            compile_phrases(c.topics),
            compile_phrases(c.breach_signals),
            compile_phrases(c.met_signals),
        )
        for c in commitments
    ]
    out: list[Prediction] = []
    for item in items:
        text = normalize(f"{item.title}\n{item.text}")
        for c, topic, breach, met in compiled:
            label, evidence = Label.NONE, None
            if topic.search(text):
                label = Label.RELATED
                for lab, rx in ((Label.BREACH, breach), (Label.MET, met)):
                    m = rx.search(text)
                    if m:
                        label, evidence = lab, m.group()
                        break
            score = 1.0 if label in SCORED else 0.0
            out.append(Prediction(item.id, c.id, label, score, evidence))
    return out


def score(
    items: Sequence[CorpusItem],
    predictions: Iterable[Prediction],
    commitment_ids: Sequence[str],
) -> Report:
    """Precision, recall and F1 counts for breach and met, per commitment and micro overall.

    A prediction missing for an article x commitment means none.
    """
    predictions = list(predictions)
    predicted = {(p.id, p.commitment): p.label for p in predictions}
    languages = {p.id: p.language for p in predictions if p.language is not None}
    not_judged: dict[str, int] = {}
    for lang in languages.values():
        not_judged[lang] = not_judged.get(lang, 0) + 1
    per: dict[str, dict[Label, Counts]] = {}
    for cid in commitment_ids:
        counts = {label: Counts() for label in SCORED}
        for item in items:
            truth = item.label(cid)
            guess = predicted.get((item.id, cid), Label.NONE)
            for label in SCORED:
                t, g = truth is label, guess is label
                if t or g:
                    counts[label] = counts[label] + Counts(
                        int(t and g), int(g and not t), int(t and not g)
                    )
        per[cid] = counts
    overall = {
        label: sum((per[cid][label] for cid in commitment_ids), Counts()) for label in SCORED
    }
    return Report(len(items), per, overall, not_judged)


def _cells(c: Counts) -> str:
    return f"{c.precision:5.2f} {c.recall:5.2f} {c.f1:5.2f} {c.tp:3d} {c.fp:3d} {c.fn:3d}"


def format_report(project: Report, baseline: Report) -> str:
    """A table of P/R/F1 (and tp/fp/fn) for the project and the keyword baseline."""
    head = f"{'':24} {'label':6} | {'project':^27} | {'keyword baseline':^27}"
    sub = (
        f"{'commitment':24} {'':6} | {'P     R     F1   tp  fp  fn':27} | "
        f"{'P     R     F1   tp  fp  fn':27}"
    )
    rule = "-" * len(sub)
    lines = [f"{project.items} articles", head, sub, rule]
    rows: list[tuple[str, Mapping[Label, Counts], Mapping[Label, Counts]]] = [
        (cid, project.per_commitment[cid], baseline.per_commitment.get(cid, {}))
        for cid in project.per_commitment
    ]
    rows.append(("overall (micro)", project.overall, baseline.overall))
    for name, mine, theirs in rows:
        if name == "overall (micro)":
            lines.append(rule)
        for label in SCORED:
            lines.append(
                f"{name:24} {label.value:6} | {_cells(mine.get(label, Counts()))} | "
                f"{_cells(theirs.get(label, Counts()))}"
            )
    if project.not_judged:
        langs = ", ".join(f"{lang} {n}" for lang, n in sorted(project.not_judged.items()))
        lines.append(f"not judged (a language the judge does not read; counted as none): {langs}")
    return "\n".join(lines)


def prediction_json(p: Prediction) -> dict[str, Any]:
    """The ``--predictions`` line for one prediction (the outside contract)."""
    out: dict[str, Any] = {
        "id": p.id,
        "commitment": p.commitment,
        "label": p.label.value,
        "score": round(float(p.score), 4),
        "evidence": p.evidence,
    }
    if p.language is not None:
        out["not_judged"] = f"language {p.language}"
    return out
