"""Reading that carries over to a watchlist a user writes (session 20; made-up parties).

Each case is a general reason a real report was misread with a user's watchlist that nobody
had tuned on (the dev halves of three new real-news sets): two truces that share a party and
a place, a capital named for its government, topic words that are common words, a withdrawal
from another commitment's place, a participle that describes its noun.
"""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.config import parse_config
from monitor.judge import Matcher
from monitor.judge.engine import _OBJECT_NOT as OBJECT_NOT
from monitor.judge.inflect import determiner_forms
from monitor.models import Label
from tests.helpers import first_label, made_up_watchlist

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)

ENTITIES = """
entities:
  north: {name: North, aliases: [North, Northern, Northland, Northern jets]}
  south: {name: South, aliases: [South, Southern, Southland, Southern forces, government forces]}
  tribes: {name: the tribes, aliases: [tribesmen, tribal fighters, Eastern tribes]}
  vale: {name: Eastvale, aliases: [Eastvale]}
  ridge: {name: the Ridge, aliases: [Ridge, the Ridge, Blue Ridge]}
"""

# A second truce: the South and the tribes, in Eastvale.
TRIBES = """  - id: tribes
    title: The Eastvale truce holds
    statement: Southern forces and the tribes stop fighting in Eastvale.
    kind: ceasefire
    said_by: A mediator
    parties: [south, tribes]
    subjects: [vale]
    effective: 2025-11-01
    ongoing: true
"""


def _label(watchlist: str, title: str, text: str = "") -> Label:
    return first_label(watchlist, title, text, AT)


def test_another_truces_fighting_is_not_this_ones() -> None:
    truce = made_up_watchlist(ENTITIES, "ceasefire", subjects="[vale, ridge]", more=TRIBES)
    tribal = "Clashes broke out in Eastvale on Tuesday between Southern forces and tribesmen."
    assert _label(truce, "Eastvale fighting", tribal) is not Label.BREACH
    # the same words, with this truce's other party: its breach
    ours = "Clashes broke out in Eastvale on Tuesday between Southern forces and Northern troops."
    assert _label(truce, "Eastvale fighting", ours) is Label.BREACH
    # naming no one, in a story of the tribes' fighting; with the North named once in passing
    story = (
        "Fierce clashes erupted in Eastvale on Tuesday, residents said. The tribal fighters "
        "accused Southern forces of shelling their villages, and the Eastern tribes called for "
        "help. Northland said it was watching."
    )
    assert _label(truce, "Clashes erupt in Eastvale", story) is not Label.BREACH
    # and its calm is that truce's calm, not this one's
    calm = "Calm returned to Eastvale on Sunday after tribal fighters and Southern forces agreed."
    assert _label(truce, "Calm in Eastvale", calm) is not Label.MET


def test_a_capital_between_two_governments_is_not_where_talks_are() -> None:
    talks = made_up_watchlist(
        ENTITIES, "talks", statement="Northland and Southland hold further rounds in Muscat."
    )
    cfg = parse_config(talks, env={})
    matcher = Matcher(cfg.commitments, cfg.entities)
    held = "The fifth round of talks between Northland and Southland concluded on Friday."

    def score(text: str) -> float:
        verdict = matcher.judge("Fifth round ends", text, AT)[0]
        assert verdict.label is Label.MET
        return verdict.score

    alone = score(held)
    assert score(held + " Mediators bridged the gap between Tehran and Washington.") == alone
    # talks told as held in another city count less
    assert score(held + " Mediators then flew to Tehran.") < alone


def test_topic_words_alone_must_name_something() -> None:
    road = made_up_watchlist(
        ENTITIES,
        "other",
        subjects="[vale]",
        signals='{breach: [blocked], met: ["traffic resumed"]}',
        tail="    ongoing: true\n    topics: [road, traffic]",
    )
    elsewhere = "Protesters removed barricades that had blocked roads, and traffic resumed."
    assert _label(road, "Roads reopen", elsewhere) is Label.NONE
    # a topic that is a name makes the article about it
    named = road.replace("topics: [road, traffic]", 'topics: ["Coast Road", traffic]')
    here = "Protesters removed barricades on the Coast Road, and traffic resumed."
    assert _label(named, "Roads reopen", here) is Label.MET


def test_a_withdrawal_from_another_commitments_place_is_not_this_one() -> None:
    leave = made_up_watchlist(
        ENTITIES,
        "withdrawal",
        statement="Northland withdraws its troops from the Ridge.",
        subjects="[ridge]",
        more=TRIBES,
    )
    vale = "Northland says tribal fighters withdrew from Eastvale on Sunday."
    assert _label(leave, "Eastvale", vale) is not Label.MET
    # a sentence that names no place, in a story of Eastvale
    story = "Calm returned to Eastvale on Sunday. Tanks were withdrawn from Northern positions."
    assert _label(leave, "Eastvale", story) is not Label.MET
    ridge = "Northern troops withdrew from the Ridge on Sunday, officials said."
    assert _label(leave, "Ridge", ridge) is Label.MET


def test_a_participle_after_a_determiner_describes_its_noun() -> None:
    talks = made_up_watchlist(
        ENTITIES, "talks", statement="Northland and Southland sign a declaration on the Ridge."
    )
    known = (
        "At the talks on the Ridge, the Southern minister said the recently signed declaration "
        "bars Northland from interfering."
    )
    assert _label(talks, "Minister speaks", known) is not Label.MET
    done = "Northland and Southland signed a declaration at talks on the Ridge on Friday."
    assert _label(talks, "Declaration signed", done) is Label.MET


def test_a_refusal_that_waits_for_guarantees_is_conditional() -> None:
    talks = made_up_watchlist(ENTITIES, "talks", statement="Northland and Southland talk again.")
    assert _label(talks, "Northland rules out talks with Southland") is Label.BREACH
    waits = "Northland rules out talks with Southland without guarantees"
    assert _label(talks, waits) is Label.RELATED
    # for a pledge not to negotiate, the refusal stands until then: it is kept
    vow = made_up_watchlist(
        ENTITIES, "no-talks", statement="Northland will not negotiate with Southland."
    )
    unless = "Northland will not negotiate with Southland unless sanctions are lifted"
    assert _label(vow, unless) is Label.MET


def test_a_users_verb_and_object_match_with_a_determiner_between() -> None:
    other = made_up_watchlist(
        ENTITIES,
        "other",
        statement="Northland triggers the snapback.",
        signals='{met: ["triggered snapback"]}',
    )
    assert _label(other, "Northland triggered snapback against Southland") is Label.MET
    assert _label(other, "Northland triggered the snapback against Southland") is Label.MET
    assert _label(other, "Northland triggers its snapback on Southland") is Label.MET
    # a particle after the verb is no object: "pulled out troops" gets no "pulled the out"
    for phrase in ("pulled out troops", "snapback triggered"):
        assert determiner_forms(phrase, [phrase], {}, ["the"], OBJECT_NOT) == []


def test_fighting_named_as_the_time_of_another_event_is_not_reported() -> None:
    truce = made_up_watchlist(ENTITIES, "ceasefire", subjects="[ridge]")
    told = (
        "The envoys of Northland and Southland met in Eastport on Monday, their first meeting "
        "since they held talks during the eruption of fighting on the Ridge."
    )
    assert _label(truce, "Envoys meet", told) is not Label.BREACH
    news = "Fighting erupted between Northern and Southern troops on the Ridge on Tuesday."
    assert _label(truce, "Fighting on the Ridge", news) is Label.BREACH
