"""Reading that carries over to a watchlist a user writes (session 30; made-up places)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.config import parse_config
from monitor.judge.engine import Matcher
from monitor.models import Label
from tests.helpers import NORTH_SOUTH, assert_reads, made_up_watchlist

#: The commitments below took effect on 2025-11-01; this report came two months later.
AT = datetime(2026, 1, 15, 9, tzinfo=UTC)

B, M = Label.BREACH, Label.MET
NO_DETAILS = "Officials gave no details."
BORDER = "Border report"
TREATY = "Treaty report"

WATCHLISTS = {
    "ceasefire": made_up_watchlist(
        NORTH_SOUTH, "ceasefire", statement="Northland and Southland stop attacking each other."
    ),
    "treaty": made_up_watchlist(
        NORTH_SOUTH,
        "other",
        statement="Northland ratifies the border treaty with Southland.",
        signals='{breach: ["delayed the border treaty"], met: ["ratified the border treaty"]}',
    ),
    # a user's topics name both the truce and what it stops
    "truce": made_up_watchlist(
        NORTH_SOUTH,
        "other",
        statement="Southland keeps its truce with Northland.",
        signals='{breach: ["ended its truce", "broke its truce"]}',
        tail='    topics: [truce, violence, "peace pledge"]\n    ongoing: true',
    ),
    # two truces between the same sides, and the sparing of civilians, of the same family
    "siblings": made_up_watchlist(
        NORTH_SOUTH,
        "ceasefire",
        statement="Northland and Southland stop attacking each other.",
        tail="    topics: [ceasefire]\n    ongoing: true",
        more="""  - id: civilians
    title: Civilians are spared
    statement: Northland and Southland spare civilians.
    kind: protection
    said_by: A mediator
    parties: [north, south]
    effective: 2025-11-01
    topics: [civilians, indigenous]
    ongoing: true
  - id: earlier
    title: The earlier truce holds
    statement: Northland and Southland stop attacking each other.
    kind: ceasefire
    said_by: A mediator
    parties: [north, south]
    effective: 2025-11-01
    topics: [ceasefire]
    ongoing: true
""",
    ).replace(
        "commitments:",
        "kinds:\n  protection:\n    extends: ceasefire\n    topics: [civilians]\ncommitments:",
    ),
}

#: (watchlist, headline, text, the label it must get, or "not" it). Each mechanism comes with
#: the case that must still count (or still not), so that a guard cannot pass by silencing all.
CASES = [
    # A user's phrase is read with the commitment's other topics ...
    ("truce", "Southland broke its peace pledge to Northland", NO_DETAILS, B, "is"),
    ("truce", "Southland ended its truce with Northland", NO_DETAILS, B, "is"),
    # ... but not after a verb whose object decides its sense: ending violence keeps a truce.
    ("truce", "Southland ended its violence against Northland", NO_DETAILS, B, "not"),
    # A ceasefire "respected" holds ...
    ("ceasefire", "Northland-Southland ceasefire respected in general, minister says", "", M, "is"),
    # ... one that "will be respected" is a promise.
    ("ceasefire", "Northland-Southland ceasefire will be respected, minister says", "", M, "not"),
    # Ground taken: "captures", "closes in on" a town or a stronghold.
    ("ceasefire", "Northland army captures Southland border town", NO_DETAILS, B, "is"),
    ("ceasefire", "Northland army closes in on Southland stronghold", NO_DETAILS, B, "is"),
    # What is done "preventing" fighting is no fighting ...
    (
        "ceasefire",
        BORDER,
        "Northland and Southland patrol the border jointly, preventing renewed fighting.",
        B,
        "not",
    ),
    # ... while fighting resumed is.
    (
        "ceasefire",
        BORDER,
        "Northland and Southland troops resumed fighting near the border.",
        B,
        "is",
    ),
    # Not believing the news denies it ...
    (
        "treaty",
        TREATY,
        "A trader said he stayed home because he did not believe the news that Northland had "
        "ratified the border treaty with Southland.",
        M,
        "not",
    ),
    # ... a later clause of its own is news again.
    (
        "treaty",
        TREATY,
        "A trader said he stayed home because he did not believe the news, but Northland had "
        "ratified the border treaty with Southland.",
        M,
        "is",
    ),
    # A bare verb joined by "and" to an infinitive is an infinitive too ...
    (
        "treaty",
        TREATY,
        "It is the task of Northland's parliament to debate the text and ratify the border "
        "treaty with Southland.",
        M,
        "not",
    ),
    # ... unless a past act carries it out, or the verb is in the past.
    (
        "treaty",
        TREATY,
        "Northland's parliament voted to debate the text and ratify the border treaty with "
        "Southland.",
        M,
        "is",
    ),
    (
        "treaty",
        TREATY,
        "Northland's parliament met to debate the text and ratified the border treaty with "
        "Southland.",
        M,
        "is",
    ),
    # A deal "struck" is made, not a blow ...
    (
        "ceasefire",
        BORDER,
        "Northland forces pulled back in accordance with the deal struck between Northland and "
        "Southland.",
        B,
        "not",
    ),
    ("ceasefire", BORDER, "Northland struck a deal with Southland on Monday.", B, "not"),
    # ... drones that struck posts are.
    ("ceasefire", BORDER, "Northland drones struck Southland border posts on Monday.", B, "is"),
    # A war told by its length is history ...
    (
        "ceasefire",
        BORDER,
        "Northland blames Southland for the deaths of 800 people in a four-decade campaign of "
        "bombings.",
        B,
        "not",
    ),
    # ... bombings told as news are not.
    (
        "ceasefire",
        BORDER,
        "Northland blames Southland for the deaths of 8 people in bombings on Monday.",
        B,
        "is",
    ),
    # Another commitment's topic after "after" names the cause, not what the signal is about ...
    (
        "siblings",
        "Northland suspends ceasefire with Southland after killing of indigenous minors",
        NO_DETAILS,
        B,
        "is",
    ),
    # ... elsewhere it is that commitment's.
    (
        "siblings",
        "Northland suspends ceasefire with Southland over killing of indigenous minors",
        NO_DETAILS,
        B,
        "not",
    ),
    # Hostilities named where what goes on began ("since clashes erupted") are background ...
    (
        "ceasefire",
        BORDER,
        "This is the first visit by the Northland leader to Southland since border clashes "
        "between the two neighbours erupted.",
        B,
        "not",
    ),
    # ... unless the sentence dates them after the commitment began.
    (
        "ceasefire",
        BORDER,
        "This is the first visit by the Northland leader to Southland since border clashes "
        "between the two neighbours erupted on January 10.",
        B,
        "is",
    ),
    # Agreements that "would allow" an extension are a hope ...
    (
        "ceasefire",
        BORDER,
        "The talks will prioritize agreements that would allow an extension of the ceasefire "
        "between Northland and Southland.",
        M,
        "not",
    ),
    # ... an agreement under which they "will continue" it is the truce reaffirmed.
    (
        "ceasefire",
        BORDER,
        "Elders welcomed the agreement under which Northland and Southland will continue the "
        "ceasefire.",
        M,
        "is",
    ),
    # Military operations continued despite the ceasefire break it; they do not continue it.
    (
        "ceasefire",
        "Northland army continuing military operations despite ceasefire with Southland",
        NO_DETAILS,
        B,
        "is",
    ),
    (
        "ceasefire",
        "Northland army continuing military operations despite ceasefire with Southland",
        NO_DETAILS,
        M,
        "not",
    ),
    # A bare verb after a time word and its subject is what is to come ...
    (
        "treaty",
        TREATY,
        "Northland lawmakers are holding hearings on the aid before they ratify the border "
        "treaty with Southland.",
        M,
        "not",
    ),
    # ... its past is what happened.
    (
        "treaty",
        TREATY,
        "Northland lawmakers won more aid after they ratified the border treaty with Southland.",
        M,
        "is",
    ),
    # "Your" makes a call on someone, not an event ...
    (
        "treaty",
        "Ratify your border treaty with Southland now, lawmakers tell Northland",
        NO_DETAILS,
        M,
        "not",
    ),
    ("treaty", "Northland ratifies its border treaty with Southland", NO_DETAILS, M, "is"),
    # A failure to do it is not doing it.
    (
        "ceasefire",
        BORDER,
        "Southland criticised Northland's failure to fully implement the ceasefire.",
        M,
        "not",
    ),
    (
        "ceasefire",
        BORDER,
        "Northland and Southland fully implemented the ceasefire, monitors said.",
        M,
        "is",
    ),
    # A war's toll right after its hostilities is the war told ...
    (
        "ceasefire",
        BORDER,
        "Northland and Southland forces were accused of abuses in fighting that has left 13,000 "
        "people dead.",
        B,
        "not",
    ),
    # ... a day's dead are news.
    (
        "ceasefire",
        BORDER,
        "Fighting between Northland and Southland forces left 12 people dead on Monday.",
        B,
        "is",
    ),
    # Standing "against" doing it is not doing it.
    (
        "treaty",
        TREATY,
        "Northland lawmakers stood firmly against ratifying the border treaty with Southland.",
        M,
        "not",
    ),
    (
        "treaty",
        TREATY,
        "Northland lawmakers began ratifying the border treaty with Southland.",
        M,
        "is",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}: {c[1]}: {c[3]} {c[4]}" for c in CASES])
def test_reading_carries_over(case: tuple[str, str, str, Label, str]) -> None:
    name, title, text, label, how = case
    assert_reads(WATCHLISTS[name], title, text, AT, label, how)


#: A truce between a state and the group the shipped entity data marks as armed (``ttp``);
#: ``{flag}`` is the watchlist's own say, or nothing.
SHIPPED_GROUP_TRUCE = """
entities:
  ttp: {{aliases: [Eastvale Front]{flag}}}
commitments:
  - id: it
    title: The group's truce with Pakistan holds
    statement: The TTP stops its attacks in Pakistan.
    kind: ceasefire
    said_by: The TTP
    parties: [pakistan, ttp]
    effective: 2025-11-01
    ongoing: true
"""


@pytest.mark.parametrize(
    ("flag", "how"),
    [
        # the entity data marks the group armed: its attack breaks its own truce
        ("", "is"),
        ("armed_group: true", "is"),
        # the watchlist has the last word: unmarked, its militants are others, not a party
        ("armed_group: false", "not"),
    ],
)
def test_the_watchlist_can_unmark_a_shipped_armed_group(flag: str, how: str) -> None:
    cfg = parse_config(SHIPPED_GROUP_TRUCE.format(flag=flag and ", " + flag), env={})
    assert cfg.entities["ttp"].armed_group is (how == "is")
    verdict = Matcher(cfg.commitments, cfg.entities).judge(
        "Six Pakistani police officers killed in ambush",
        "Eastvale Front militants opened fire on a police post, killing six.",
        AT,
    )[0]
    assert (verdict.label is Label.BREACH) == (how == "is"), verdict
