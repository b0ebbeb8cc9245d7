"""Reading that carries over to a watchlist a user writes (session 29; made-up parties)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.config import parse_config
from monitor.judge.data import SHIPPED
from monitor.judge.engine import OWN_TOPICS, Matcher
from monitor.models import Label
from tests.helpers import NORTH_SOUTH, assert_reads, made_up_watchlist

#: The commitments below took effect on 2025-11-01; this report came two months later.
AT = datetime(2026, 1, 15, 9, tzinfo=UTC)

B, M = Label.BREACH, Label.MET

#: A release of one named captive: the user names him in the topics, the kind's captive
#: nouns ("prisoners", "hostages") do not.
ENVOY = made_up_watchlist(
    NORTH_SOUTH,
    "release",
    statement="Northland frees Aldo Brenn, the Southland envoy it holds.",
    tail='    topics: ["Aldo Brenn"]\n    ongoing: true',
    more="""  - id: traders
    title: Northland frees the traders
    statement: Northland frees the Southland traders it holds.
    kind: release
    said_by: A mediator
    parties: [north, south]
    effective: 2025-11-01
    topics: ["Southland traders"]
    ongoing: true
""",
)


@pytest.mark.parametrize(
    ("title", "label", "how"),
    [
        # the kind's verb and the commitment's own captive: "frees Aldo Brenn" ...
        ("Northland frees Aldo Brenn after Southland talks", M, "is"),
        ("Aldo Brenn freed by Northland, Southland says", M, "is"),
        ("Southland receives Aldo Brenn at the Northland border", M, "is"),
        ("Northland holds back Aldo Brenn from the Southland list", B, "is"),
        # ... not another commitment's captives, which are its topics, not this one's
        ("Northland frees Southland traders", M, "not"),
        # a statement released names no captive freed
        ("Aldo Brenn statement released by Northland, Southland says", M, "not"),
    ],
)
def test_a_release_reads_the_commitments_own_captives(title: str, label: Label, how: str) -> None:
    """The release kind's pairs take ``@topics``: a mention of the commitment's own topics
    stands where the kind's captive nouns do ("frees Aldo Brenn")."""
    assert_reads(ENVOY, title, "Officials gave no details.", AT, label, how)


def test_the_release_kind_uses_the_own_topics_cue() -> None:
    """The cue is data: the shipped release kind's met pairs name it."""
    pairs = SHIPPED.kinds["release"].pairs
    assert any(OWN_TOPICS in (*p.first, *p.second) for p in pairs if p.label == "met")


NO_DOUBT = made_up_watchlist(
    NORTH_SOUTH,
    "release",
    statement="Northland frees the Southland prisoners it holds.",
)


@pytest.mark.parametrize(
    ("text", "label", "how"),
    [
        # "no doubt" is certainty, not a negation: no breach ...
        (
            "The Southland minister said he had no doubt the prisoners held by Northland would "
            "be released.",
            B,
            "not",
        ),
        # ... while "not" before the same release is one
        (
            "The Southland minister said the prisoners held by Northland have not been released.",
            B,
            "is",
        ),
    ],
)
def test_no_doubt_is_no_negation(text: str, label: Label, how: str) -> None:
    assert_reads(NO_DOUBT, "Prisoners report", text, AT, label, how)


DELAYED = made_up_watchlist(
    NORTH_SOUTH,
    "other",
    statement="Northland ratifies the border treaty with Southland.",
    signals='{breach: ["delayed the border treaty"], met: ["ratified the border treaty"]}',
)


@pytest.mark.parametrize(
    ("title", "how"),
    [
        # a participle after "much" or "long" (a compound adjective) describes the noun ...
        ("Northland ratifies Southland's much-delayed border treaty", "not"),
        ("Northland ratifies the long delayed border treaty with Southland", "not"),
        # ... while the verb, or the participle after an auxiliary, is the event
        ("Northland delayed the border treaty with Southland again", "is"),
        ("Southland says Northland has long delayed the border treaty", "is"),
    ],
)
def test_a_compound_adjective_is_no_event(title: str, how: str) -> None:
    assert_reads(DELAYED, title, "Officials gave no details.", AT, B, how)


RECAP = made_up_watchlist(
    NORTH_SOUTH, "ceasefire", statement="Northland and Southland stop attacking each other."
)


@pytest.mark.parametrize(
    ("day", "how"),
    [
        # three weeks and more before the report: the story's background ...
        ("December 22", "not"),
        # ... a fortnight before it: still news
        ("January 3", "is"),
    ],
)
def test_a_breach_dated_three_weeks_back_is_a_recap(day: str, how: str) -> None:
    text = f"On {day}, Northland forces shelled Southland border villages."
    assert_reads(RECAP, "Border report", text, AT, B, how)


#: A truce between a state and an armed group the shipped data lists as one (its id is in
#: ``militant_groups``), and one between two states that the group is no party to.
GROUP_TRUCE = """
entities:
  north: {name: North, aliases: [North, Northland, Northern]}
  south: {name: South, aliases: [South, Southland, Southern]}
  ttp: {name: Eastvale Front, aliases: [Eastvale Front, the Front]}
commitments:
  - id: it
    title: The Front's truce with Northland holds
    statement: The Eastvale Front stops its attacks on Northland.
    kind: ceasefire
    said_by: The Front
    parties: [north, ttp]
    effective: 2025-11-01
    ongoing: true
  - id: states
    title: Northland and Southland keep their ceasefire
    statement: Northland and Southland stop attacking each other.
    kind: ceasefire
    said_by: A mediator
    parties: [north, south]
    effective: 2025-11-01
    ongoing: true
"""


@pytest.mark.parametrize(
    ("which", "how"),
    [
        # the group is a party: its attack on Northland's police breaks its truce ...
        (0, "is"),
        # ... not the two states' ceasefire, which militants' attacks do not break
        (1, "not"),
    ],
)
def test_a_truce_with_a_group_is_broken_by_its_attacks(which: int, how: str) -> None:
    cfg = parse_config(GROUP_TRUCE, env={})
    verdicts = Matcher(cfg.commitments, cfg.entities).judge(
        "Six Northland police officers killed in ambush",
        "Eastvale Front militants opened fire on a police post, killing six.",
        AT,
    )
    assert (verdicts[which].label is B) == (how == "is"), verdicts[which]


CALLED_OFF = made_up_watchlist(
    NORTH_SOUTH, "ceasefire", statement="Northland and Southland stop attacking each other."
)


@pytest.mark.parametrize(
    ("title", "how"),
    [
        # a side ends the ceasefire, calls it off or revokes it ...
        ("Northland ends ceasefire with Southland", "is"),
        ("Northland calls off the truce with Southland", "is"),
        ("Northland revokes its ceasefire with Southland", "is"),
        # ... not a war that ended with a ceasefire
        ("The Northland-Southland war ended with a ceasefire", "not"),
    ],
)
def test_a_ceasefire_called_off_is_broken(title: str, how: str) -> None:
    assert_reads(CALLED_OFF, title, "Officials gave no details.", AT, B, how)


ELSEWHERE = made_up_watchlist(
    NORTH_SOUTH,
    "ceasefire",
    statement="Northland and Southland stop attacking each other.",
    tail="    ongoing: true\n    exclude: [Eastvale]",
)


@pytest.mark.parametrize(
    ("title", "how"),
    [
        # the headline's event is at an excluded place: the body's strikes are that story's ...
        ("Northland drones strike rebel bases in Eastvale", "not"),
        # ... while an excluded name that is not where it happens leaves the story ours
        ("Northland drones strike Southland bases, Eastvale says", "is"),
    ],
)
def test_a_headline_event_at_an_excluded_place_is_elsewhere(title: str, how: str) -> None:
    text = "The drone strikes on the bases killed five people, Southland officials said."
    assert_reads(ELSEWHERE, title, text, AT, B, how)


TALKS = made_up_watchlist(
    NORTH_SOUTH, "talks", statement="Northland and Southland hold talks on their border."
)


@pytest.mark.parametrize(
    ("title", "how"),
    [
        # talks that continue are under way ...
        ("Prisoners freed as Northland-Southland talks continue", "is"),
        ("Northland and Southland talks continued for a second week", "is"),
        # ... talks "to continue" are a plan
        ("Northland and Southland talks to continue next month", "not"),
    ],
)
def test_talks_that_continue_are_held(title: str, how: str) -> None:
    assert_reads(TALKS, title, "Officials gave no details.", AT, M, how)


@pytest.mark.parametrize(
    ("text", "how"),
    [
        # captives "still imprisoned" or "remain behind bars" are not released ...
        ("Dozens of Southland prisoners are still imprisoned in Northland.", "is"),
        ("Forty Southland prisoners remain behind bars in Northland.", "is"),
        # ... and that told of a year before the promise is no breach of it
        ("In 2019, Southland prisoners were still imprisoned in Northland.", "not"),
    ],
)
def test_captives_still_imprisoned_are_not_released(text: str, how: str) -> None:
    assert_reads(NO_DOUBT, "Prisoners report", text, AT, B, how)
