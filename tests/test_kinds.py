"""Kinds are data: the shipped kind files load, and a watchlist adds or extends a kind."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.config import parse_config
from monitor.errors import ConfigError
from monitor.judge import Matcher
from monitor.judge.data import SHIPPED, Behaviour, KindDataError, extend, load
from monitor.models import Kind, Label

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)
JUDGE = Path(__file__).resolve().parent.parent / "monitor" / "judge"

ELECTION = """
commitments:
  - id: vote
    title: The vote takes place on 9 November
    statement: The referendum will be held on 9 November.
    kind: {kind}
    said_by: The electoral commission
    parties: [pakistan]
    topics: [referendum]
{extra}
"""


def _verdict(cfg_text: str, title: str, text: str = "") -> Label:
    cfg = parse_config(cfg_text, env={})
    matcher = Matcher(cfg.commitments, cfg.entities)
    return matcher.judge(title, text, AT)[0].label


def test_every_built_in_kind_has_a_data_file() -> None:
    for kind in Kind:
        assert kind.value in SHIPPED.kinds
        # (a kind judged like `other`, with words of its own, says so in its file)
        assert SHIPPED.kinds[kind.value].like == (
            "other" if kind in (Kind.DISARMAMENT, Kind.VOTE, Kind.TRANSITION) else kind.value
        )
    # A pair's "$name" cue was spliced in from the named list.
    ceasefire = SHIPPED.kinds["ceasefire"]
    assert any(set(SHIPPED.lists["ceasefire_nouns"]) <= set(p.first) for p in ceasefire.pairs)


def test_no_conflict_words_in_the_judge_code() -> None:
    """Names of conflicts live in data files, never in the engine's string literals.

    Docstrings may use them as examples.
    """
    words = {"pakistan", "afghan", "taliban", "ttp", "istanbul", "doha", "kabul", "gaza"}
    for path in JUDGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef)
            and n.body
            and isinstance(n.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if id(node) in docs:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found = {w for w in words if w in node.value.lower().split()}
                assert not found, f"{path.name}: {node.value!r}"


def test_a_new_kind_written_in_the_watchlist_judges_without_code() -> None:
    extra = """kinds:
  plebiscite:
    topics: [referendum, polls]
    breach: [postponed the referendum, "vote was postponed"]
    met: ["polls opened", "voting began"]
"""
    cfg = ELECTION.format(kind="plebiscite", extra=extra)
    assert _verdict(cfg, "Polls opened across Pakistan for the referendum") is Label.MET
    assert _verdict(cfg, "Pakistan postponed the referendum until spring") is Label.BREACH
    # Without the kind's words the same sentence is not evidence.
    plain = ELECTION.format(kind="other", extra="") + "    signals: {breach: [cancelled]}\n"
    assert _verdict(plain, "Polls opened across Pakistan for the referendum") is not Label.MET


def test_the_watchlist_extends_a_shipped_kind() -> None:
    base = ELECTION.format(kind="talks", extra="")
    title = "Pakistan talks on the referendum were kicked into the long grass"
    assert _verdict(base, title) is not Label.BREACH
    extended = base + "kinds:\n  talks:\n    breach: [kicked into the long grass]\n"
    assert _verdict(extended, title) is Label.BREACH
    # The shipped vocabulary is not changed for other watchlists.
    assert "kicked into the long grass" not in SHIPPED.kinds["talks"].breach


def test_kinds_dir_is_read_relative_to_the_watchlist(tmp_path: Path) -> None:
    (tmp_path / "kinds").mkdir()
    (tmp_path / "kinds" / "plebiscite.yaml").write_text(
        "topics: [referendum]\nmet: [polls opened]\n", encoding="utf-8"
    )
    text = ELECTION.format(kind="plebiscite", extra="kinds_dir: kinds")
    watchlist = tmp_path / "watchlist.yaml"
    watchlist.write_text(text, encoding="utf-8")
    from monitor.config import load_config

    cfg = load_config(str(watchlist), env={})
    v = Matcher(cfg.commitments, cfg.entities).judge("Polls opened in Pakistan", "", AT)[0]
    assert v.label is Label.MET
    assert cfg.commitments[0].kind == "plebiscite"


@pytest.mark.parametrize(
    ("kind", "extra", "message"),
    [
        ("plebiscite", "", "unknown kind 'plebiscite'"),
        (
            "plebiscite",
            "kinds:\n  plebiscite: {like: nonsense}",
            "'like: nonsense' is not a known kind",
        ),
        ("plebiscite", "kinds:\n  plebiscite: {breach: [$nolist]}", "no list named 'nolist'"),
        ("plebiscite", "kinds:\n  plebiscite: {signals: [x]}", "unknown key(s) signals"),
        ("ceasefire", "kinds:\n  ceasefire: {like: talks}", "cannot change"),
        ("plebiscite", "kinds_dir: no-such-folder", "no folder"),
    ],
)
def test_bad_kinds_are_clear_config_errors(kind: str, extra: str, message: str) -> None:
    with pytest.raises(ConfigError) as e:
        parse_config(ELECTION.format(kind=kind, extra=extra), env={})
    assert message in str(e.value)


def test_a_watchlists_own_kind_of_a_shipped_name_extends_or_replaces_it() -> None:
    """A watchlist written before `disarmament` was shipped keeps working: its own kind of
    that name judged like `other` adds its words to the shipped ones; one that extends
    another kind replaces the shipped one (a root kind, like `ceasefire`, cannot be)."""
    title = "Pakistan's militants hand in their rifles for the referendum"
    added = ELECTION.format(
        kind="disarmament",
        extra="kinds:\n  disarmament: {like: other, met: [rifles were counted]}",
    )
    assert _verdict(added, title) is Label.MET
    assert _verdict(added, "Pakistan said 500 rifles were counted for the referendum") is (
        Label.MET
    )
    replaced = ELECTION.format(
        kind="disarmament",
        extra="kinds:\n  disarmament: {extends: withdrawal, met: [rifles were counted]}",
    )
    assert _verdict(replaced, title) is not Label.MET
    assert _verdict(replaced, "Pakistan said 500 rifles were counted for the referendum") is (
        Label.MET
    )


def test_extend_does_not_touch_the_shipped_knowledge() -> None:
    k = load()
    extend(k, "ceasefire", {"met": ["rifles were laid down"]}, "test")
    assert "rifles were laid down" in k.kinds["ceasefire"].met
    assert "rifles were laid down" not in SHIPPED.kinds["ceasefire"].met
    with pytest.raises(KindDataError):
        extend(k, "x", {"pairs": [{"label": "maybe", "window": 2}]}, "test")


PROBE = """
commitments:
  - id: pledge
    title: The two sides keep the peace
    statement: The two sides will keep the peace.
    kind: {kind}
    said_by: A spokesman
    parties: [{parties}]
    effective: 2025-10-20
kinds:
  probe:
    extends: {base}
    behaviour: {{{key}: {value}}}
"""


def _probe(base: str, key: str, value: str, parties: str, title: str) -> tuple[Label, Label]:
    """The verdict with the shipped kind, and with a kind that extends it with one key changed."""
    args = {"base": base, "key": key, "value": value, "parties": parties}
    shipped = _verdict(PROBE.format(kind=base, **args), title)
    changed = _verdict(PROBE.format(kind="probe", **args), title)
    return shipped, changed


@pytest.mark.parametrize(
    ("base", "key", "value", "parties", "title", "shipped", "changed"),
    [
        (
            "ceasefire",
            "own_territory_not_breach",
            "false",
            "pakistan, afghanistan",
            "Afghanistan condemned Pakistani air strikes on hideouts inside Pakistan on Tuesday",
            Label.RELATED,
            Label.BREACH,
        ),
        (
            "ceasefire",
            "cessation_blocks_breach",
            "false",
            "pakistan, afghanistan",
            "Pakistan and Afghanistan agreed an end to the shelling on Tuesday",
            Label.RELATED,
            Label.BREACH,
        ),
        (
            "ceasefire",
            "militant_attack_not_breach",
            "false",
            "pakistan, afghanistan",
            "Militants shelled a Pakistani border post on Tuesday, killing two",
            Label.RELATED,
            Label.BREACH,
        ),
        (
            "ceasefire",
            "before_truce_blocks_breach",
            "false",
            "pakistan, afghanistan",
            "Clashes between Pakistani and Afghan forces on Tuesday ended with a truce",
            Label.RELATED,
            Label.BREACH,
        ),
        (
            "ceasefire",
            "after_is_background",
            "false",
            "pakistan, afghanistan",
            "Pakistan and Afghanistan reopened the border after clashes on Tuesday",
            Label.RELATED,
            Label.BREACH,
        ),
        (
            "ceasefire",
            "calm_pair",
            '""',
            "pakistan, afghanistan",
            "Pakistan and Afghanistan reported no firing on Tuesday",
            Label.RELATED,
            Label.MET,
        ),
        (
            "ceasefire",
            "about",
            "any",
            "pakistan, afghanistan",
            "Pakistan reported clashes on Tuesday",
            Label.NONE,
            Label.BREACH,
        ),
        (
            "ceasefire",
            "discovery_is_not_breach",
            "false",
            "pakistan, afghanistan",
            "Pakistani troops found the launch pads used in the Afghan rocket fire on Tuesday",
            Label.RELATED,
            Label.BREACH,
        ),
        (
            "inform",
            "met_ignores_denial",
            "false",
            "pakistan, qatar",
            "Pakistan denied the claims and briefed Qatar on the violations",
            Label.MET,
            Label.RELATED,
        ),
        (
            "talks",
            "resumption_blocks_breach",
            "false",
            "pakistan, afghanistan",
            "Pakistan and Afghanistan revived talks that stalled",
            Label.RELATED,
            Label.BREACH,
        ),
        (
            "talks",
            "period_dates_block_breach",
            "true",
            "pakistan, afghanistan",
            "Pakistan and Afghanistan talks collapsed in October",
            Label.BREACH,
            Label.RELATED,
        ),
        (
            "no-talks",
            "met_is_refusal",
            "false",
            "pakistan, ttp",
            "Pakistan vowed never to negotiate with the TTP, officials said",
            Label.MET,
            Label.RELATED,
        ),
        (
            "no-talks",
            "actor_must_be_first_party",
            "[]",
            "pakistan, ttp",
            "Afghan officials held talks with the TTP on Tuesday",
            Label.RELATED,
            Label.BREACH,
        ),
    ],
)
def test_a_behaviour_key_switches_its_rule(
    base: str,
    key: str,
    value: str,
    parties: str,
    title: str,
    shipped: Label,
    changed: Label,
) -> None:
    """A kind that extends a shipped one and changes one key is judged by the changed rule."""
    assert _probe(base, key, value, parties, title) == (shipped, changed)


def test_every_behaviour_key_is_used_by_the_engine_and_documented() -> None:
    engine = (JUDGE / "engine.py").read_text(encoding="utf-8")
    readme = (JUDGE.parent.parent / "README.md").read_text(encoding="utf-8")
    for key in Behaviour.__dataclass_fields__:
        assert f"b.{key}" in engine, key
        assert f"| `{key}` [" in readme, key


def test_the_engine_names_no_kind() -> None:
    """Kinds are switched by their behaviour keys: the engine never tests a kind's name."""
    engine = (JUDGE / "engine.py").read_text(encoding="utf-8")
    assert "Kind." not in engine
    assert not any(f'"{k}"' in engine for k in SHIPPED.kinds if k != "other")


@pytest.mark.parametrize(
    ("behaviour", "message"),
    [
        ("{no_such_rule: true}", "unknown behaviour 'no_such_rule'"),
        ("{venue_matters: yes please}", "'venue_matters' is true or false"),
        ("{about: everything}", "about: 'everything' is not one of"),
        ("{actor_must_be_first_party: [maybe]}", "is a list of breach|met"),
    ],
)
def test_bad_behaviour_is_a_clear_config_error(behaviour: str, message: str) -> None:
    extra = f"kinds:\n  plebiscite:\n    extends: talks\n    behaviour: {behaviour}\n"
    with pytest.raises(ConfigError) as e:
        parse_config(ELECTION.format(kind="plebiscite", extra=extra), env={})
    assert message in str(e.value)


def test_a_kind_that_extends_another_has_its_words_and_behaviour() -> None:
    head = PROBE.split("kinds:")[0].format(kind="truce", parties="pakistan, afghanistan")
    extra = "kinds:\n  truce:\n    extends: ceasefire\n    breach: [guns roared again]\n"
    cfg = parse_config(head + extra, env={})
    kind = cfg.commitments[0].vocabulary
    assert kind is not None and kind.name == "truce"
    assert kind.behaviour == SHIPPED.kinds["ceasefire"].behaviour
    assert set(SHIPPED.kinds["ceasefire"].breach) < set(kind.breach)
    m = Matcher(cfg.commitments, cfg.entities)
    title = "Guns roared again between Pakistan and Afghanistan on Tuesday"
    assert m.judge(title, "", AT)[0].label is Label.BREACH
    title = "Pakistani and Afghan forces clashed on Tuesday"
    assert m.judge(title, "", AT)[0].label is Label.BREACH


def test_an_unknown_kind_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from monitor.cli import main

    path = tmp_path / "watchlist.yaml"
    path.write_text(ELECTION.format(kind="referendum", extra=""), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--config", str(path)])
    assert result.exit_code == 2
    assert "unknown kind 'referendum'" in result.output
    assert "ceasefire, disarmament, inform" in result.output
    assert "talks, transition, vote, withdrawal" in result.output


def test_the_kind_files_name_no_conflict() -> None:
    """Kind files speak general language: no name of a shipped entity, no "@id" cue (but
    "@others", the commitment's own parties after the first, is a role, not a name)."""
    import yaml

    from monitor.judge.text import PhraseIndex, tokenize

    names = PhraseIndex(
        (a, e.id) for e in SHIPPED.entities.values() for a in e.aliases if a.lower() != "border"
    )
    kinds = JUDGE.parent / "data" / "kinds"
    for path in kinds.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        doc = yaml.safe_load(text)
        phrases = [p for key in ("topics", "breach", "met", "weak") for p in doc.get(key) or []]
        phrases += [
            p
            for pair in doc.get("pairs") or []
            for k in ("first", "second")
            for p in (pair[k] if isinstance(pair[k], list) else [pair[k]])
        ]
        phrases += [p for v in (doc.get("lists") or {}).values() for p in v]
        for phrase in phrases:
            assert phrase in ("@others", "@topics") or not str(phrase).startswith("@"), (
                f"{path.name}: {phrase!r}"
            )
            found = names.find(tokenize(str(phrase)))
            assert not found, f"{path.name}: {phrase!r} names {found[0].keys}"


def test_a_watchlists_own_parties_are_never_another_conflict() -> None:
    """The shipped ``other_parties`` list names parties of many conflicts; a watchlist about
    one of them judges its own parties' sentences."""
    cfg = parse_config(
        """
entities:
  israel: {name: Israel, aliases: [Israel, Israeli, Israelis]}
  lebanon: {name: Lebanon, aliases: [Lebanon, Lebanese, Beirut]}
commitments:
  - id: truce
    title: The truce holds
    statement: Both sides will stop firing.
    kind: ceasefire
    said_by: A mediator
    parties: [israel, lebanon]
    effective: 2025-10-20
""",
        env={},
    )
    assert "Israel" in SHIPPED.lists["other_parties"]
    v = Matcher(cfg.commitments, cfg.entities).judge(
        "Israel and Lebanon trade blame over the truce",
        "Israeli drones struck a car in a southern village on Tuesday, killing two.",
        AT,
    )[0]
    assert v.label is Label.BREACH


TWO_SIDES = """
entities:
  north: {name: North, aliases: [North, Northern, Northland]}
  south: {name: South, aliases: [South, Southern, Southland]}
commitments:
  - id: pledge
    title: The two sides keep their word
    statement: They will do what they agreed.
    kind: {kind}
    said_by: A mediator
    parties: [north, south]
    effective: 2025-10-20
"""


def _two_sides(kind: str, title: str) -> Label:
    return _verdict(TWO_SIDES.replace("{kind}", kind), title)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Northland released 40 prisoners held since the war, the Red Cross said", Label.MET),
        ("Southern forces freed 12 captured soldiers on Tuesday", Label.MET),
        ("Bodies of 15 Southern soldiers were handed over to Southland on Tuesday", Label.MET),
        ("The prisoner exchange between Northland and Southland was postponed", Label.BREACH),
        ("Northland delayed the release of Southern detainees on Tuesday", Label.BREACH),
        ("Southern hostages are still held by Northland, officials said", Label.BREACH),
        ("Northland refused to release the Southern prisoners on Tuesday", Label.BREACH),
        ("Northland set new conditions for the release of Southern detainees", Label.BREACH),
        ("Northland said no prisoners were released on Tuesday", Label.BREACH),
        # A number with a thousands separator is one word, not a clause break.
        ("Northland freed 1,968 Southern prisoners in exchange for 20 hostages", Label.MET),
        ("Southland demanded the release of its prisoners held by Northland", Label.RELATED),
        ("Northland and Southland agreed on a prisoner exchange framework", Label.RELATED),
        ("The prisoners will be released next week, Northland said", Label.RELATED),
        ("Northland said talks would wait until Southern prisoners were released", Label.RELATED),
        ("Northland said it will not free the Southern prisoners", Label.BREACH),
        ("Northland would never hand over the Southern detainees, its minister said", Label.BREACH),
        # A plan: "will take place" after the signal.
        ("Northland freed Southern prisoners will take place next week", Label.RELATED),
    ],
)
def test_release_is_judged_from_its_kind_file(title: str, label: Label) -> None:
    assert _two_sides("release", title) is label


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Northern troops withdrew from the border town on Tuesday", Label.MET),
        ("Northland pulled its forces back from the disputed hills on Tuesday", Label.MET),
        ("Northland completed the withdrawal of its troops from Southern territory", Label.MET),
        ("Northern forces handed over their positions to the Southern army", Label.MET),
        ("Northern troops remain in five positions inside Southland", Label.BREACH),
        ("Northland missed the deadline to withdraw its forces from Southern land", Label.BREACH),
        ("Northland has thousands of troops in Southland, a report said", Label.BREACH),
        ("Northern forces advanced into two Southern villages on Tuesday", Label.BREACH),
        ("Northland built new positions near the line on Tuesday", Label.BREACH),
        ("The withdrawal of Northern troops was postponed on Tuesday", Label.BREACH),
        ("Northern troops have not withdrawn from Southern territory", Label.BREACH),
        # Asking for more time; the party told is not the one acting.
        ("Northland tells Southland it needs 30 more days in Southern territory", Label.BREACH),
        # Both sides acting together: the bound side acts.
        ("Northland and Southland began withdrawing heavy weapons from the border", Label.MET),
        ("Northland said it will withdraw its troops next month", Label.RELATED),
        # The first party is the one bound to leave.
        ("Southern troops remain in their barracks, Northland said", Label.RELATED),
        # The other side taking the area over is the withdrawal done; the bound side entering
        # is not, and neither is a takeover by nobody named.
        ("Southern troops entered the border town on Tuesday", Label.MET),
        ("Northern troops entered the border town on Tuesday", Label.RELATED),
        ("Troops took over positions near the Northland border on Tuesday", Label.RELATED),
        # The bound side named on the troops themselves, whoever speaks.
        (
            "Southland said some fighters still hold posts where Northern troops are still present",
            Label.BREACH,
        ),
        ("The handover of the border town to Southland went ahead without incident", Label.MET),
        ("The Northern withdrawal from Southern villages was carried out on Tuesday", Label.MET),
        # Plain words for a withdrawal that did not happen.
        ("The deadline passed with no withdrawal of Northern troops from Southland", Label.BREACH),
        ("The deadline passed without Northern troops pulling out of Southland", Label.BREACH),
        ("Monitors saw no sign of a pullback of Northern troops from Southland", Label.BREACH),
        # The withdrawal as a thing overseen, planned or demanded is not a report of it.
        ("A Southern committee will oversee the redeployment of Northern forces", Label.RELATED),
    ],
)
def test_withdrawal_is_judged_from_its_kind_file(title: str, label: Label) -> None:
    assert _two_sides("withdrawal", title) is label


def test_negated_met_is_breach_is_a_behaviour_key() -> None:
    title = "Northland said no prisoners were released on Tuesday"
    assert _two_sides("release", title) is Label.BREACH
    extra = (
        "kinds:\n  freeing:\n    extends: release\n    behaviour: {negated_met_is_breach: false}\n"
    )
    assert _verdict(TWO_SIDES.replace("{kind}", "freeing") + extra, title) is Label.RELATED


def test_a_one_word_past_signal_does_not_match_its_noun() -> None:
    """ "released" reports a done release; "the release of" names one, often demanded."""
    from monitor.judge.inflect import phrase_forms

    assert "release" not in phrase_forms("released", SHIPPED.forms)
    assert "releases" in phrase_forms("released", SHIPPED.forms)
    assert "refuse to" in phrase_forms("refused to", SHIPPED.forms)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Northland allowed 200 aid trucks into Southland on Tuesday", Label.MET),
        ("Aid trucks entered Southland through the Northern crossing on Tuesday", Label.MET),
        ("Northland reopened the crossing into Southland on Tuesday", Label.MET),
        ("Northland blocked aid convoys bound for Southland on Tuesday", Label.BREACH),
        ("The Northern crossing into Southland remained closed on Tuesday", Label.BREACH),
        ("No aid entered Southland on Tuesday, the UN said, blaming Northland", Label.BREACH),
        ("Southland called on Northland to let aid in", Label.RELATED),
    ],
)
def test_aid_is_judged_from_its_kind_file(title: str, label: Label) -> None:
    assert _two_sides("aid", title) is label


def test_met_grace_hours_is_a_behaviour_key() -> None:
    """A quiet night reported the next morning is evidence for a ceasefire (24 hours of grace);
    a kind that keeps 48 hours reads it as the announcement."""
    morning = datetime(2025, 10, 21, 8, tzinfo=UTC)
    title = "Northland and Southland report a quiet night along the ceasefire line"

    def label(text: str) -> Label:
        cfg = parse_config(text, env={})
        return Matcher(cfg.commitments, cfg.entities).judge(title, "", morning)[0].label

    assert label(TWO_SIDES.replace("{kind}", "ceasefire")) is Label.MET
    extra = "kinds:\n  slow:\n    extends: ceasefire\n    behaviour: {met_grace_hours: 48}\n"
    assert label(TWO_SIDES.replace("{kind}", "slow") + extra) is Label.RELATED
    with pytest.raises(ConfigError) as e:
        parse_config(TWO_SIDES.replace("{kind}", "slow") + extra.replace("48", "-1"), env={})
    assert "whole number of hours" in str(e.value)


def test_a_breach_word_inside_another_kinds_met_event_does_not_count() -> None:
    """ "Soldiers taken in clashes were freed": a release, not a clash (commitments that share
    parties do not leak into each other)."""
    text = (
        TWO_SIDES.replace("{kind}", "ceasefire")
        + """
  - id: swap
    title: The two sides free their prisoners
    statement: The two sides will free their prisoners.
    kind: release
    said_by: A mediator
    parties: [north, south]
    effective: 2025-10-20
"""
    )
    cfg = parse_config(text, env={})
    m = Matcher(cfg.commitments, cfg.entities)
    title = "Southern soldiers taken in clashes were freed by Northland on Tuesday"
    truce, swap = m.judge(title, "", AT)
    assert (truce.label, swap.label) == (Label.RELATED, Label.MET)
    title = "Northern and Southern troops clashed on Tuesday as prisoners were released"
    truce, swap = m.judge(title, "", AT)
    assert (truce.label, swap.label) == (Label.BREACH, Label.MET)


def test_a_handover_of_places_is_not_a_release() -> None:
    """ "Handed over the port": positions, ports and power are handed over too."""
    text = TWO_SIDES.replace("{kind}", "release") + "    signals: {met: [handed over]}\n"
    title = "Northern forces began leaving the port and handed it over to the coast guard"
    assert _verdict(text, title) is Label.NONE
    title = "Northland handed over 40 Southern prisoners on Tuesday"
    assert _verdict(text, title) is Label.MET


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Southern troops entered the border town on Tuesday", Label.MET),
        ("Southern troops took control of the border town on Tuesday", Label.MET),
    ],
)
def test_takeover_by_other_is_met_is_a_behaviour_key(title: str, label: Label) -> None:
    assert _two_sides("withdrawal", title) is label
    off = "kinds:\n  probe: {extends: withdrawal, behaviour: {takeover_by_other_is_met: false}}\n"
    assert _verdict(TWO_SIDES.replace("{kind}", "probe") + off, title) is not Label.MET


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Northland said it is fully implementing the cessation of hostilities", Label.MET),
        ("No offensive operations by Northland or Southland since the truce", Label.MET),
    ],
)
def test_ceasefire_met_in_plain_words(title: str, label: Label) -> None:
    assert _two_sides("ceasefire", title) is label


def test_a_release_after_questioning_is_not_a_release_of_captives() -> None:
    """Police letting people go after questioning or on bail is not the release agreed."""
    text = TWO_SIDES.replace("{kind}", "release") + "    signals: {met: [released]}\n"
    title = "Northland police said the Southern protesters were released after questioning"
    assert _verdict(text, title) is not Label.MET
    title = "Northland said the Southern prisoners were released on Tuesday"
    assert _verdict(text, title) is Label.MET


def test_a_deal_to_halt_the_fighting_is_not_fighting() -> None:
    """ "Agreed to a deal to halt the fighting": the end of hostilities, not a breach."""
    title = "Protesters in Northland called their leader a traitor after he agreed with "
    title += "Southland to halt the fighting"
    assert _two_sides("ceasefire", title) is not Label.BREACH
    assert _two_sides("ceasefire", "Northland and Southland forces resumed the fighting") is (
        Label.BREACH
    )


@pytest.mark.parametrize(
    ("kind", "title", "label"),
    [
        # release: bodies and remains, captives freed or handed to the Red Cross, swaps done
        ("release", "The bodies of four Southern soldiers were returned by Northland", Label.MET),
        (
            "release",
            "Southland handed over the remains of two Northern soldiers on Tuesday",
            Label.MET,
        ),
        ("release", "Southland repatriated 40 Northern detainees on Tuesday", Label.MET),
        ("release", "Twelve captives held by Southland were handed to the Red Cross", Label.MET),
        ("release", "The Red Cross received four Northern hostages from Southland", Label.MET),
        ("release", "Southland returned 18 Northern soldiers held since July", Label.MET),
        (
            "release",
            "The prisoner exchange between Northland and Southland was completed",
            Label.MET,
        ),
        (
            "release",
            "Northland and Southland completed the largest exchange of prisoners so far",
            Label.MET,
        ),
        ("release", "Northland and Southland began a three-day prisoner exchange", Label.MET),
        ("release", "Southland held back 20 Northern prisoners due for release", Label.BREACH),
        ("release", "Southland refused to hand over the bodies of Northern soldiers", Label.BREACH),
        ("release", "Southland released fewer prisoners than agreed, Northland said", Label.BREACH),
        (
            "release",
            "Southland has yet to return the bodies of four Northern hostages",
            Label.BREACH,
        ),
        ("release", "Northland said it had received no word on the prisoners from Southland", None),
        ("release", "Northland postponed the handover of the district to Southland", None),
        (
            "release",
            "Northland said the remains handed over by Southland did not belong to its soldiers",
            Label.BREACH,
        ),
        # "13 deceased" is not 13 December (before the commitment).
        (
            "release",
            "Southland has yet to return the bodies of 13 deceased Northern soldiers",
            Label.BREACH,
        ),
        (
            "release",
            "Southland said Northland had postponed the next stage of the exchange",
            Label.BREACH,
        ),
        ("release", "Northland postponed the handover of the prisoners to Southland", Label.BREACH),
        ("release", "The exchange of Northern and Southern prisoners is expected next week", None),
        # withdrawal: back to a line, heavy weapons, repositioned / stayed, failed to withdraw
        ("withdrawal", "Northern troops pulled back to the agreed line on Tuesday", Label.MET),
        (
            "withdrawal",
            "Northern heavy weapons were withdrawn from the front on Tuesday",
            Label.MET,
        ),
        ("withdrawal", "Northern troops were repositioned behind the line on Tuesday", Label.MET),
        ("withdrawal", "Northland redeployed its troops away from the border", Label.MET),
        ("withdrawal", "Northern forces left the buffer zone on Tuesday", Label.MET),
        (
            "withdrawal",
            "Northern troops are still present in the area, Southland said",
            Label.BREACH,
        ),
        ("withdrawal", "Northland failed to withdraw its troops by the deadline", Label.BREACH),
        ("withdrawal", "Northern troops advanced into the buffer zone on Tuesday", Label.BREACH),
        ("withdrawal", "Southern troops were repositioned behind the line on Tuesday", None),
        # aid: trucks entered, crossings opened or closed, deliveries blocked, convoys turned back
        ("aid", "Forty aid trucks entered Southland through the crossing on Tuesday", Label.MET),
        ("aid", "Northland reopened the crossing into Southland on Tuesday", Label.MET),
        ("aid", "The first aid convoy reached Southland on Tuesday", Label.MET),
        ("aid", "Northland closed the crossing into Southland on Tuesday", Label.BREACH),
        ("aid", "Aid deliveries to Southland were blocked by Northland on Tuesday", Label.BREACH),
        ("aid", "Northern troops turned back an aid convoy bound for Southland", Label.BREACH),
        ("aid", "No aid trucks entered Southland on Tuesday", Label.BREACH),
        ("aid", "Northland halved the number of aid trucks allowed into Southland", Label.BREACH),
        ("aid", "Aid deliveries to Southland were cut by half on Tuesday", Label.BREACH),
        (
            "aid",
            "Aid agencies said far fewer trucks than agreed were entering Southland",
            Label.BREACH,
        ),
        # ceasefire: an attack on the other side's troops, or fire on people
        ("ceasefire", "Southern fighters attacked Northern troops on Tuesday", Label.BREACH),
        ("ceasefire", "Northland said it had fully respected the truce with Southland", Label.MET),
        ("ceasefire", "Southland accused Northland of not respecting the truce", None),
        (
            "ceasefire",
            "Northern soldiers fired on people near the Southern border on Tuesday",
            Label.BREACH,
        ),
        ("aid", "Northland said the crossing into Southland would reopen on Sunday", None),
        # talks: delegations met, a round held, opened or concluded, a memorandum signed / called
        # off, put off, walked out, no breakthrough, an impasse, failed to agree
        ("talks", "Northern and Southern delegations met in Geneva for talks", Label.MET),
        ("talks", "A new round of talks between Northland and Southland opened", Label.MET),
        ("talks", "The second round of Northland-Southland talks concluded on Tuesday", Label.MET),
        ("talks", "Northland and Southland signed a memorandum at the talks", Label.MET),
        (
            "talks",
            "Northern and Southern negotiators held their first face-to-face talks",
            Label.MET,
        ),
        ("talks", "The Northern and Southern delegations met in Geneva for two hours", Label.MET),
        ("talks", "Northland held a news conference after the talks with Southland", None),
        ("talks", "Southland said it would not send a delegation to the talks", Label.BREACH),
        (
            "talks",
            "The Northern president refused to attend the talks with Southland",
            Label.BREACH,
        ),
        ("talks", "Northland and Southland did not agree on a truce at the talks", Label.BREACH),
        ("talks", "Northland called off the talks with Southland on Tuesday", Label.BREACH),
        (
            "talks",
            "The talks between Northland and Southland were put off until next year",
            Label.BREACH,
        ),
        ("talks", "Northland postponed the next round of talks with Southland", Label.BREACH),
        ("talks", "The Southern delegation walked out of the talks on Tuesday", Label.BREACH),
        ("talks", "The Northland-Southland talks ended without a breakthrough", Label.BREACH),
        ("talks", "Talks between Northland and Southland reached an impasse", Label.BREACH),
        ("talks", "Northland and Southland failed to agree at the talks on Tuesday", Label.BREACH),
        ("talks", "The next round of Northland-Southland talks will be held next month", None),
        ("talks", "Talks between Northland and Southland may take place next week", None),
    ],
)
def test_plain_event_vocabulary_of_each_kind(kind: str, title: str, label: Label | None) -> None:
    """None: not evidence (related or none)."""
    got = _two_sides(kind, title)
    if label is None:
        assert got not in (Label.BREACH, Label.MET)
    else:
        assert got is label


def test_talks_held_count_unless_the_statement_names_an_outcome() -> None:
    """``weak_if_statement``: "talks on the mechanism will take place" needs the mechanism."""
    title = "The round of talks between Northland and Southland was held in Geneva"
    assert _two_sides("talks", title) is Label.MET
    outcome = TWO_SIDES.replace("{kind}", "talks").replace(
        "will do what they agreed", "will discuss a monitoring mechanism"
    )
    assert _verdict(outcome, title) is Label.RELATED
    mechanism = title + " and a monitoring mechanism was agreed"
    assert _verdict(outcome, mechanism) is Label.MET
