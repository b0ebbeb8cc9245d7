"""Plain English the judge must read in any conflict (made-up parties; no conflict's words).

Each case is a general reason a real report was missed: a party named only as the one
told, a list that goes on after a comma, ...
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.config import parse_config
from monitor.judge import Matcher
from monitor.models import Label

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)

ENTITIES = """
entities:
  north: {name: North, aliases: [North, Northern, Northland]}
  south: {name: South, aliases: [South, Southern, Southland]}
  east: {name: East, aliases: [Eastland, Eastern]}
  west: {name: West, aliases: [Westland]}
  front: {name: the Front, aliases: [Front, Liberation Front]}
"""

INFORM = (
    ENTITIES
    + """
commitments:
  - id: tell
    title: Northland reports violations to Eastland
    statement: Northland will report every Southern violation to Eastland.
    kind: inform
    said_by: A minister
    parties: [north, east]
    effective: 2025-10-20
    signals: {met: ["filed a complaint"]}
"""
)


def _label(watchlist: str, title: str, text: str = "", at: datetime = AT) -> Label:
    cfg = parse_config(watchlist, env={})
    return Matcher(cfg.commitments, cfg.entities).judge(title, text, at)[0].label


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # The parties after the first are the ones told, whatever the kind's role words.
        ("Northland informed Eastland of the Southern violations on Monday", Label.MET),
        ("Northland contacted Eastern officials about Southern violations", Label.MET),
        # A complaint filed with those it must tell; with someone else, or with no one named.
        ("Northland filed a complaint with Eastland over Southern violations", Label.MET),
        ("Northland filed a complaint with Westland over Southern violations", Label.RELATED),
        # Someone else told is not the commitment kept.
        ("Northland informed Westland of the Southern violations on Monday", Label.RELATED),
        # A list after a comma goes on with the clause.
        (
            "Northland shared a dossier on Southern violations with envoys, including those of "
            "Eastland, on Monday",
            Label.MET,
        ),
    ],
)
def test_inform_the_parties_told(title: str, label: Label) -> None:
    assert _label(INFORM, title) is label


TALKS = (
    ENTITIES
    + """
commitments:
  - id: round
    title: Northland and Southland meet again in Geneva
    statement: Northland and Southland will hold a second round of talks in Geneva.
    kind: talks
    said_by: A mediator
    parties: [north, south]
    effective: 2025-10-20
"""
)


@pytest.mark.parametrize(
    ("title", "text", "label"),
    [
        # The talks not taking place is their failure.
        ("The talks due this week did not take place, Northland said", "", Label.BREACH),
        ("Northern and Southern talks have never been held, a mediator said", "", Label.BREACH),
        # Declining to say whether a party will attend is no refusal.
        (
            "Northland declined to say whether it would attend another round of talks",
            "",
            Label.RELATED,
        ),
        # The commitment's own venue names the talks when no party is named.
        ("No date has been set for a return to talks in Geneva", "", Label.BREACH),
        # ... but not other parties' talks at the same venue.
        ("Geneva talks: Westland and Armenia agree a mechanism to verify steps", "", Label.NONE),
    ],
)
def test_talks_that_did_not_happen(title: str, text: str, label: Label) -> None:
    assert _label(TALKS, title, text) is label


STANCE = (
    ENTITIES
    + """
commitments:
  - id: blockade
    title: Northland keeps its blockade of Southland
    statement: Northland will keep its blockade of Southland until Southland pays.
    kind: other
    said_by: A minister
    parties: [north, south]
    topics: [blockade]
    effective: 2025-10-20
    signals: {breach: ["blockade lifted"], met: ["never be lifted", "not be lifted"]}
"""
)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # "Will never" states a position: the user's own negated signal counts.
        ("Northland says the blockade of Southland will never be lifted", Label.MET),
        ("Northland said the blockade of Southland would not be lifted", Label.MET),
        # "May never" is what may happen.
        ("The blockade of Southland may never be lifted, Northland officials fear", Label.RELATED),
    ],
)
def test_a_stated_position(title: str, label: Label) -> None:
    assert _label(STANCE, title) is label


CEASEFIRE = (
    ENTITIES
    + """
commitments:
  - id: truce
    title: Northland and Southland stop firing
    statement: Northland and Southland will stop all firing from midnight.
    kind: ceasefire
    said_by: A mediator
    parties: [north, south]
    effective: 2025-11-12
    ongoing: true
"""
)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # Observed on the first morning: the truce took hold (not its announcement).
        ("The Northland-Southland truce took hold overnight, residents said", Label.MET),
        ("The first night passed without strikes on the Northland-Southland border", Label.MET),
        ("The Northland-Southland truce holds on its first morning", Label.MET),
        # Said on the first morning: the pledge renewed, too soon to be evidence.
        ("Northland and Southland said they were committed to the truce", Label.RELATED),
    ],
)
def test_calm_seen_on_the_first_day(title: str, label: Label) -> None:
    assert _label(CEASEFIRE, title, at=datetime(2025, 11, 12, 9, tzinfo=UTC)) is label


WITHDRAWAL = (
    ENTITIES
    + """
commitments:
  - id: pullback
    title: Northland withdraws its troops from Southland
    statement: Northland will withdraw its troops from Southland within ninety days.
    kind: withdrawal
    said_by: A mediator
    parties: [north, south]
    effective: 2025-10-20
"""
)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # "Still" inside the signal makes it a current state, whatever "in recent weeks" says.
        (
            "Monitors said Northern troops were still deployed in Southland in recent weeks",
            Label.BREACH,
        ),
    ],
)
def test_withdrawal_states(title: str, label: Label) -> None:
    assert _label(WITHDRAWAL, title) is label


@pytest.mark.parametrize(
    ("title", "label"),
    [("The last Northern soldiers left the border zone on Tuesday, the monitors said", Label.MET)],
)
def test_soldiers_leaving(title: str, label: Label) -> None:
    assert _label(WITHDRAWAL, title) is label


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # Militants named only in a later clause do not make the strike theirs.
        ("Northern jets struck targets across the border, killing 20 militants", Label.BREACH),
        # ... but militants before the hostilities are the ones acting.
        ("Militants attacked a Northern post near the border on Monday", Label.RELATED),
    ],
)
def test_militants_and_the_parties(title: str, label: Label) -> None:
    assert _label(CEASEFIRE, title, at=LATER) is label


LATER = datetime(2025, 11, 20, 9, tzinfo=UTC)  # a week into the CEASEFIRE truce
DAY_ONE = datetime(2025, 11, 12, 9, tzinfo=UTC)  # its first morning


@pytest.mark.parametrize(
    ("at", "title", "label"),
    [
        # On the first day, hostilities not tied to the truce are the fighting it ended ...
        (DAY_ONE, "Northern drones struck Southern border posts, killing five", Label.RELATED),
        (
            DAY_ONE,
            "The two sides agreed to the truce after a week of Northern and Southern strikes",
            Label.RELATED,
        ),
        # ... tied to it, they break it ...
        (
            DAY_ONE,
            "Explosions were heard in Southern border towns hours after Northland and Southland "
            "announced the truce",
            Label.BREACH,
        ),
        (
            DAY_ONE,
            "Southland said Northern drones struck its posts in violation of the truce",
            Label.BREACH,
        ),
        # ... and a week later they are news ...
        (LATER, "Northern drones struck Southern border posts, killing five", Label.BREACH),
        # ... unless someone only warns of them.
        (
            LATER,
            "Analysts warn that a breakdown of talks could bring renewed Northern and Southern "
            "border clashes",
            Label.RELATED,
        ),
    ],
)
def test_hostilities_on_the_first_day(at: datetime, title: str, label: Label) -> None:
    assert _label(CEASEFIRE, title, at=at) is label


MIXED = (
    ENTITIES
    + """
commitments:
  - id: truce
    title: Northland and Southland stop firing
    statement: Northland and Southland will stop all firing from midnight.
    kind: ceasefire
    said_by: A mediator
    parties: [north, south]
    effective: 2025-10-20
    ongoing: true
  - id: round
    title: Northland and Southland meet again
    statement: The two delegations will meet again next month.
    kind: talks
    said_by: A mediator
    parties: [north, south]
    effective: 2025-10-20
  - id: pullback
    title: Northland pulls back its troops
    statement: Northland will pull its troops back from the frontier villages.
    kind: withdrawal
    said_by: A mediator
    parties: [north, south]
    effective: 2025-10-20
"""
)


@pytest.mark.parametrize(
    ("commitment", "title", "label"),
    [
        # Another kind's words inside a signal do not hide it: "struck ... truce" is no truce
        # agreed, "pulled out of the talks" no troops withdrawn.
        ("truce", "Northern drones struck Southern positions despite the truce", Label.BREACH),
        ("round", "Northland pulled out of the talks with Southland on Monday", Label.BREACH),
        ("pullback", "Northland pulled out of the talks with Southland on Monday", Label.RELATED),
        # Fire named by its weapon, and a calm frontier.
        ("truce", "Northern artillery hit Southern border towns on Wednesday", Label.BREACH),
        (
            "truce",
            "Two Southern soldiers were wounded when a landmine exploded near the border",
            Label.BREACH,
        ),
        ("truce", "The Northland-Southland border was calm on Monday, residents said", Label.MET),
    ],
)
def test_several_kinds_in_one_watchlist(commitment: str, title: str, label: Label) -> None:
    cfg = parse_config(MIXED, env={})
    verdicts = Matcher(cfg.commitments, cfg.entities).judge(title, "", AT)
    assert next(v for v in verdicts if v.commitment_id == commitment).label is label


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # The event in the words of the pledge is the event, not a recap of the pledge.
        ("Northland pulled its troops back from the frontier villages on Monday", Label.MET),
        # The pledge's own words repeated are a recap.
        ("Northland will pull its troops back from the frontier villages, it said", Label.RELATED),
    ],
)
def test_the_event_in_the_pledges_words(title: str, label: Label) -> None:
    cfg = parse_config(MIXED, env={})
    verdicts = Matcher(cfg.commitments, cfg.entities).judge(title, "", AT)
    assert next(v for v in verdicts if v.commitment_id == "pullback").label is label


THIRD = (
    MIXED
    + """
  - id: west-pullback
    title: Westland leaves Southland
    statement: Westland will leave Southland.
    kind: withdrawal
    said_by: A mediator
    parties: [west, south]
    effective: 2025-10-20
  - id: swap
    title: Northland and Southland swap prisoners
    statement: Northland and Southland will swap all prisoners.
    kind: release
    said_by: A mediator
    parties: [north, south]
    effective: 2025-10-20
"""
)


@pytest.mark.parametrize(
    ("commitment", "title", "label"),
    [
        # Who fires: a party, or another commitment's party acting on its own.
        ("truce", "Northern drones killed two Southern civilians on Monday", Label.BREACH),
        ("truce", "Soldiers killed near the Northland-Southland border", Label.RELATED),
        ("truce", "Westland drones killed two Southern civilians at the border", Label.RELATED),
        ("truce", "Westland shelling hit Southern villages at the border", Label.RELATED),
        ("truce", "Two Southern soldiers were killed near the border on Monday", Label.RELATED),
        # Plain words for the other kinds.
        (
            "round",
            "Talks between Northland and Southland ended after an hour without any result",
            Label.BREACH,
        ),
        (
            "swap",
            "The Red Cross facilitated the release of 30 Northern detainees by Southland",
            Label.MET,
        ),
        (
            "pullback",
            "Northland has pulled its heavy weapons back from the frontier, Southland said",
            Label.MET,
        ),
    ],
)
def test_who_acts_and_plain_words(commitment: str, title: str, label: Label) -> None:
    cfg = parse_config(THIRD, env={})
    verdicts = Matcher(cfg.commitments, cfg.entities).judge(title, "", AT)
    assert next(v for v in verdicts if v.commitment_id == commitment).label is label


DEADLINE = (
    ENTITIES
    + """
commitments:
  - id: leave
    title: Northland leaves the frontier villages within 60 days
    statement: Over the next 60 days Northland will withdraw its forces from the frontier villages.
    kind: withdrawal
    said_by: A mediator
    parties: [north, south]
    effective: 2025-10-20
    deadline: 2025-12-19
"""
)


@pytest.mark.parametrize(
    ("at", "title", "label"),
    [
        # Still there before the deadline: the pledge gives time to leave.
        (AT, "Northern forces remain in the frontier villages, Southland said", Label.RELATED),
        # ... after it, a breach.
        (
            datetime(2025, 12, 22, 9, tzinfo=UTC),
            "Northern forces remain in the frontier villages, Southland said",
            Label.BREACH,
        ),
        # Other breaches do not wait for the deadline.
        (AT, "Northland sent more troops into the frontier villages on Monday", Label.BREACH),
    ],
)
def test_presence_before_the_deadline(at: datetime, title: str, label: Label) -> None:
    assert _label(DEADLINE, title, at=at) is label


HAVEN = (
    ENTITIES
    + """
commitments:
  - id: haven
    title: No Front bases in Northland
    statement: Northland will not let the Front use its soil.
    kind: no-sanctuary
    said_by: A minister
    parties: [north, front]
    effective: 2025-10-20
    signals: {breach: ["operating from Northern soil"]}
"""
)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # A denied (or doubted) claim that something is not so: it is so.
        (
            "A monitors' report dismissed Northland's claims that the Front is not operating "
            "from Northern soil",
            Label.BREACH,
        ),
        (
            "A report cast doubt on claims that the Front is not operating from Northern soil",
            Label.BREACH,
        ),
        # A plain negation stays one.
        ("Northland said the Front is not operating from Northern soil", Label.RELATED),
    ],
)
def test_a_denied_negation(title: str, label: Label) -> None:
    assert _label(HAVEN, title) is label


@pytest.mark.parametrize(
    ("at", "label"),
    [
        # Said as the pledge was made (its first two days): why it was made, not a breach.
        (datetime(2025, 10, 21, 9, tzinfo=UTC), Label.RELATED),
        (AT, Label.BREACH),
    ],
)
def test_a_sanctuary_claim_as_the_pledge_is_made(at: datetime, label: Label) -> None:
    title = "Northland officials said the Front is operating from Northern soil"
    assert _label(HAVEN, title, at=at) is label


def test_rubbishing_a_report_denies_it() -> None:
    title = "Northland rubbishes reports that its troops shelled Southern posts on Monday"
    assert _label(CEASEFIRE, title, at=LATER) is not Label.BREACH


def test_the_headline_says_what_is_reported() -> None:
    """Both labels count: the one the headline alone carries is what the article reports."""
    cfg = parse_config(THIRD, env={})
    matcher = Matcher(cfg.commitments, cfg.entities)
    title = "Northland frees 50 Southern prisoners"
    text = "Southland said Northland had refused to release hundreds more Southern prisoners."
    swap = next(v for v in matcher.judge(title, text, LATER) if v.commitment_id == "swap")
    assert swap.label is Label.MET
    untitled = next(
        v for v in matcher.judge("", f"{title}. {text}", LATER) if v.commitment_id == "swap"
    )
    assert untitled.label is Label.BREACH


@pytest.mark.parametrize(
    ("title", "text", "label"),
    [
        # What was due did not happen: said of the commitment itself ...
        ("", "No Southern prisoners have been released by Northland so far.", Label.BREACH),
        # ... not in a sentence that borrows the article's context ("has not released details").
        (
            "Northland and Southland leaders meet on the prisoner swap",
            "The mediators have not released details.",
            Label.RELATED,
        ),
        # Officials' papers released are not people freed.
        ("Northland released a statement on the Southern prisoners", "", Label.RELATED),
    ],
)
def test_not_released(title: str, text: str, label: Label) -> None:
    cfg = parse_config(THIRD, env={})
    verdicts = Matcher(cfg.commitments, cfg.entities).judge(title, text, LATER)
    assert next(v for v in verdicts if v.commitment_id == "swap").label is label


@pytest.mark.parametrize(
    ("at", "title", "label"),
    [
        # Clearing old munitions is not firing them; a place's past in the war is background.
        (
            LATER,
            "Southern deminers removed unexploded Northern shells near the border",
            Label.RELATED,
        ),
        (
            LATER,
            "Northern troops left the border village, which saw weeks of heavy fighting during "
            "the war",
            Label.RELATED,
        ),
        # Strikes before a truce, however "fresh", came before it.
        (
            LATER,
            "A second Northland-Southland truce was agreed on Sunday after fresh Northern strikes",
            Label.RELATED,
        ),
        # Villages affected by shelling before: the damage, not new fire; calm returning is met.
        (
            LATER,
            "Southern border villages affected by Northern shelling had fallen silent",
            Label.RELATED,
        ),
        (LATER, "Cautious calm returns to Northland-Southland border villages", Label.MET),
        (LATER, "Life on the Northland-Southland border has returned to normal", Label.MET),
        # A truce that seems to hold, on its first day.
        (DAY_ONE, "The Northland-Southland truce appears to be holding", Label.MET),
    ],
)
def test_truce_background_and_appearances(at: datetime, title: str, label: Label) -> None:
    assert _label(CEASEFIRE, title, at=at) is label


def test_what_was_to_happen_is_a_plan() -> None:
    cfg = parse_config(MIXED, env={})
    title = "Northland was to pull its troops back from the frontier villages by Monday"
    verdicts = Matcher(cfg.commitments, cfg.entities).judge(title, "", LATER)
    assert next(v for v in verdicts if v.commitment_id == "pullback").label is not Label.MET


NO_TALKS = (
    ENTITIES
    + """
commitments:
  - id: shun
    title: No talks with the Front
    statement: Northland will not negotiate with the Front.
    kind: no-talks
    said_by: A minister
    parties: [north, front]
    effective: 2025-10-20
"""
)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Northland officials held talks with the Front on Monday", Label.BREACH),
        # The group named only as the one it is not.
        (
            "Northland officials held talks only with Southland, not with the Liberation Front "
            "(Front)",
            Label.RELATED,
        ),
    ],
)
def test_talks_not_with_the_group(title: str, label: Label) -> None:
    got = _label(NO_TALKS, title)
    assert got is label if label is Label.BREACH else got is not Label.BREACH


@pytest.mark.parametrize(
    "title",
    [
        "Northland-Southland talks falter as fighting resumes",
        "Northland and Southland miss deadline to reach a deal at the Geneva talks",
        "Northland and Southland fail to meet the deadline for a deal at their talks",
    ],
)
def test_talks_that_falter_or_miss_a_deadline(title: str) -> None:
    assert _label(TALKS, title) is Label.BREACH


def test_a_claim_called_false() -> None:
    title = "Claims of Northern shelling at the Southland border are disinformation, Northland said"
    assert _label(CEASEFIRE, title, at=LATER) is not Label.BREACH
    assert _label(CEASEFIRE, "Claims of Northern shelling at the border grew", at=LATER) is (
        Label.BREACH
    )


def test_a_port_handed_to_fighters_is_no_release() -> None:
    cfg = parse_config(THIRD, env={})
    title = "Northland handed the port to its own fighters in Southern uniforms"
    verdicts = Matcher(cfg.commitments, cfg.entities).judge(title, "", LATER)
    assert next(v for v in verdicts if v.commitment_id == "swap").label is not Label.MET


ROAD = (
    ENTITIES
    + """
commitments:
  - id: road
    title: Northland keeps the road to Southland open
    statement: Northland will keep the road to Southland open.
    kind: other
    said_by: A minister
    parties: [north, south]
    topics: [road]
    effective: 2025-10-20
    signals: {breach: [closed the road, stranding], met: [reopened the road]}
"""
)


def test_weather_is_no_party() -> None:
    snow = "Heavy snowfall closed the road to Southland for a day, stranding Northern trucks"
    block = "Northern police closed the road to Southland for a day, stranding trucks"
    assert _label(ROAD, snow, at=LATER) is not Label.BREACH
    assert _label(ROAD, block, at=LATER) is Label.BREACH


def test_the_talks_in_the_pledges_words_failed() -> None:
    """A two-cue signal's event is its predicate: "the second round of talks in Geneva" is the
    pledge's wording, "produced no agreement" is what happened."""
    title = "The second round of talks in Geneva produced no agreement, Northland said"
    assert _label(TALKS, title) is Label.BREACH


@pytest.mark.parametrize(
    ("title", "label"),
    [
        (
            "Northland said violations by Southern forces are still occurring at the border",
            Label.BREACH,
        ),
        ("No violations were reported along the Northland-Southland border on Monday", Label.MET),
    ],
)
def test_violations_occurring(title: str, label: Label) -> None:
    assert _label(CEASEFIRE, title, at=LATER) is label


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("চমন সীমান্তে পাকিস্তান ও আফগানিস্তানের মধ্যে গোলাগুলি হয়েছে বলে কর্মকর্তারা জানিয়েছেন", "bn"),
        ("எல்லையில் இரு நாடுகளின் படைகளுக்கும் இடையே துப்பாக்கிச் சண்டை நடந்தது என்று அதிகாரிகள் கூறினர்", "ta"),
        ("နယ်စပ်တွင် တပ်နှစ်ခုကြား တိုက်ပွဲဖြစ်ပွားကြောင်း ဒေသခံများက ပြောကြားသည်", "my"),
    ],
)
def test_scripts_it_does_not_read_are_marked(text: str, lang: str) -> None:
    cfg = parse_config(CEASEFIRE, env={})
    verdict = Matcher(cfg.commitments, cfg.entities).judge(text, text, LATER)[0]
    assert verdict.language == lang


def test_forces_disengaged_from_the_front_line() -> None:
    title = "Northland said it had disengaged most of its fighters from the front lines"
    assert _label(CEASEFIRE, title, at=LATER) is Label.MET


def test_ground_taken() -> None:
    title = "Northern forces surrounded two Southern border villages on Friday"
    assert _label(CEASEFIRE, title, at=LATER) is Label.BREACH


def test_failed_to_hand_over() -> None:
    cfg = parse_config(THIRD, env={})
    title = "Southland said Northland had failed to hand over the bodies it had promised"
    verdicts = Matcher(cfg.commitments, cfg.entities).judge(title, "", LATER)
    assert next(v for v in verdicts if v.commitment_id == "swap").label is Label.BREACH


@pytest.mark.parametrize(
    "title",
    [
        # Casualties "after" hostilities: their toll now, not an earlier event.
        "Two Southern soldiers were wounded after Northern shelling hit their border post",
        "Two Northern soldiers lost their legs after stepping on a landmine on the border",
    ],
)
def test_casualties_after_hostilities(title: str) -> None:
    assert _label(CEASEFIRE, title, at=LATER) is Label.BREACH


RELEASED = (
    ENTITIES
    + """
commitments:
  - id: freed
    title: Northland frees Southern prisoners
    statement: Northland will free all Southern prisoners.
    kind: other
    said_by: A minister
    parties: [north, south]
    topics: [prisoners]
    effective: 2025-10-20
    signals: {met: [released]}
"""
)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # The user's verb, in another form, is the event ...
        ("Northland releases 50 Southern prisoners", Label.MET),
        # ... but after a noun or a determiner, its -s form is the thing.
        ("Prisoner releases by Northland are the next step, Southland said", Label.RELATED),
    ],
)
def test_a_verb_signal_and_its_noun(title: str, label: Label) -> None:
    assert _label(RELEASED, title, at=LATER) is label
