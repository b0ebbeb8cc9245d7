"""The learned second stage: role-abstracted features, the hashed model, ``monitor train``."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from monitor import train as training
from monitor.cli import main
from monitor.config import load_config
from monitor.judge import Matcher, learned
from monitor.models import Commitment, Entity, Label, Verdict

PUBLISHED = datetime(2025, 6, 1, 12, tzinfo=UTC)

#: Three made-up conflicts, each a pair of countries bound by a ceasefire.
CONFLICTS = {
    "north-south": ("Northland", "Southland", "Northport"),
    "east-west": ("Eastia", "Westia", "Eastbay"),
    "upper-lower": ("Uppland", "Lowland", "Upton"),
}

WATCHLIST = """\
database:
  url: sqlite:///{db}
feeds: []
entities:
  a:
    name: {a}
    aliases: [{a}, {a}n, {c}]
  b:
    name: {b}
    aliases: [{b}, {b}ian]
commitments:
  - id: truce
    title: {a} and {b} keep the truce
    statement: The two sides agree to a ceasefire along the whole border.
    kind: ceasefire
    said_by: a mediator
    said_at: 2025-05-01
    parties: [a, b]
    effective: 2025-05-01
    ongoing: true
"""

#: Sentences the engine reads as a breach; the "drill" ones are labelled related: shelling mock
#: posts in a drill is no breach, which the engine does not know and the model can learn.
BREACH = "{a}n troops shelled {b}ian border posts overnight, violating the ceasefire."
DRILL = "{a}n troops shelled mock {b}ian border posts overnight in a training drill."
CALM = "{a}n and {b}ian commanders said the ceasefire along the border was holding."


def _write_conflict(root: Path, slug: str, n: int = 10) -> Path:
    a, b, c = CONFLICTS[slug]
    folder = root / slug
    folder.mkdir(parents=True)
    (folder / "watchlist.yaml").write_text(
        WATCHLIST.format(a=a, b=b, c=c, db=root / f"{slug}.db"), encoding="utf-8"
    )
    rows = []
    for i in range(n):
        for tag, text, label in (
            ("breach", BREACH, "breach"),
            ("drill", DRILL, "related"),
            ("calm", CALM, "met"),
        ):
            body = text.format(a=a, b=b)
            rows.append(
                {
                    "id": f"{slug}-{tag}-{i}",
                    "title": f"Report {i} from the border",
                    "text": f"{body} Officials gave no further details on day {i}.",
                    "url": f"https://news.example/{slug}/{tag}/{i}",
                    "source": "News Example",
                    "published": PUBLISHED.isoformat(),
                    "labels": {"truce": label},
                }
            )
    corpus = folder / "dev.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return corpus


@pytest.fixture
def corpora(tmp_path: Path) -> list[Path]:
    return [_write_conflict(tmp_path / "corpora", slug) for slug in CONFLICTS]


def _commitment(a: str, b: str) -> tuple[Commitment, dict[str, Entity]]:
    c = Commitment(
        id="truce",
        title="truce",
        statement="The two sides agree to a ceasefire.",
        kind="ceasefire",
        said_by="a mediator",
        said_at=None,
        source_url=None,
        parties=(a.lower(), b.lower()),
        effective_at=datetime(2025, 5, 1, tzinfo=UTC),
    )
    ents = {
        a.lower(): Entity(a.lower(), a, (a, f"{a}n")),
        b.lower(): Entity(b.lower(), b, (b, f"{b}ian")),
    }
    return c, ents


class _Capture:
    """Weights that only record the learned features of each verdict."""

    def __init__(self) -> None:
        self.names: list[list[str]] = []

    def bind(self, commitments: Sequence[Commitment]) -> _Capture:
        self.roles = learned.roles_for(commitments)
        return self

    def apply(
        self, verdicts: Sequence[Verdict], sentences: Sequence[Any], title: bool
    ) -> list[Verdict]:
        for v in verdicts:
            self.names.append(
                learned.feature_names(v, self.roles[v.commitment_id], sentences, title)
            )
        return list(verdicts)


def _features(a: str, b: str, text: str) -> list[str]:
    c, ents = _commitment(a, b)
    cap = _Capture()
    Matcher([c], ents, weights=cap).judge("", text.format(a=a, b=b), PUBLISHED)
    return cap.names[0]


def test_features_abstract_the_parties_to_their_roles() -> None:
    north = _features("Northland", "Southland", BREACH)
    east = _features("Eastia", "Westia", BREACH)
    assert north == east
    assert not any("north" in n or "south" in n for n in north)
    assert any("<bound>" in n for n in north) and any("<counter>" in n for n in north)
    # who did what to whom matters: the other side shelling is another feature set
    swapped = _features("Northland", "Southland", BREACH.format(a="{b}", b="{a}"))
    assert sorted(swapped) != sorted(north)


def test_features_name_the_kind_family() -> None:
    names = _features("Northland", "Southland", BREACH)
    assert any(n.startswith("ceasefire|") for n in names)
    c, _ = _commitment("Northland", "Southland")
    assert learned.family(c) == "ceasefire"


def test_a_trained_model_flips_a_label_it_should(corpora: list[Path], tmp_path: Path) -> None:
    samples = training.collect([str(p) for p in corpora], "unused.yaml", bits=14)
    drills = [s for s in samples if "-drill-" in s.item]
    assert drills and all(s.verdict.label is Label.BREACH for s in drills)  # the engine's error
    model = training.train_model(samples, bits=14)
    assert model.margins[Label.RELATED] < math.inf
    # a fourth conflict the model never saw
    new = _write_conflict(tmp_path / "new", "upper-lower")
    cfg = load_config(str(new.parent / "watchlist.yaml"), env={})
    plain = Matcher(cfg.commitments, cfg.entities, weights=None)
    judged = Matcher(cfg.commitments, cfg.entities, weights=model)
    drill = DRILL.format(a="Uppland", b="Lowland")
    breach = BREACH.format(a="Uppland", b="Lowland")
    assert plain.judge("", drill, PUBLISHED)[0].label is Label.BREACH
    assert judged.judge("", drill, PUBLISHED)[0].label is Label.RELATED
    assert judged.judge("", breach, PUBLISHED)[0].label is Label.BREACH


def test_the_model_round_trips_through_json(corpora: list[Path]) -> None:
    samples = training.collect([str(p) for p in corpora], "unused.yaml", bits=12)
    model = training.train_model(samples, bits=12)
    again = learned.from_json(json.loads(json.dumps(model.to_json())))
    assert again.bits == model.bits and again.margins == model.margins
    for s in samples:
        if s.buckets:
            p, q = model.probabilities(s.buckets), again.probabilities(s.buckets)
            assert max(abs(x - y) for x, y in zip(p, q, strict=True)) < 1e-3


def test_loco_never_trains_on_the_held_out_conflict(
    corpora: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    samples = training.collect([str(p) for p in corpora], "unused.yaml", bits=12)
    held: list[str] = []
    seen: list[tuple[str, set[str]]] = []
    fit = training.fit_model

    def spy(rows: Sequence[training.Sample], bits: int = 18) -> learned.Model:
        seen.append((held[-1], {s.group for s in rows}))
        return fit(rows, bits)

    monkeypatch.setattr(training, "fit_model", spy)
    rows = training.leave_one_out(samples, bits=12, progress=held.append)
    groups = {s.group for s in samples}
    assert len(rows) == len(groups) == 3
    assert len(seen) == 3 * 3  # per held-out conflict: 2 inner fits and the outer one
    for out, fitted_on in seen:
        assert out not in fitted_on and fitted_on
    for r in rows:
        assert r.group not in r.trained_on and set(r.trained_on) == groups - {r.group}


def test_train_command_writes_a_model_the_matcher_loads(
    corpora: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "model.json"
    result = CliRunner().invoke(
        main, ["train", *map(str, corpora), "--bits", "12", "--out", str(out), "--loco"]
    )
    assert result.exit_code == 0, result.output
    assert "leave-one-conflict-out" in result.output and "learned model" in result.output
    model = learned.load(out)
    assert model.groups == tuple(sorted(CONFLICTS))
    cfg = load_config(str(corpora[0].parent / "watchlist.yaml"), env={})
    m = Matcher(cfg.commitments, cfg.entities, weights=model)
    text = DRILL.format(a="Northland", b="Southland")
    assert m.judge("", text, PUBLISHED)[0].label is Label.RELATED


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the model file"),
        ("{not json", "corrupt model file (not JSON"),
        ('{"features": []}', "not a model written by `monitor train`"),
        (
            '{"format": "monitor-learned-judge/1", "bits": 4, "labels": ["none", "related",'
            ' "breach", "met"], "margins": {}, "weights": {"99": [0, 0, 0, 0]}}',
            "does not fit the model's shape",
        ),
        (
            '{"format": "monitor-learned-judge/1", "bits": 4, "labels": ["none", "related",'
            ' "breach", "met"], "margins": {}}',
            "corrupt model file (KeyError",
        ),
    ],
)
def test_a_missing_or_corrupt_model_file_is_a_clear_error(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "model.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(learned.ModelError) as e:
        learned.load(path)
    assert message in str(e.value) and str(path) in str(e.value)


def test_train_loco_needs_three_watchlists(corpora: list[Path]) -> None:
    result = CliRunner().invoke(main, ["train", str(corpora[0]), "--loco"])
    assert result.exit_code == 2
    assert "at least three watchlists" in result.output


def test_shared_reading_gives_what_each_verdict_alone_would(corpora: list[Path]) -> None:
    """The Matcher's shortcuts (verdicts it cannot relabel skipped, commitments that read
    alike computed once) change nothing: each verdict gets what its own features give."""
    samples = training.collect([str(p) for p in corpora], "unused.yaml", bits=14)
    model = training.train_model(samples, bits=14)
    cfg = load_config(str(corpora[0].parent / "watchlist.yaml"), env={})
    twin = [c for c in cfg.commitments] + [
        replace(c, id=f"{c.id}-twin", topics=(*c.topics, "armistice")) for c in cfg.commitments
    ]
    cap = _Capture()
    plain = Matcher(twin, cfg.entities, weights=cap)
    judged = Matcher(twin, cfg.entities, weights=model)
    flipped = 0
    for line in corpora[0].read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        cap.names.clear()
        engine = plain.judge(row["title"], row["text"], PUBLISHED)
        got = judged.judge(row["title"], row["text"], PUBLISHED)
        for v, names, g in zip(engine, cap.names, got, strict=True):
            want = (
                model.decide(v, model.probabilities(learned.hashed(names, 14))) if v.findings else v
            )
            assert g == want
            flipped += g.label is not v.label
    assert flipped  # the model did relabel some (the drills)
