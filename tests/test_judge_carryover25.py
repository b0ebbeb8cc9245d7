"""Reading that carries over to a watchlist a user writes (session 25; made-up parties)."""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.models import Label
from tests.helpers import NORTH_SOUTH, first_label, made_up_watchlist

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)

ENTITIES = NORTH_SOUTH

COUNCIL = made_up_watchlist(
    ENTITIES,
    "talks",
    statement="Northland and Southland hold the next council meeting in Eastport.",
    signals='{met: ["meeting in Eastport"]}',
)

EXPORTS = made_up_watchlist(
    ENTITIES,
    "aid",
    statement="Northland lets Southland's oil through its pipeline.",
    signals='{met: ["resumed oil exports"]}',
)


def _label(watchlist: str, title: str, text: str = "") -> Label:
    return first_label(watchlist, title, text, AT)


def test_an_infinitive_aims_at_its_object_past_modifiers() -> None:
    # "to chair" and two modifiers before the user's noun: a plan, not the meeting held.
    title = "Northland, Southland leaders to chair high-level council meeting in Eastport"
    assert _label(COUNCIL, title, f"{title}, officials said.") is not Label.MET
    title = "Northland, Southland leaders chaired high-level council meeting in Eastport"
    assert _label(COUNCIL, title, f"{title}, officials said.") is Label.MET


TALKS = made_up_watchlist(ENTITIES, "talks", statement="Northland and Southland hold talks.")
CEASEFIRE = made_up_watchlist(
    ENTITIES + "  east: {name: East, aliases: [East, Eastern, Eastland]}\n",
    "ceasefire",
    statement="Northland and Southland stop attacking each other.",
)
PIPELINE = made_up_watchlist(
    ENTITIES,
    "aid",
    statement="Northland keeps Southland's oil flowing through its pipeline.",
    signals='{breach: ["shut the pipeline"]}',
)


def test_a_verb_whose_past_is_its_base_takes_a_headline_object() -> None:
    # "shut" is its own past: "shuts oil pipeline" is the user's "shut the pipeline".
    title = "Southland faces ruin after Northland shuts oil pipeline"
    assert _label(PIPELINE, title, f"{title}, officials said.") is Label.BREACH
    # ... and "to shut the pipeline" is an infinitive, unless an order carries it.
    text = "Northland is considering whether to shut the pipeline, officials said."
    assert _label(PIPELINE, "Pipeline talks", text) is not Label.BREACH
    text = (
        "The move followed an order on Saturday from the Northland president to shut the "
        "pipeline carrying Southland's crude."
    )
    assert _label(PIPELINE, "Pipeline row", text) is Label.BREACH


def test_talks_initiated_or_underway_are_held() -> None:
    title = "Northland initiates peace talks with Southland in Eastport"
    assert _label(TALKS, title, f"{title}, officials said.") is Label.MET
    title = "Northland, Southland security talks underway in Eastport"
    assert _label(TALKS, title, f"{title}, officials said.") is Label.MET
    title = "Efforts underway to bring Northland and Southland to the table"
    assert _label(TALKS, title, f"{title}, officials said.") is not Label.MET


def test_not_attacked_since_is_the_ceasefire_kept() -> None:
    title = "Northland has not attacked Southland forces since May 1, army says"
    assert _label(CEASEFIRE, title, f"{title}.") is Label.MET


def test_a_cause_fought_for_is_no_fighting() -> None:
    text = (
        "The Northland Front is a militia fighting for self-determination for the people of "
        "Southland's hills, officials said."
    )
    assert _label(CEASEFIRE, "Hill people vote", text) is not Label.BREACH
    text = "The Northland Front is fighting Southland troops in the hills, officials said."
    assert _label(CEASEFIRE, "Hills", text) is Label.BREACH


def test_fighting_between_one_party_and_someone_else_named_is_not_theirs() -> None:
    text = (
        "Sunday marks the longest span without a Southland combat death, even while fighting "
        "continues between Northland and Southland-allied Eastern forces."
    )
    assert _label(CEASEFIRE, "Quiet front", text) is not Label.BREACH
    text = "Fighting continues between Northland and Southland forces in the hills."
    assert _label(CEASEFIRE, "Hills", text) is Label.BREACH


def test_a_users_verb_and_object_also_match_object_first() -> None:
    title = "Southland oil exports resumed through Northland pipeline"
    assert _label(EXPORTS, title, f"{title}, officials said.") is Label.MET
    title = "Southland oil exports were resumed through the Northland pipeline"
    assert _label(EXPORTS, title, f"{title}, officials said.") is Label.MET
    title = "Northland and Southland to discuss oil exports"
    assert _label(EXPORTS, title, f"{title}, officials said.") is not Label.MET


def test_object_first_forms_keep_names_and_gaps_out() -> None:
    from monitor.judge.inflect import object_first_forms

    group = ("break", "breaks", "broke", "broken", "breaking")
    irregular = dict.fromkeys(group, group)
    forms = object_first_forms("broke the ceasefire", irregular, ["the"], frozenset({"of"}))
    assert "ceasefire broken" in forms and "ceasefire was broken" in forms
    assert "ceasefire has broken" not in forms  # an agent, not a passive
    assert object_first_forms("met Dermer", {}, ["the"], frozenset()) == []
    assert object_first_forms("pulled out of Abyei", {}, ["the"], frozenset({"out", "of"})) == []


def test_a_users_verb_matches_its_synonyms_in_the_same_tense() -> None:
    title = "Southland restarts oil exports through Northland after months-long halt"
    assert _label(EXPORTS, title, f"{title}, officials said.") is Label.MET
    text = "Northland agreed to restart oil exports from Southland next month, officials said."
    assert _label(EXPORTS, "Pipeline deal", text) is not Label.MET


def test_synonym_phrases_keep_the_tense_and_skip_lone_words() -> None:
    from monitor.judge.data import SHIPPED
    from monitor.judge.inflect import synonym_phrases

    def syn(p: str) -> list[str]:
        return synonym_phrases(p, SHIPPED.synonyms, SHIPPED.forms)

    assert "stopped exports" in syn("halted exports")
    assert "stop exports" in syn("halt exports")
    assert "closed the pipeline" in syn("shut the pipeline")
    assert syn("halted") == []  # one word reads too widely already
    assert syn("halts exports") == []


def test_a_time_clauses_present_is_what_is_to_come() -> None:
    text = (
        "Northland will free 1,500 prisoners as a gesture of goodwill before negotiations "
        "begin with Southland, officials said."
    )
    assert _label(TALKS, "Prisoners to go free", text) is not Label.MET
    text = "Negotiations begin between Northland and Southland in Eastport, officials said."
    assert _label(TALKS, "Talks open", text) is Label.MET


def test_a_compound_participle_describes_its_noun() -> None:
    text = (
        "Northland and Southland representatives began long-delayed peace talks in Eastport "
        "on Saturday."
    )
    assert _label(TALKS, "Talks open", text) is not Label.BREACH
    text = "Northland delayed peace talks with Southland on Saturday, officials said."
    assert _label(TALKS, "Talks put off", text) is Label.BREACH


def test_rebels_or_gunmen_that_no_party_names_are_no_party() -> None:
    text = "Rebels attacked Northland army positions near the border on Saturday, officials said."
    assert _label(CEASEFIRE, "Border attack", text) is not Label.BREACH
    text = "Armed men attacked a Northland bus near the border on Saturday, officials said."
    assert _label(CEASEFIRE, "Bus attack", text) is not Label.BREACH
    text = (
        "Southland troops attacked Northland army positions near the border on Saturday, "
        "officials said."
    )
    assert _label(CEASEFIRE, "Border attack", text) is Label.BREACH
