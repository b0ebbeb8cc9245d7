"""Issue 7's named failure modes, each with short hand-written sentences (no conflict's words).

The watchlist binds made-up parties (Northland, Southland) and a made-up armed group (the
Front) with one commitment of each kind that real news reports; every case names the one
commitment it checks. The issue's other items are tested where their feature lives:

- a user's ``violat*`` / ``breach*`` counts: ``test_inflect::test_a_users_violat_signal_counts``;
- "refused to" ~ "refusing to", "does not belong" ~ "do not belong":
  ``test_inflect::test_forms_of_a_phrase`` and ``test_a_user_phrase_matches_its_inflections``;
- required topics: ``test_watchlist_power::test_required_topics``;
- an ``exclude`` name also rules out its people and adjective (its demonyms):
  ``test_inflect::test_demonyms_of_an_excluded_name`` and
  ``test_an_excluded_name_excludes_its_people``; applied to the headline:
  ``test_watchlist_power::test_an_excluded_word_in_the_headline_rules_the_article_out``;
- ``effective`` as a date-time with a zone:
  ``test_watchlist_power::test_effective_is_a_date_time_with_a_time_zone``;
- an article in another language is marked, not silently ``none``: ``test_language``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.config import parse_config
from monitor.judge import Matcher
from monitor.models import Label

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)

WATCHLIST = """
entities:
  north: {name: North, aliases: [North, Northern, Northland, Northport]}
  south: {name: South, aliases: [South, Southern, Southland, Southville]}
  front: {name: Front, aliases: [the Front, Front fighters, Front militants]}
commitments:
  - id: truce
    title: Northland-Southland ceasefire holds
    statement: No cross-border violations will be tolerated.
    kind: ceasefire
    said_by: A minister
    parties: [north, south]
    effective: 2025-10-19
    ongoing: true
  - id: talks
    title: Follow-up talks
    statement: The two sides will meet again in Geneva.
    kind: talks
    said_by: A minister
    parties: [north, south]
    topics: [talks]
    effective: 2025-10-20
  - id: haven
    title: No Front haven in Southland
    statement: Southland will not let the Front use its soil.
    kind: no-sanctuary
    said_by: A minister
    parties: [south, front]
    effective: 2025-10-20
  - id: swap
    title: Prisoners exchanged
    statement: Both sides will free their prisoners.
    kind: release
    said_by: A mediator
    parties: [north, south]
    effective: 2025-10-20
"""

_CFG = parse_config(WATCHLIST, env={})
MATCHER = Matcher(_CFG.commitments, _CFG.entities)


def _label(commitment: str, title: str, text: str = "") -> Label:
    verdicts = {v.commitment_id: v for v in MATCHER.judge(title, text, AT)}
    return verdicts[commitment].label


def _is(commitment: str, title: str, label: Label) -> None:
    got = _label(commitment, title)
    if label in (Label.BREACH, Label.MET):
        assert got is label, (title, got)
    else:  # not evidence: related or none
        assert got not in (Label.BREACH, Label.MET), (title, got)


@pytest.mark.parametrize(
    ("commitment", "title", "label"),
    [
        # Background and recaps: a recap naming the ceasefire's date is not a new event.
        (
            "truce",
            "Shelling resumed on Tuesday, weeks after Northern and Southern forces clashed before "
            "the two sides agreed to a ceasefire in Geneva on October 19",
            Label.RELATED,
        ),
        (
            "truce",
            "The attack came months after Northern and Southern forces clashed, before the two "
            "sides agreed to a ceasefire on October 19",
            Label.RELATED,
        ),
        # ... while a recap that reports events after the truce is read at their own dates.
        (
            "truce",
            "Since the truce of October 19, Northern and Southern troops have clashed three "
            "times, most recently on November 10",
            Label.BREACH,
        ),
        (
            "truce",
            "Northland and Southland fought for a week in October before agreeing a truce on "
            "October 19; on Tuesday their troops clashed again",
            Label.BREACH,
        ),
        (
            "truce",
            "Since the truce of October 19 there have been no clashes between Northern and "
            "Southern troops",
            Label.MET,
        ),
    ],
)
def test_background_and_recaps(commitment: str, title: str, label: Label) -> None:
    _is(commitment, title, label)


@pytest.mark.parametrize(
    ("commitment", "title", "label"),
    [
        # Police of one country arresting a cell guided from the other: not the territory's
        # government acting against the group.
        ("haven", "Northern police arrested a Front cell guided from Southland", Label.NONE),
        ("haven", "Southern police arrested Front fighters in Southville on Tuesday", Label.MET),
        # One side's operation inside its own territory is not a clash between the parties.
        (
            "truce",
            "Southland condemned Northern air strikes on Front hideouts inside Northland on "
            "Tuesday",
            Label.RELATED,
        ),
        (
            "truce",
            "Northern forces carried out air strikes on militant hideouts in Northland's own "
            "border district on Tuesday, Southland said",
            Label.RELATED,
        ),
        ("truce", "Northern jets struck Front hideouts inside Southland on Tuesday", Label.BREACH),
        (
            "truce",
            "Southern troops shelled Northern positions in Northland on Tuesday",
            Label.BREACH,
        ),
        (
            "truce",
            "Southland said Northern strikes in Southland killed ten people on Tuesday",
            Label.BREACH,
        ),
        # Refusing an offer to relocate is not the relocation.
        (
            "haven",
            "Southland refused the offer to relocate Front fighters away from the border",
            Label.RELATED,
        ),
        (
            "haven",
            "The Front commanders refused the offer to relocate away from the border",
            Label.RELATED,
        ),
        # The territory's government refusing to act against the group is a breach claim.
        (
            "haven",
            "Northland said Southland refused to act against the Front, which it blamed for "
            "Tuesday's attack",
            Label.BREACH,
        ),
        # Attacks launched from the territory, named without the group: a sanctuary claim.
        (
            "haven",
            "Northland said attacks originating from Southland were continuing",
            Label.BREACH,
        ),
        # The subject of a dispute is not asserted ("talks stalled over disagreements about ...").
        (
            "haven",
            "The talks stalled over disagreements about Front attacks launched from Southland",
            Label.RELATED,
        ),
        (
            "talks",
            "The talks stalled over disagreements about Front attacks launched from Southland",
            Label.BREACH,
        ),
    ],
)
def test_roles(commitment: str, title: str, label: Label) -> None:
    _is(commitment, title, label)


@pytest.mark.parametrize(
    ("commitment", "title", "label"),
    [
        (
            "talks",
            "Talks between Northland and Southland reached an impasse on Tuesday",
            Label.BREACH,
        ),
        (
            "talks",
            "The talks between Northland and Southland failed to secure an agreement on Tuesday",
            Label.BREACH,
        ),
        (
            "talks",
            "The Northland-Southland talks ended with no final agreement on Tuesday",
            Label.BREACH,
        ),
        # "Discussions" is the talks, not an intent to discuss.
        (
            "talks",
            "Northland said the discussions with Southland have yet to produce results",
            Label.BREACH,
        ),
        (
            "truce",
            "Northland and Southland said the cessation of all hostilities was holding on Tuesday",
            Label.MET,
        ),
        (
            "swap",
            "The bodies of four Southern soldiers were returned by Northland on Tuesday",
            Label.MET,
        ),
        ("swap", "Northland returned the bodies of four Southern soldiers on Tuesday", Label.MET),
    ],
)
def test_vocabulary(commitment: str, title: str, label: Label) -> None:
    _is(commitment, title, label)


@pytest.mark.parametrize(
    ("commitment", "title", "label"),
    [
        # A release inside the truce is the release's evidence, not the truce's.
        (
            "truce",
            "Northland released 20 Southern prisoners under the truce on Tuesday",
            Label.NONE,
        ),
        ("swap", "Northland released 20 Southern prisoners under the truce on Tuesday", Label.MET),
        (
            "truce",
            "Soldiers captured in the clashes were freed by Northland on Tuesday",
            Label.NONE,
        ),
        ("swap", "Soldiers captured in the clashes were freed by Northland on Tuesday", Label.MET),
    ],
)
def test_commitments_sharing_parties_do_not_leak(commitment: str, title: str, label: Label) -> None:
    _is(commitment, title, label)


def test_talks_held_with_the_group_are_not_masked_by_the_talks_kind() -> None:
    """A talks commitment's "held talks" event is itself the no-talks breach."""
    text = """
entities:
  north: {name: North, aliases: [North, Northern, Northland]}
  front: {name: Front, aliases: [the Front]}
commitments:
  - id: meet
    title: Talks held
    statement: Northland will hold talks with its neighbour.
    kind: talks
    said_by: A minister
    parties: [north]
  - id: never
    title: No talks with the Front
    statement: Northland will never talk to the Front.
    kind: no-talks
    said_by: A minister
    parties: [north, front]
"""
    cfg = parse_config(text, env={})
    verdicts = Matcher(cfg.commitments, cfg.entities).judge(
        "Northern officials held talks with the Front in the hills on Tuesday", "", AT
    )
    assert {v.commitment_id: v.label for v in verdicts}["never"] is Label.BREACH


@pytest.mark.parametrize(
    "title",
    [
        "Talks between Northland and Southland may take place next week in Geneva",
        "Talks between Northland and Southland could be held next week",
        "The talks between Northland and Southland are expected to open in Geneva next week",
        "The next round of talks between Northland and Southland will be held in Geneva next month",
    ],
)
def test_modality_is_not_a_fact(title: str) -> None:
    assert _label("talks", title) not in (Label.MET, Label.BREACH)


@pytest.mark.parametrize(
    ("commitment", "title", "label"),
    [
        (
            "truce",
            "Since the ceasefire of October 19, Northern and Southern troops have clashed "
            "repeatedly along the border",
            Label.BREACH,
        ),
        (
            "truce",
            "Since the truce of October 19 the border between Northland and Southland has "
            "been quiet",
            Label.MET,
        ),
        (
            "truce",
            "Before the truce of October 19, Northern and Southern troops clashed for a week",
            Label.RELATED,
        ),
        (
            "truce",
            "Days before the truce expired, Northern and Southern troops clashed again",
            Label.BREACH,
        ),
        (
            "truce",
            "Northland has repeatedly accused Southland of violating the ceasefire",
            Label.RELATED,
        ),
        # Talks: the next round put off, unscheduled or without a date.
        (
            "talks",
            "The next round of Northland-Southland talks, postponed twice since October, has not "
            "been rescheduled",
            Label.BREACH,
        ),
        (
            "talks",
            "No date has been set for the next round of talks between Northland and Southland",
            Label.BREACH,
        ),
        (
            "talks",
            "The Northland-Southland talks were adjourned without a date for the next round",
            Label.BREACH,
        ),
        (
            "talks",
            "Northland and Southland agreed to meet again for a next round of talks in Geneva",
            Label.RELATED,
        ),
        (
            "talks",
            "No date for the next Northland-Southland talks, the envoy says",
            Label.BREACH,
        ),
        # "Still" makes "months after the deal" the present, not a recap.
        (
            "truce",
            "Northern troops still clash with Southern forces months after the deal",
            Label.BREACH,
        ),
        (
            "truce",
            "Northern and Southern troops clashed months after the deal, residents recalled",
            Label.RELATED,
        ),
    ],
)
def test_recaps_and_next_rounds(commitment: str, title: str, label: Label) -> None:
    _is(commitment, title, label)


@pytest.mark.parametrize(
    ("title", "text", "label"),
    [
        # A timeline reads each event at its own date.
        (
            "Timeline: the Northland-Southland truce",
            "October 12: Northern and Southern troops clash along the border. October 19: the "
            "two sides agree a truce in Geneva. November 10: Northern and Southern troops clash "
            "again near Southville.",
            Label.BREACH,
        ),
        (
            "Timeline: how the Northland-Southland truce came about",
            "October 12: Northern and Southern troops clash along the border. October 15: "
            "Southern drones strike a Northern depot. October 19: the two sides agree a truce.",
            Label.RELATED,
        ),
        (
            "Since the truce: what has happened on the Northland-Southland border",
            "Since the truce of October 19, the border has seen two serious incidents. On "
            "November 3, Northern and Southern troops exchanged fire near Southville.",
            Label.BREACH,
        ),
        # What the truce ended is before it; what follows its end is not.
        (
            "A month on, the Northland-Southland truce",
            "The truce of October 19 ended a week of fighting in which Northern and Southern "
            "troops clashed daily and shelled border villages.",
            Label.RELATED,
        ),
        (
            "Northland-Southland truce ends",
            "The truce ended on Monday and Northern and Southern troops clashed again on Tuesday "
            "near Southville.",
            Label.BREACH,
        ),
    ],
)
def test_recap_articles_read_events_at_their_own_dates(title: str, text: str, label: Label) -> None:
    got = {v.commitment_id: v.label for v in MATCHER.judge(title, text, AT)}["truce"]
    if label is Label.RELATED:
        assert got not in (Label.BREACH, Label.MET), got
    else:
        assert got is label


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("the bodies of 13 deceased hostages", []),
        ("on 13 Dec. the troops", ["2025-12-13"]),  # within a month after: the coming one
        ("the Oct. 19 truce", ["2025-10-19"]),
        ("since 19 Oct", ["2025-10-19"]),
    ],
)
def test_a_month_is_a_whole_word(text: str, dates: list[str]) -> None:
    """ "13 deceased" is not 13 December: a date before the commitment would rule it out."""
    from monitor.judge.text import find_dates

    assert [d.first.isoformat() for d in find_dates(text, AT)] == dates


MUTUAL = """
entities:
  north: {name: Northland, aliases: [Northland, Northern, Northport]}
  south: {name: Southland, aliases: [Southland, Southern, Southville]}
  border: {name: border, aliases: [the border, border areas]}
commitments:
  - id: truce
    title: Immediate and unconditional ceasefire
    statement: Northland and Southland agreed to an immediate and unconditional ceasefire.
    kind: ceasefire
    said_by: Mediators
    parties: [north, south]
    subjects: [border]
    effective: 2025-07-28T17:00:00+00:00
    ongoing: true
  - id: pullback
    title: Troops and heavy weapons pulled back
    statement: Both sides will pull back heavy weapons and troops from the border.
    kind: withdrawal
    said_by: Mediators
    parties: [north, south]
    subjects: [border]
    effective: 2025-07-28T17:00:00+00:00
"""
_MUTUAL = parse_config(MUTUAL, env={})
MUTUAL_MATCHER = Matcher(_MUTUAL.commitments, _MUTUAL.entities)


def _mutual(commitment: str, title: str, text: str = "") -> Label:
    verdicts = {v.commitment_id: v for v in MUTUAL_MATCHER.judge(title, text, AT)}
    return verdicts[commitment].label


@pytest.mark.parametrize(
    ("commitment", "title", "text", "label"),
    [
        # The parties' names shared with the statement do not make a recap of it.
        (
            "truce",
            "Northland and Southland agreed to extend the ceasefire on Tuesday",
            "",
            Label.MET,
        ),
        # An event named with a period before the commitment, whatever else the sentence dates.
        (
            "truce",
            "Northland returned 18 Southern soldiers captured in July clashes on Tuesday",
            "",
            Label.RELATED,
        ),
        (
            "truce",
            "Northern and Southern troops clashed on Tuesday, in the worst fighting since July",
            "",
            Label.BREACH,
        ),
        # "Both sides" names the two parties of an article that names them.
        (
            "truce",
            "Northern and Southern troops traded fire on Tuesday",
            "Both sides accused each other of violating the ceasefire.",
            Label.BREACH,
        ),
        ("truce", "Both sides accused each other of violating the ceasefire on Tuesday", "", None),
        # A violation in general terms is not one.
        (
            "truce",
            "Northland said the mechanism would penalise the party that violates the truce",
            "",
            None,
        ),
        ("truce", "Northland said it had not violated the ceasefire", "", None),
        # Aircraft over the other side.
        (
            "truce",
            "Northland said Southern drones flew over its positions on Tuesday night",
            "",
            Label.BREACH,
        ),
        # A statement that binds both sides: either side acting is the one bound.
        (
            "pullback",
            "Southern troops remained in positions along the border despite the agreement",
            "",
            Label.BREACH,
        ),
        (
            "pullback",
            "Both sides began withdrawing heavy weapons from the border on Monday",
            "",
            Label.MET,
        ),
    ],
)
def test_two_sided_commitments(commitment: str, title: str, text: str, label: Label | None) -> None:
    got = _mutual(commitment, title, text)
    if label is None or label is Label.RELATED:
        assert got not in (Label.BREACH, Label.MET), got
    else:
        assert got is label


def test_a_cell_guided_from_the_territory_is_a_haven_claim_not_its_arrest() -> None:
    """Police of one country arresting a cell "guided from" the other: the territory's breach
    (a watchlist names its territory's places for the kind's pair), never its action."""
    text = """
entities:
  north: {name: North, aliases: [North, Northern, Northland]}
  south: {name: South, aliases: [South, Southern, Southland]}
  front: {name: Front, aliases: [Front, the Front, Front fighters]}
kinds:
  southern-haven:
    extends: no-sanctuary
    pairs:
      - {label: breach, name: group acting from the territory, first: $group_presence,
         second: [from Southland], window: 8, ordered: false}
commitments:
  - id: haven
    title: No Front haven in Southland
    statement: Southland will not let the Front use its soil.
    kind: southern-haven
    said_by: A minister
    parties: [south, front]
    effective: 2025-10-20
"""
    cfg = parse_config(text, env={})
    matcher = Matcher(cfg.commitments, cfg.entities)
    title = "Northern police arrested a Front cell guided from Southland on Tuesday"
    assert matcher.judge(title, "", AT)[0].label is Label.BREACH
    handled = "Northern police arrested a Front cell handled from Southland on Tuesday"
    assert matcher.judge(handled, "", AT)[0].label is Label.BREACH
