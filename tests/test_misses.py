"""``monitor replay --misses``: why labelled reports were missed, and phrases to add.

A made-up watchlist (Northland and Southland, a pledge not to stop each other's ships in the
Amber Strait) and a corpus written here; the phrases proposed are checked by adding them to
the watchlist and judging again, independently of the code under test.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from monitor.cli import main
from monitor.config import Config, load_config
from monitor.evaluate import CorpusItem, load_corpus
from monitor.judge import Matcher
from monitor.misses import NO_SIGNAL, NOT_ABOUT, NOT_COUNTED, AlertRef, Miss, find_gaps, format_gaps
from monitor.models import Label
from monitor.replay import replay, wrong_alerts

ROOT = Path(__file__).resolve().parent.parent

WATCHLIST = """
entities:
  northland:
    name: Northland
    aliases: [Northland, Northern, Port Vell]
  southland:
    name: Southland
    aliases: [Southland, Southern]
commitments:
  - id: free-passage
    title: Northland lets Southland ships through the Amber Strait
    statement: Neither side will stop the other's merchant ships in the strait.
    kind: other
    said_by: both foreign ministers
    said_at: 2025-03-01
    parties: [northland, southland]
    topics: [strait]
    effective: 2025-03-01
    signals:
      breach: ["seized a vessel"]
      met: ["convoy passed"]
"""

T0 = datetime(2025, 4, 1, 8, tzinfo=UTC)

#: Labelled breach, and no signal of the watchlist says "intercepted".
MISSED = (
    "Northland's Captain Orrin Vale intercepted Southland ships in the Amber Strait.",
    "He gave no details.",
)
#: Labelled breach too, and caught by the same phrase.
ALSO = ("Southland said Northland intercepted a tanker on Sunday.",)
#: Labelled none: a phrase "intercepted" would make it a false report.
PRICE = ("Northland customs intercepted Southland counterfeit watches.",)
#: Labelled breach, but the watchlist's own signal is denied: no phrase can help.
DENIED = ("Northland denied that its navy seized a vessel from Southland.",)
#: Labelled none; the watchlist's own signal makes it a false alert.
FALSE = ("Northland police seized a vessel carrying Southland cigarettes.",)


def _config(tmp_path: Path) -> Config:
    path = tmp_path / "watchlist.yaml"
    path.write_text(WATCHLIST, encoding="utf-8")
    return load_config(str(path), env={})


def _item(n: int, sentences: tuple[str, ...], label: Label | None = None) -> CorpusItem:
    labels = {"free-passage": label} if label is not None else {}
    return CorpusItem(
        f"s{n}",
        "",
        " ".join(sentences),
        f"https://strait.example/{n}",
        f"Outlet {n}",
        T0 + timedelta(hours=n),
        labels,
    )


def _corpus() -> list[CorpusItem]:
    return [
        _item(1, MISSED, Label.BREACH),
        _item(2, ALSO, Label.BREACH),
        _item(3, PRICE, Label.NONE),
        _item(4, DENIED, Label.BREACH),
    ]


def _misses(config: Config, items: list[CorpusItem]) -> dict[str, Miss]:
    [gaps] = find_gaps(config.commitments, config.entities, items)
    return {m.item_id: m for m in gaps.misses}


def _judged(config: Config, phrase: str, items: list[CorpusItem]) -> dict[str, Label]:
    """Each item's label with ``phrase`` added as a breach signal: the check a user would make."""
    [c] = config.commitments
    added = dataclasses.replace(c, breach_signals=(*c.breach_signals, phrase))
    matcher = Matcher([added], config.entities)
    return {i.id: matcher.judge(i.title, i.text, i.published_at)[0].label for i in items}


def test_a_report_no_signal_matched_names_its_sentence_and_a_phrase_that_catches_it(
    tmp_path: Path,
) -> None:
    config = _config(tmp_path)
    items = _corpus()
    m = _misses(config, items)["s1"]
    assert (m.wanted, m.judged, m.cause) == (Label.BREACH, Label.RELATED, NO_SIGNAL)
    assert m.reasons == ("no breach signal matched",)
    assert m.sentences[0] == MISSED[0]  # the sentence naming both parties comes first
    assert MISSED[1] not in m.sentences[:1]
    assert m.suggestions, "a phrase should have been found"
    for s in m.suggestions:
        assert s.label is Label.BREACH and "s1" in s.fixes
        # never a name: a party's, or one written only with capitals ("Captain Orrin Vale")
        assert not {"northland", "captain", "orrin", "vale", "amber"} & set(s.phrase.split())
        # what the report promises: with the phrase added, the article counts
        assert _judged(config, s.phrase, items)["s1"] is Label.BREACH


def test_each_phrase_is_priced_in_reports_caught_and_false_ones_added(tmp_path: Path) -> None:
    config = _config(tmp_path)
    items = _corpus()
    m = _misses(config, items)["s1"]
    by_phrase = {s.phrase: s for s in m.suggestions}
    assert "intercepted" in by_phrase, list(by_phrase)
    s = by_phrase["intercepted"]
    assert sorted(s.fixes) == ["s1", "s2"]  # the other labelled report it catches too
    assert s.costs == (("s3", Label.NONE),)  # the customs seizure, labelled none
    judged = _judged(config, "intercepted", items)
    assert judged["s3"] is Label.BREACH and judged["s2"] is Label.BREACH
    # a phrase that costs nothing ranks before it
    assert not m.suggestions[0].costs
    text = format_gaps(find_gaps(config.commitments, config.entities, items))
    assert "'intercepted': counts here; +2 labelled reports, 1 false (labelled none 1)" in text


def test_a_report_whose_signal_was_denied_gets_the_judges_reason_and_no_phrase(
    tmp_path: Path,
) -> None:
    config = _config(tmp_path)
    m = _misses(config, _corpus())["s4"]
    assert m.cause == NOT_COUNTED
    assert any(r.startswith("denied") for r in m.reasons), m.reasons
    assert m.sentences == (DENIED[0],)
    assert m.suggestions == () and m.tried == 0


def test_a_report_naming_nothing_of_the_commitment_says_so_and_gets_no_phrase(
    tmp_path: Path,
) -> None:
    config = _config(tmp_path)
    lead = "Frigates intercepted two freighters overnight."
    [gaps] = find_gaps(config.commitments, config.entities, [_item(6, (lead,), Label.BREACH)])
    [m] = gaps.misses
    assert (m.cause, m.judged) == (NOT_ABOUT, Label.NONE)
    assert m.reasons[0].startswith("no sentence names its parties, subjects or topic words")
    assert m.sentences == (lead,)  # the lead, where the article names what it is about
    assert m.tried == 0 and not m.suggestions  # no signal can help: nothing is about it


def test_a_found_report_is_not_a_miss(tmp_path: Path) -> None:
    config = _config(tmp_path)
    found = _item(5, ("Northland seized a vessel from Southland in the strait.",), Label.BREACH)
    misses = _misses(config, [*_corpus(), found])
    assert "s5" not in misses
    assert set(misses) == {"s1", "s2", "s4"}


def test_a_false_alert_shows_the_sentence_and_whose_signal_fired(tmp_path: Path) -> None:
    config = _config(tmp_path)
    items = [_item(1, FALSE, Label.NONE), _item(2, MISSED, Label.BREACH)]
    result = replay(config, items)
    wrong = wrong_alerts(result)
    assert [(a.commitment_id, a.item_ids) for a in wrong] == [("free-passage", ("s1",))]
    [gaps] = find_gaps(config.commitments, config.entities, items, wrong)
    [alert] = gaps.false_alerts
    [e] = alert.evidence
    assert (e.labelled, e.judged, e.sentence) == (Label.NONE, Label.BREACH, FALSE[0])
    assert e.own == ("seized a vessel",)
    text = format_gaps([gaps])
    assert "false alert" in text and "'seized a vessel' (yours)" in text


def test_alerts_of_other_commitments_or_articles_are_left_out(tmp_path: Path) -> None:
    config = _config(tmp_path)
    ref = AlertRef(T0, "free-passage", "[monitor] AT RISK: x", ("not-in-corpus",))
    [gaps] = find_gaps(config.commitments, config.entities, _corpus(), [ref], suggest=False)
    assert gaps.false_alerts[0].evidence == ()
    assert "no evidence from the corpus" in format_gaps([gaps])
    assert all(m.tried == 0 and not m.suggestions for m in gaps.misses)


def test_phrases_tried_together_are_priced_as_if_tried_alone() -> None:
    """Phrases that share no article are tried in one matcher: each one's price must be what
    adding it alone to the watchlist gives, over the whole corpus."""
    folder = ROOT / "tests" / "corpus" / "conflicts" / "drc-m23"
    config = load_config(str(folder / "watchlist.yaml"), env={})
    items = load_corpus(folder / "dev.jsonl") + load_corpus(folder / "test.jsonl")
    gaps = find_gaps(config.commitments, config.entities, items)
    suggestions = {
        (s.commitment_id, s.label, s.phrase): s
        for g in gaps
        for m in g.misses
        for s in m.suggestions
    }
    assert len(suggestions) >= 10
    # every one: a phrase found only in another form (an inflection) must be tried there too
    matcher = Matcher(config.commitments, config.entities)
    base = {i.id: matcher.judge(i.title, i.text, i.published_at) for i in items}
    for (cid, label, phrase), s in suggestions.items():
        commitments = [
            dataclasses.replace(
                c,
                breach_signals=(*c.breach_signals, phrase)
                if label is Label.BREACH
                else c.breach_signals,
                met_signals=(*c.met_signals, phrase) if label is Label.MET else c.met_signals,
            )
            if c.id == cid
            else c
            for c in config.commitments
        ]
        matcher = Matcher(commitments, config.entities)
        fixes, costs = [], []
        for i in items:
            old = next(v.label for v in base[i.id] if v.commitment_id == cid)
            new = next(
                v.label
                for v in matcher.judge(i.title, i.text, i.published_at)
                if v.commitment_id == cid
            )
            if new is old:
                continue
            if new is i.label(cid):
                fixes.append(i.id)
            elif new in (Label.BREACH, Label.MET):
                costs.append((i.id, i.label(cid)))
        assert (sorted(s.fixes), sorted(s.costs)) == (sorted(fixes), sorted(costs)), phrase


def test_the_command(tmp_path: Path) -> None:
    config = _config(tmp_path)
    corpus = tmp_path / "corpus.jsonl"
    lines = [
        {
            "id": i.id,
            "title": i.title,
            "text": i.text,
            "source": i.source,
            "published": i.published_at.isoformat() if i.published_at else None,
            "labels": {k: v.value for k, v in i.labels.items()},
        }
        for i in _corpus()
    ]
    corpus.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    runner = CliRunner()
    args = ["replay", str(corpus), "--config", config.path, "--misses"]
    out = runner.invoke(main, args)
    assert out.exit_code == 0, out.output
    assert "free-passage: 3 of 3 labelled reports missed" in out.output
    assert "missed breach: s1" in out.output and "why: no signal matched" in out.output
    assert "add to signals.breach:" in out.output
    plain = runner.invoke(main, args[:-1])
    assert plain.exit_code == 0 and "why labelled" not in plain.output
    unlabelled = tmp_path / "plain.jsonl"
    unlabelled.write_text(json.dumps({**lines[0], "labels": {}}) + "\n", encoding="utf-8")
    bad = runner.invoke(main, ["replay", str(unlabelled), "--config", config.path, "--misses"])
    assert bad.exit_code == 2 and "needs labels" in bad.output


def test_the_readme_example_is_this_corpus(tmp_path: Path) -> None:
    config = _config(tmp_path)
    text = format_gaps(find_gaps(config.commitments, config.entities, _corpus()))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("  ```\n  free-passage:")
    block = readme[start + 6 : readme.index("  ```\n", start + 6)]
    shown = [line[2:] for line in block.splitlines()]
    assert shown and all(line in text.splitlines() for line in shown), shown
