"""Reading that carries over to a watchlist a user writes (session 31; made-up places)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.models import Label
from tests.helpers import NORTH_SOUTH, assert_reads, made_up_watchlist

#: The commitments below took effect on 2025-11-01; this report came two months later.
AT = datetime(2026, 1, 15, 9, tzinfo=UTC)

B, M = Label.BREACH, Label.MET
BORDER = "Border report"
TREATY = "Treaty report"
TALKS = "Talks report"

#: Two releases between the same sides, each named by its own topics; the user counts a bare
#: "were released".
RELEASES = made_up_watchlist(
    NORTH_SOUTH,
    "release",
    statement="Southland frees the passengers it abducted from the Eastvale train.",
    signals='{met: ["were released", "were freed"]}',
    tail="    topics: [train passengers, Eastvale train]\n    ongoing: true",
    more="""  - id: pupils
    title: The pupils are freed
    statement: Southland frees the pupils it abducted from the Eastvale school.
    kind: release
    said_by: A mediator
    parties: [north, south]
    effective: 2025-11-01
    topics: [schoolchildren, pupils]
    ongoing: true
""",
)

WATCHLISTS = {
    "ceasefire": made_up_watchlist(
        NORTH_SOUTH, "ceasefire", statement="Northland and Southland stop attacking each other."
    ),
    "treaty": made_up_watchlist(
        NORTH_SOUTH,
        "other",
        statement="Northland ratifies the border treaty with Southland.",
        signals='{met: ["ratified the border treaty", "ratify the border treaty"]}',
    ),
    # a party held by the other: Southland's ousted leader, held by Northland's junta
    "leader": """
entities:
  north: {name: North, aliases: [Northland]}
  vell: {name: Tomas Vell, aliases: [Tomas Vell, Vell]}
commitments:
  - id: it
    title: Northland frees Tomas Vell
    statement: Northland's junta frees the ousted president Tomas Vell.
    kind: release
    said_by: A mediator
    parties: [north, vell]
    effective: 2025-11-01
    ongoing: true
""",
    "releases": RELEASES,
    "release": made_up_watchlist(
        NORTH_SOUTH, "release", statement="Northland and Southland free their prisoners."
    ),
    "talks": made_up_watchlist(
        NORTH_SOUTH, "talks", statement="Northland and Southland hold talks on the border."
    ),
}

#: (watchlist, headline, text, the label it must get, or "not" it). Each mechanism comes with
#: the case that must still count (or still not), so that a guard cannot pass by silencing all.
CASES = [
    # Hostilities that "have been" going on since a date before the truce are its history ...
    (
        "ceasefire",
        BORDER,
        "Southland rebels have been fighting Northland forces since 1976.",
        B,
        "not",
    ),
    (
        "ceasefire",
        BORDER,
        "Southland rebels have been fighting Northland forces since 2021.",
        B,
        "not",
    ),
    # ... since a day after it, news; and "the worst ... since" a year is a comparison, news too.
    (
        "ceasefire",
        BORDER,
        "Southland rebels have been fighting Northland forces since Monday.",
        B,
        "is",
    ),
    (
        "ceasefire",
        BORDER,
        "It has been the heaviest fighting between Northland and Southland since 2021.",
        B,
        "is",
    ),
    # A court's verdict on hostilities tells of them, it does not report them ...
    (
        "ceasefire",
        BORDER,
        "A Southland man was given eight life sentences for the bombing of a Northland barracks, "
        "which left five dead.",
        B,
        "not",
    ),
    (
        "ceasefire",
        BORDER,
        "A Southland court convicted two men over the shelling of Northland villages.",
        B,
        "not",
    ),
    # ... the shelling itself is news.
    ("ceasefire", BORDER, "Southland shelled Northland villages, killing two.", B, "is"),
    # A date in an aside dates the aside, not the sentence's other news ...
    (
        "ceasefire",
        BORDER,
        "Southland - which launched an assault on Northland in 2008 - said it attacked Northland "
        "positions near the border.",
        B,
        "is",
    ),
    # ... but an aside that tells every signal is dated by its own date.
    (
        "ceasefire",
        BORDER,
        "Southland, which attacked Northland positions in 2008, is now at peace.",
        B,
        "not",
    ),
    # A headline's present: a group "attacks police and military" ...
    (
        "ceasefire",
        "Violence intensifies as Southland group attacks Northland police and military",
        "",
        B,
        "is",
    ),
    # ... not "attacks on police" named as a wave, nor an attack threatened.
    (
        "ceasefire",
        BORDER,
        "The talks come as Northland faces a surge in attacks on police blamed on Southland.",
        B,
        "not",
    ),
    ("ceasefire", "Southland threatens to attack Northland troops", "", B, "not"),
    # Fighting that "died down" or "subsided" is no fighting ...
    (
        "ceasefire",
        BORDER,
        "Fighting between Northland and Southland has died down since the truce.",
        B,
        "not",
    ),
    (
        "ceasefire",
        BORDER,
        "Fighting between Northland and Southland subsided after the talks.",
        B,
        "not",
    ),
    # ... fighting that erupted again is.
    (
        "ceasefire",
        BORDER,
        "Fighting between Northland and Southland erupted again on Monday.",
        B,
        "is",
    ),
    # What was "prevented" did not happen ...
    (
        "ceasefire",
        BORDER,
        "Northland patrols prevented fighting between Northland and Southland troops.",
        B,
        "not",
    ),
    # ... what prevented something else did.
    (
        "ceasefire",
        BORDER,
        "Northland and Southland troops resumed fighting, which prevented aid deliveries.",
        B,
        "is",
    ),
    # What is done "rather than" or "instead of" another thing is not done ...
    (
        "treaty",
        TREATY,
        "Rather than ratify the border treaty, Northland should negotiate a new one with "
        "Southland, he wrote.",
        M,
        "not",
    ),
    # ... while the thing done in place of the other is.
    (
        "treaty",
        TREATY,
        "Northland ratified the border treaty with Southland instead of delaying it.",
        M,
        "is",
    ),
    # Talks that reach agreement or make a breakthrough were held ...
    ("talks", "Northland-Southland talks reach agreement on border crossings", "", M, "is"),
    ("talks", "Major breakthrough in Northland-Southland talks, mediator says", "", M, "is"),
    # ... not when the breakthrough is denied, or the agreement is still to come.
    (
        "talks",
        TALKS,
        "There has been no breakthrough in the talks between Northland and Southland.",
        M,
        "not",
    ),
    (
        "talks",
        TALKS,
        "Northland said the talks with Southland would reach agreement soon.",
        M,
        "not",
    ),
    # "Due to" before a determiner gives a cause ...
    (
        "talks",
        TALKS,
        "A spokesman confirmed the attacks, which he said were due to the breakdown of the talks "
        "between Northland and Southland.",
        B,
        "is",
    ),
    # ... before a verb, a schedule.
    (
        "talks",
        TALKS,
        "Talks between Northland and Southland are due to resume next week.",
        M,
        "not",
    ),
    # A party held is a captive: "freed Tomas Vell" ...
    (
        "leader",
        "Vell report",
        "Northland's junta has freed the ousted president Tomas Vell, a spokesman said.",
        M,
        "is",
    ),
    # ... but not one "by" whom something was released, nor a party's forces or town after fire
    # "exchanged" or "returned" (a release between the two sides reads only "freed" a party).
    (
        "release",
        BORDER,
        "Northland troops exchanged fire with Southland forces near the border.",
        M,
        "not",
    ),
    ("release", BORDER, "Northland returned fire at Southland positions.", M, "not"),
    (
        "leader",
        "Vell report",
        "A statement was released by Tomas Vell on Wednesday.",
        M,
        "not",
    ),
    # A headline about the other release makes the article's bare report that one's news ...
    (
        "releases",
        "Southland frees 7 more Eastvale schoolchildren",
        "The seven were released on Wednesday morning, a mediator said.",
        M,
        "not",
    ),
    # ... a headline about this one, this one's; a sentence naming it counts whatever the headline.
    (
        "releases",
        "Southland frees 7 more Eastvale train passengers",
        "The seven were released on Wednesday morning, a mediator said.",
        M,
        "is",
    ),
    (
        "releases",
        "Southland frees 7 more Eastvale schoolchildren",
        "Later, 12 train passengers were released by Southland, a mediator said.",
        M,
        "is",
    ),
]


@pytest.mark.parametrize(("watchlist", "title", "text", "label", "how"), CASES)
def test_reading_carries_over(
    watchlist: str, title: str, text: str, label: Label, how: str
) -> None:
    assert_reads(WATCHLISTS[watchlist], title, text, AT, label, how)


def test_a_ceasefire_keeps_a_headline_sibling_out() -> None:
    """Two truces between the same sides share words; a headline naming one does not take a
    sentence away from the other (the ceasefire kind's ``headline_sibling_rules`` is off)."""
    truces = made_up_watchlist(
        NORTH_SOUTH,
        "ceasefire",
        statement="Northland and Southland stop attacking each other.",
        tail="    topics: [ceasefire]\n    ongoing: true",
        more="""  - id: older
    title: The older truce holds
    statement: Northland and Southland stop attacking each other.
    kind: ceasefire
    said_by: A mediator
    parties: [north, south]
    effective: 2025-11-01
    topics: [offensive]
    ongoing: true
""",
    )
    assert_reads(
        truces,
        "In a surprise offensive, Southland takes the border town",
        "Southland forces shelled Northland positions near the border on Monday.",
        AT,
        B,
        "is",
    )
