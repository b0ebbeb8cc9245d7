"""Reading that carries over to a watchlist a user writes (session 21; made-up parties).

A user's phrase names a verb and its object ("triggered the snapback", "released the
prisoners"); real reports put a word before the noun ("triggered the UN snapback",
"releases 50 prisoners") or drop the determiner ("extend truce"); a user writes "*" for any
one word; a kind the user adds is written the way a user writes signals.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from monitor.judge.engine import _GAP_NOT as GAP_NOT
from monitor.judge.engine import _OBJECT_NOT as OBJECT_NOT
from monitor.judge.inflect import determiner_forms, modifier_forms
from monitor.judge.text import PhraseIndex, find_dates, phrase_words, tokenize
from monitor.models import Label
from tests.helpers import first_label, made_up_watchlist

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)

ENTITIES = """
entities:
  north: {name: North, aliases: [North, Northern, Northland]}
  south: {name: South, aliases: [South, Southern, Southland]}
  dermot: {name: Dermot, aliases: [Dermot]}
"""


def _label(watchlist: str, title: str, text: str = "") -> Label:
    return first_label(watchlist, title, text, AT)


def test_a_gap_word_stands_for_one_word_that_is_not_a_function_word() -> None:
    index = PhraseIndex([("triggered * snapback", "k")], frozenset({"no", "the"}))
    assert [h.phrase for h in index.find(tokenize("they triggered UN snapback"))] == [
        "triggered * snapback"
    ]
    for text in ("triggered no snapback", "triggered the snapback", "triggered , snapback"):
        assert index.find(tokenize(text)) == [], text
    assert index.find(tokenize("triggered UN sanctions snapback")) == []  # one word only


def test_a_users_verb_and_object_match_with_a_modifier_before_the_noun() -> None:
    other = made_up_watchlist(
        ENTITIES,
        "other",
        statement="Northland triggers the snapback.",
        signals='{met: ["triggered the snapback"]}',
    )
    said = "the foreign ministry said on Wednesday in a statement to the council."
    for title in (
        "Northland triggers UN snapback on Southland",
        "Northland triggered the UN snapback on Southland",
    ):
        assert _label(other, title, f"{title}, {said}") is Label.MET, title
    # a negation, a preposition or a pronoun is no modifier
    for title in (
        "Northland triggered no snapback on Southland",
        "Northland triggered it, snapback on Southland",
    ):
        assert _label(other, title, f"{title}, {said}") is not Label.MET, title
    assert "between" in GAP_NOT and "no" in GAP_NOT


def test_a_name_or_a_particle_after_the_verb_gets_no_modifier() -> None:
    assert modifier_forms("met Dermot", ["met Dermot"], {}, ["the"], OBJECT_NOT) == []
    assert modifier_forms("pulled out troops", ["pulled out troops"], {}, ["the"], OBJECT_NOT) == []
    assert modifier_forms("troops pulled", ["troops pulled"], {}, ["the"], OBJECT_NOT) == []
    assert modifier_forms("released the", ["released the"], {}, ["the"], OBJECT_NOT) == []
    forms = modifier_forms("released the prisoners", ["released the prisoners"], {}, ["the"], set())
    assert forms == [
        "released * prisoners",
        "released * * prisoners",
        "released the * prisoners",
        "released the * * prisoners",
    ]


def test_a_star_alone_in_a_users_phrase_stands_for_one_word() -> None:
    other = made_up_watchlist(
        ENTITIES,
        "other",
        statement="Northland buys Southland grain.",
        signals='{met: ["bought * cargoes"]}',
    )
    said = "traders said on Wednesday, citing shipping data from the ports."
    title = "Northland bought twelve cargoes of Southland grain"
    assert _label(other, title, f"{title}, {said}") is Label.MET
    title = "Northland bought cargoes of Southland grain"  # the star is one word, not none
    assert _label(other, title, f"{title}, {said}") is not Label.MET
    assert phrase_words("* bought *") == (("bought", False),)  # a star at an end is nothing


def test_a_headline_drops_the_determiner_of_a_users_phrase() -> None:
    other = made_up_watchlist(
        ENTITIES,
        "other",
        statement="Northland and Southland extend the truce.",
        signals='{met: ["extended the truce"]}',
    )
    said = "the two governments said on Wednesday in a joint statement."
    for title in (
        "Northland and Southland extend truce for 90 days",
        "Northland and Southland extend their truce for 90 days",  # another determiner
    ):
        assert _label(other, title, f"{title}, {said}") is Label.MET, title
    assert determiner_forms("extended the", ["extended the"], {}, ["the"], OBJECT_NOT) == []


KIND = """
kinds:
  grain-pledge:
    like: other
    met: ["extended the grain truce", "lowered duties"]
"""


def test_a_kind_the_user_adds_gets_the_forms_of_a_users_phrase() -> None:
    pledge = made_up_watchlist(ENTITIES + KIND, "grain-pledge", statement="Duties fall.")
    said = "the two governments said on Wednesday in a joint statement."
    for title in (
        "Northland and Southland extend the grain truce by 90 days",  # another form
        "Northland lowers duties on Southland goods",
    ):
        assert _label(pledge, title, f"{title}, {said}") is Label.MET, title
    # its bare forms read as a user's: an infinitive is a plan, after a determiner an attribute
    for title in (
        "Northland wants to lower duties on Southland goods",
        "Southland goods face a lower duties regime in Northland",
    ):
        assert _label(pledge, title, f"{title}, {said}") is not Label.MET, title


def test_an_effective_time_is_read_in_its_own_time_zone() -> None:
    """Effective at local midnight on 15 May (22:00 UTC on the 14th): "May 14" is before it."""
    truce = made_up_watchlist(ENTITIES, "ceasefire", effective="2025-05-15T00:00:00+02:00")
    clash = (
        "Clashes broke out in the early hours of May 14 between Northern fighters and Southern "
        "forces, with smoke rising from buildings, the committee said on Sunday."
    )
    at = datetime(2025, 5, 19, 12, tzinfo=UTC)
    title = "Truce committee formed in the capital"
    assert first_label(truce, title, f"A truce committee was formed. {clash}", at) is not (
        Label.BREACH
    )
    later = clash.replace("May 14", "May 16")
    assert first_label(truce, title, f"A truce committee was formed. {later}", at) is Label.BREACH


def test_a_clash_with_someone_the_watchlist_does_not_name_is_someone_elses() -> None:
    truce = made_up_watchlist(ENTITIES, "ceasefire")
    title = "Residents flee homes near the Northland border"
    tail = "residents said on Monday. Northland said it was watching the border."
    for text in (
        "Southern forces clashed with soldiers from the semi-autonomous Hill state in the town,",
        "Clashes between Southern forces and Hill state soldiers erupted in the town,",
    ):
        assert _label(truce, title, f"{text} {tail}") is not Label.BREACH, text
    for text in (
        "Southern forces clashed with Northern troops in the town,",
        "Clashes between Southern forces and Northern troops erupted in the town,",
        "Southern and Northern troops clashed with each other in the town,",
        "Southern forces clashed with them again in the town,",  # "them": the sides
    ):
        assert _label(truce, title, f"{text} {tail}") is Label.BREACH, text


def test_talks_commenced_or_resumed_are_talks_held() -> None:
    talks = made_up_watchlist(ENTITIES, "talks", statement="Northland and Southland hold talks.")
    text = (
        "Northland and Southland commenced high-level technical discussions in the capital on "
        "Tuesday to carry out an agreement reached last year, officials said."
    )
    assert _label(talks, "Technical discussions open", text) is Label.MET


def test_a_day_named_soon_after_publication_is_the_coming_one() -> None:
    published = datetime(2025, 7, 30, 12, tzinfo=UTC)
    (soon,) = find_dates("tariffs would snap back on August 12", published)
    assert soon.first == date(2025, 8, 12)
    (later,) = find_dates("the clashes of October 3", published)
    assert later.first == date(2024, 10, 3)  # months ahead: last year's


STATEMENT = (
    "Northland and Southland will establish a mechanism to continue discussions on trade; the "
    "discussions may be held in a third country upon agreement."
)


def test_a_mechanism_for_talks_or_consent_is_not_an_outcome_the_talks_must_produce() -> None:
    talks = made_up_watchlist(ENTITIES, "talks", statement=STATEMENT)
    title = "Northland and Southland officials meet in Eastport for trade talks"
    text = f"{title}, the two governments said in a joint statement on Wednesday."
    assert _label(talks, title, text) is Label.MET
    # where the statement names an outcome, a meeting alone does not keep the promise
    outcome = made_up_watchlist(
        ENTITIES, "talks", statement="Northland and Southland will meet to sign an agreement."
    )
    assert _label(outcome, title, text) is not Label.MET


def test_an_attack_carried_out_by_the_other_sides_forces_breaks_a_truce() -> None:
    truce = made_up_watchlist(ENTITIES, "ceasefire")
    title = "Southland condemns violence in the border town"
    text = (
        "Southland has issued a strong condemnation of a violent attack carried out by Northern "
        "forces in the border town, the foreign ministry said on Monday."
    )
    assert _label(truce, title, text) is Label.BREACH
    plan = text.replace("a violent attack carried out by Northern forces", "any attack")
    assert _label(truce, title, plan) is not Label.BREACH


def test_a_refusal_in_the_past_perfect_is_backstory() -> None:
    vow = made_up_watchlist(
        ENTITIES, "no-talks", statement="Northland will not negotiate with Southland."
    )
    title = "Northland leader speaks on Southland"
    now = "Northland ruled out direct talks with Southland on Tuesday."
    assert _label(vow, title, now) is Label.MET
    before = (
        "Northland had consistently ruled out direct talks with Southland - until just hours "
        "before the surprise announcement."
    )
    assert _label(vow, title, before) is not Label.MET
