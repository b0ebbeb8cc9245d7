"""Reading that carries over to a watchlist a user writes (session 17; made-up parties).

Each case is a general reason a real report was misread with a user's watchlist: a phrase's
other forms crowded out, a refusal of talks, talks held with someone else, an event named
only to date another, hostilities named as known after "despite", a headline's present tense,
the terms of an agreement respected.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.config import parse_config
from monitor.judge import Matcher, engine
from monitor.judge.data import SHIPPED
from monitor.judge.inflect import phrase_forms
from monitor.models import Label
from tests.helpers import first_label, made_up_watchlist

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)

ENTITIES = """
entities:
  north: {name: North, aliases: [North, Northern, Northland]}
  south: {name: South, aliases: [South, Southern, Southland]}
  east: {name: East, aliases: [Eastland, Eastern]}
  front: {name: the Front, aliases: [Front, Liberation Front]}
  capital: {name: the capital region, aliases: [Northport]}
"""


MORE = """  - id: group
    title: Northland does not talk to the Front
    statement: Northland will not negotiate with the Front.
    kind: no-talks
    said_by: A minister
    parties: [north, front]
    subjects: [capital]
    effective: 2025-11-01
  - id: tell
    title: Northland tells Eastland of violations
    statement: Northland will inform Eastland of every violation.
    kind: inform
    said_by: A minister
    parties: [north, east]
    effective: 2025-11-01
"""


def _watchlist(kind: str, signals: str = "{}") -> str:
    return made_up_watchlist(ENTITIES, kind, signals=signals, more=MORE)


def _label(watchlist: str, title: str, text: str = "", at: datetime = AT) -> Label:
    return first_label(watchlist, title, text, at)


def test_a_phrase_varies_each_word_before_the_cap() -> None:
    # Every word's forms come before forms that change two words at once.
    forms = phrase_forms("ruled out talks", SHIPPED.forms)
    assert "rules out talks" in forms
    assert "halting strikes" in phrase_forms("halted strikes", SHIPPED.forms)


def test_a_users_three_word_signal_matches_its_present() -> None:
    other = _watchlist("other", '{breach: ["ruled out talks"]}')
    assert _label(other, "Northland rules out talks with Southland") is Label.BREACH


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # A side turns the talks down: a breach of a promise to hold them.
        ("Northland rules out talks with Southland", Label.BREACH),
        ("Northland has once again refused negotiations with Southland", Label.BREACH),
        ("Northland said it would not enter into direct talks with Southland", Label.BREACH),
        # Talks refused with someone else, or with no one named, are not these talks.
        ("Northland rules out talks with the Front", Label.RELATED),
        ("Northland rejects Front talks, says dialogue only with Southland", Label.RELATED),
        ("Northland's government has repeatedly ruled out negotiations", Label.RELATED),
    ],
)
def test_talks_refused(title: str, label: Label) -> None:
    assert _label(_watchlist("talks"), title) is label


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Northern and Southern delegations held a meeting in Geneva on Monday", Label.MET),
        # One side meets a third party: not the talks between the sides.
        ("The Eastern minister held a meeting with Northern officials on Monday", Label.RELATED),
        ("Talks between Northland and the Front collapsed on Monday", Label.RELATED),
        # A place (another commitment's subject) is not someone the talks are with.
        ("Northport suspends talks with Southland after violence", Label.BREACH),
    ],
)
def test_talks_with_someone_else(title: str, label: Label) -> None:
    assert _label(_watchlist("talks"), title) is label


def test_a_headline_tells_the_talks_in_the_present() -> None:
    title = "First Northland-Southland talks since the war open in Geneva"
    assert _label(_watchlist("talks"), title) is Label.MET


def test_a_truce_named_only_to_date_another_event() -> None:
    text = (
        "On November 5, a day after the truce took hold, Northern lawmakers voted for a budget "
        "that cuts Southern trade."
    )
    got = _label(_watchlist("ceasefire"), "Northern budget passes", text)
    assert got is not Label.MET


def test_hostilities_named_as_known_after_despite() -> None:
    text = (
        "Northern officials said that when Northland later signed a trade deal with Southland "
        "despite the bombings, Eastland protested."
    )
    got = _label(_watchlist("ceasefire"), "Eastland trade row", text)
    assert got is not Label.BREACH


def test_the_terms_of_the_agreement_respected() -> None:
    text = "As of now, Northland and Southland have largely respected the terms of the agreement."
    assert _label(_watchlist("ceasefire"), "A quiet month", text) is Label.MET


def test_a_users_bare_verb_matches_its_past() -> None:
    # "resume kidnappings" also matches "resumed kidnappings" (as "hold talks" did "held").
    other = _watchlist("other", '{breach: ["resume kidnapping*"]}')
    text = "Talks stalled while the Front resumed kidnappings in Northland and Southland."
    assert _label(other, "Kidnappings return", text) is Label.BREACH


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # A violation of an agreement on another matter is not a breach of the truce ...
        (
            "Southland said Northland violated previously made agreements on citizen "
            "participation in the talks.",
            Label.RELATED,
        ),
        # ... but an agreement on the truce itself is the truce.
        ("Southland said Northland violated the agreement on the ceasefire.", Label.BREACH),
    ],
)
def test_a_violation_of_an_agreement_on_something_else(text: str, label: Label) -> None:
    truce = _watchlist("ceasefire", "{breach: [violated]}")
    assert _label(truce, "Northland accused", text) is label


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # "ceasefire talks" hides the truce's words, not what happened to the talks.
        ("Northland-Southland ceasefire talks collapsed on Monday", Label.BREACH),
        ("No agreement was reached at the Northland-Southland talks", Label.BREACH),
        ("Northland-Southland talks entered a second day in Geneva", Label.MET),
    ],
)
def test_talks_failed_or_held_in_plain_words(title: str, label: Label) -> None:
    assert _label(_watchlist("talks"), title) is label


def test_a_party_named_as_a_groups_base_does_not_act() -> None:
    # "Southland-based militants": the militants bombed, not Southland.
    text = (
        "Northland accused Southland-based militants of the suicide bombing at a Northern "
        "court on Monday."
    )
    got = _label(_watchlist("ceasefire"), "Northland accuses militants", text)
    assert got is not Label.BREACH
    control = "Northern and Southern troops clashed on Monday after a bombing at a border post."
    assert _label(_watchlist("ceasefire"), "Clashes", control) is Label.BREACH


def test_one_side_against_another_conflicts_party(monkeypatch: pytest.MonkeyPatch) -> None:
    # A party of another conflict (the shipped ``other_parties``; here a made-up one) fighting
    # one of the sides is not the sides' truce broken.
    others = (*engine._GUARDS["others"], "Westland", "Westlander*")
    monkeypatch.setitem(engine._GUARDS, "others", others)
    truce = _watchlist("ceasefire")
    text = "Westlander officials condemned drone strikes across the border from Northern territory."
    assert _label(truce, "Westland reviews its security", text) is not Label.BREACH
    both = "Northern and Southern troops clashed on Monday, Westlander monitors said."
    assert _label(truce, "Clashes", both) is Label.BREACH
    # A place named "in" it may be the side's own ground, not another conflict's party.
    place = "Northern jets carried out strikes across the border on positions in Westland."
    assert _label(truce, "Strikes", place) is Label.BREACH


def test_the_war_named_before_told_again() -> None:
    text = (
        "It is the twelfth such case since the war between Northland and Southland in June. "
        "That war caused heavy damage to Northern bases and saw the deaths of officers in strikes."
    )
    got = _label(_watchlist("ceasefire"), "Northland hangs a spy", text)
    assert got is not Label.BREACH


WITHDRAWAL = (
    ENTITIES
    + """
  town: {name: Eastvale, aliases: [Eastvale]}
commitments:
  - id: leave
    title: Northland leaves Eastvale and hands it to Southland
    statement: Northern forces will withdraw from Eastvale and hand the town to Southland.
    kind: withdrawal
    said_by: A mediator
    parties: [north, south]
    subjects: [town]
    effective: 2025-11-01
"""
)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # The other side taking over the commitment's area is the withdrawal done ...
        ("Some 500 Southern troops entered Eastvale on Monday, officials said.", Label.MET),
        # ... another town taken over is not.
        ("Some 500 Southern troops entered Westbrook on Monday, officials said.", Label.RELATED),
        # The area given back to the other side; people given back are a release.
        ("Northland returned the town to Southland on Monday.", Label.MET),
        ("Northland returned 40 prisoners to Southland on Monday.", Label.RELATED),
        # A handover named to liken the news to it is not reported.
        (
            "Southern residents protested on Monday, as they did when Northern forces withdrew "
            "from Eastvale.",
            Label.RELATED,
        ),
    ],
)
def test_a_takeover_of_the_commitments_own_area(text: str, label: Label) -> None:
    assert _label(WITHDRAWAL, "Southern army moves", text) is label


RELEASE = (
    ENTITIES
    + """
commitments:
  - id: free
    title: The Front frees those it holds
    statement: The Front will free everyone it holds for ransom.
    kind: release
    said_by: A mediator
    parties: [front, north]
    effective: 2025-11-01
    signals: {met: [freed]}
"""
)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # A pledge verb with "that" and a past form reports what was done ...
        (
            "The Front assured in a statement that its units freed all the hostages it held.",
            Label.MET,
        ),
        # ... with a future, it is still a pledge.
        ("The Front assured Northland that it would free all the hostages it held.", Label.RELATED),
    ],
)
def test_assured_that_it_was_done(text: str, label: Label) -> None:
    assert _label(RELEASE, "Front statement", text) is label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # A user's irregular past ("withdrew from") after "to" is a plan or an agreement ...
        ("The Front to withdraw from Eastvale in the north", Label.RELATED),
        ("News centred on the Front and its decision to withdraw from Eastvale.", Label.RELATED),
        # ... and the event itself still counts.
        ("The Front withdrew from Eastvale on Monday.", Label.MET),
    ],
)
def test_a_users_irregular_past_after_to_is_a_plan(text: str, label: Label) -> None:
    leave = WITHDRAWAL.replace(
        "parties: [north, south]",
        "parties: [front, north]\n    signals: {met: [withdrew from Eastvale]}",
    )
    assert _label(leave, "Front to leave", text) is label


def test_a_group_named_only_as_the_one_not_talked_to() -> None:
    text = (
        "The minister said Northland held talks in Geneva only with Southland and will not "
        "negotiate with the banned Liberation Front."
    )
    cfg = parse_config(_watchlist("talks"), env={})
    verdicts = Matcher(cfg.commitments, cfg.entities).judge("Minister interview", text, AT)
    group = next(v for v in verdicts if v.commitment_id == "group")
    assert group.label is not Label.BREACH


def test_a_condition_for_extending_the_truce_is_not_its_extension() -> None:
    text = (
        "The Front had insisted on being removed from the Northern list of armed groups as a "
        "condition for extending the ceasefire with Northland."
    )
    truce = _watchlist("ceasefire").replace("parties: [north, south]", "parties: [north, front]")
    assert _label(truce, "Front demands", text) is not Label.MET


def test_hostilities_weighed_not_told() -> None:
    text = (
        "The pause follows the Northern realisation of the limited effectiveness of airstrikes "
        "on Southern positions along the border."
    )
    assert _label(_watchlist("ceasefire"), "Analysis", text) is not Label.BREACH


def test_hostilities_that_have_not_ceased() -> None:
    # Published the day after the truce: "despite the announcement" links it to the truce.
    text = (
        "Northland and Southland announced a truce on Monday. Despite the announcement, reports "
        "suggest that hostilities have not ceased."
    )
    at = datetime(2025, 11, 1, 18, tzinfo=UTC)
    assert _label(_watchlist("ceasefire"), "Truce announced", text, at) is Label.BREACH


def test_looking_forward_to_it_is_a_hope() -> None:
    text = (
        "Northland looks forward to a monitoring mechanism with Southland at the next meeting "
        "in Geneva."
    )
    talks = _watchlist("talks", '{met: ["monitoring mechanism"]}')
    assert _label(talks, "Northland's hopes", text) is not Label.MET


def test_ground_retaken_is_fighting() -> None:
    text = "Northern forces have recaptured a town from Southland near the border."
    assert _label(_watchlist("ceasefire"), "Analysis", text) is Label.BREACH
