"""Reading that carries over to a watchlist a user writes (session 28; made-up parties)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.judge.engine import _with_other_topics
from monitor.models import Label
from tests.helpers import NORTH_SOUTH, assert_reads, made_up_watchlist

#: The commitments below took effect on 2025-11-01; this report came two months later.
AT = datetime(2026, 1, 15, 9, tzinfo=UTC)

CEASEFIRE = made_up_watchlist(
    NORTH_SOUTH, "ceasefire", statement="Northland and Southland stop attacking each other."
)
WATCHLISTS = {"ceasefire": CEASEFIRE}

B, M, R, N = Label.BREACH, Label.MET, Label.RELATED, Label.NONE
#: (watchlist, headline, text, the label it must get, or "not" it). Each mechanism comes with
#: the case that must still count (or still not), so that a guard cannot pass by silencing all.
CASES = [
    # "Over the summer" (or "during the spring") dates the clashes to last summer, before the
    # commitment ...
    (
        "ceasefire",
        "Troops pull back",
        "Over the summer, Northland and Southland forces clashed in several border districts.",
        B,
        "not",
    ),
    # ... while "over the past week" is now.
    (
        "ceasefire",
        "Troops pull back",
        "Over the past week, Northland and Southland forces clashed in several border districts.",
        B,
        "is",
    ),
    # "since the war erupted on October 20" dates the start of what goes on, not the fighting
    # the report tells of ...
    (
        "ceasefire",
        "Night fighting in the border town",
        "Northland and Southland forces fought through the night, the heaviest fighting since "
        "war erupted on October 20.",
        B,
        "is",
    ),
    # ... while fighting that "erupted on October 20" is that day's.
    (
        "ceasefire",
        "Night fighting in the border town",
        "Fighting between Northland and Southland forces erupted on October 20.",
        B,
        "not",
    ),
    # A ceasefire "has been flouted" (the noun first) is violated ...
    (
        "ceasefire",
        "Southland says the ceasefire with Northland has been flouted",
        "Officials gave no details.",
        B,
        "is",
    ),
    # ... and a denial of it is not.
    (
        "ceasefire",
        "Northland denies the ceasefire with Southland has been flouted",
        "Officials gave no details.",
        B,
        "not",
    ),
    # "will" after "political" (or "the", "lack of") is a noun, not what is to come ...
    (
        "ceasefire",
        "Border report",
        "Observers blamed a lack of political will for the renewed clashes between Northland "
        "and Southland troops on Monday.",
        B,
        "is",
    ),
    # ... while "forces will clash" is.
    (
        "ceasefire",
        "Border report",
        "Observers warned that Northland and Southland troops will clash again next week.",
        B,
        "not",
    ),
    # A gunfight (a shootout, a firefight) between the sides is hostilities ...
    (
        "ceasefire",
        "Two killed in border gunfight",
        "Two soldiers were killed in a gunfight between Northland and Southland troops on Monday.",
        B,
        "is",
    ),
    # ... while police and robbers are no party to it.
    (
        "ceasefire",
        "Two robbers killed in shootout",
        "Northland police killed two armed robbers in a shootout in the capital on Monday.",
        B,
        "not",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}:{c[4]}-{c[3].value}" for c in CASES])
def test_reading_carries_over(case: tuple[str, str, str, Label, str]) -> None:
    name, title, text, label, how = case
    assert_reads(WATCHLISTS[name], title, text, AT, label, how)


def _two_places(common: str) -> str:
    """A withdrawal from the Ridge and a ceasefire in Eastvale; the Ridge also goes by
    ``common``."""
    entities = (
        NORTH_SOUTH
        + "  eastvale: {name: Eastvale, aliases: [Eastvale, Ridge Camp]}\n"
        + f"  ridge: {{name: the Ridge, aliases: [the Ridge, {common}]}}\n"
    )
    return made_up_watchlist(
        entities,
        "withdrawal",
        statement="Northland withdraws its forces from the Ridge.",
        subjects="[ridge]",
        tail="    ongoing: false",
        more="""  - id: truce
    title: The Eastvale truce holds
    statement: Northland and Southland stop fighting in Eastvale.
    kind: ceasefire
    said_by: A mediator
    parties: [north, south]
    subjects: [eastvale]
    effective: 2025-11-01
""",
    )


@pytest.mark.parametrize(("common", "how"), [("Ridge Camp", "is"), ("Hill Camp", "not")])
def test_places_sharing_a_name_overlap(common: str, how: str) -> None:
    """Two places that the watchlist gives one name (the Ridge is "Ridge Camp", in Eastvale)
    overlap: a withdrawal "from Eastvale" may be the Ridge's.  Without a shared name, Eastvale
    is the other commitment's place."""
    assert_reads(
        _two_places(common),
        "Northland withdraws forces from Eastvale",
        "The last units left on Sunday.",
        AT,
        M,
        how,
    )


EMERGENCY = (
    NORTH_SOUTH
    + """
kinds:
  emergency-end:
    like: other
    topics: [state of emergency, emergency rule]
    breach: ["extended the state of emergency"]
    met: ["went to the polls"]
commitments:
  - id: it
    title: Northland's state of emergency ends
    statement: Northland ends the state of emergency in its south.
    kind: emergency-end
    said_by: A mediator
    parties: [north, south]
    effective: 2025-11-01
    ongoing: true
"""
)


@pytest.mark.parametrize(
    ("title", "how"),
    [
        # a verb and its object, the object one of the topics: the verb with another topic
        ("Northland lawmakers extend emergency rule in the south", "is"),
        # no verb: only the topic
        ("Northland lawmakers debate emergency rule in the south", "not"),
    ],
)
def test_a_users_verb_and_topic_take_the_other_topics(title: str, how: str) -> None:
    """A user's "extended the state of emergency" also reads "extend emergency rule" when both
    are the kind's topics."""
    assert_reads(EMERGENCY, title, "Officials gave no details.", AT, B, how)


def test_a_phrase_after_a_preposition_is_an_idiom_not_a_verb_and_object() -> None:
    """ "went to the polls" is not "went to" with an object: it takes no other topic."""
    topics = ["polls", "state of emergency", "emergency rule"]
    assert _with_other_topics(topics, ["went to the polls"]) == ("went to the polls",)
    assert _with_other_topics(topics, ["extended the state of emergency"]) == (
        "extended the state of emergency",
        "extended polls",
        "extended emergency rule",
    )


DETAINEES = made_up_watchlist(
    NORTH_SOUTH,
    "release",
    statement="Northland frees the Southland traders it holds.",
    signals='{breach: ["were detained"], met: ["were released"]}',
)


@pytest.mark.parametrize(
    ("title", "label", "how"),
    [
        # a headline leaves out the passive's auxiliary: "traders released by"
        ("Forty Southland traders released by Northland", M, "is"),
        ("Two more Southland traders detained in Northland", B, "is"),
        # before a noun, the participle describes it: "detained traders" are not detained now
        ("Northland lets two detained Southland traders call home", B, "not"),
    ],
)
def test_a_headline_writes_a_users_passive_bare(title: str, label: Label, how: str) -> None:
    """A user's "were released" also reads a headline's bare "released", when the participle
    is the headline's verb (before "by", "in", a comma or the end), not an adjective."""
    assert_reads(DETAINEES, title, "Officials gave no details.", AT, label, how)
