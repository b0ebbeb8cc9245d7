"""Reading that carries over to a watchlist a user writes (session 32; made-up places)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.models import Label
from tests.helpers import NORTH_SOUTH, assert_reads, made_up_watchlist

#: The commitments below took effect on 2025-11-01; this report came two months later.
AT = datetime(2026, 1, 15, 9, tzinfo=UTC)

B, M = Label.BREACH, Label.MET
BORDER = "Border report"
CAPITAL = "Capital report"

#: Two withdrawals from Southland, by Northland and by Eastvale.
WITHDRAWALS = """
entities:
  north: {name: North, aliases: [Northland]}
  south: {name: South, aliases: [Southland]}
  east: {name: East, aliases: [Eastvale]}
commitments:
  - id: it
    title: Northland withdraws its troops from Southland
    statement: Northland withdraws its troops from Southland by the end of the year.
    kind: withdrawal
    said_by: A mediator
    parties: [north, south]
    effective: 2025-11-01
    ongoing: true
  - id: east
    title: Eastvale withdraws its troops from Southland
    statement: Eastvale withdraws its troops from Southland.
    kind: withdrawal
    said_by: A mediator
    parties: [east, south]
    effective: 2025-11-01
    ongoing: true
"""

WATCHLISTS = {
    "withdrawals": WITHDRAWALS,
    # the shipped vote kind, with no words of the user's
    "vote": made_up_watchlist(
        NORTH_SOUTH,
        "vote",
        statement="Northland's junta holds a presidential election by August.",
    ),
    # the shipped disarmament kind, with no words of the user's
    "disarmament": made_up_watchlist(
        NORTH_SOUTH,
        "disarmament",
        statement="Southland's rebels hand in their weapons and demobilise.",
    ),
    "ceasefire": made_up_watchlist(
        NORTH_SOUTH, "ceasefire", statement="Northland and Southland stop attacking each other."
    ),
    # a junta's pledge of a short transition; the user counts a longer one as the breach
    "transition": made_up_watchlist(
        NORTH_SOUTH,
        "other",
        statement="Northland's junta hands power to civilians within three years.",
        signals='{breach: ["five-year transition"]}',
    ),
}

#: (watchlist, headline, text, the label it must get, or "not" it). Each mechanism comes with
#: the case that must still count (or still not), so that a guard cannot pass by silencing all.
CASES = [
    # The vote kind's own words: the vote held, or put off ...
    ("vote", CAPITAL, "Northland votes in referendum on new constitution", M, "is"),
    (
        "vote",
        CAPITAL,
        "The presidential election was held in Northland on Sunday, the first since the coup.",
        M,
        "is",
    ),
    ("vote", CAPITAL, "Northland's junta postponed the presidential election again.", B, "is"),
    # ... but not a vote only promised.
    ("vote", CAPITAL, "Northland's junta will hold a presidential election next year.", M, "not"),
    # The disarmament kind's own words: weapons handed in, disarmament under way ...
    (
        "disarmament",
        BORDER,
        "Southland rebels handed over 500 rifles to monitors at a ceremony on Monday.",
        M,
        "is",
    ),
    ("disarmament", BORDER, "Southland fighters have surrendered their weapons.", M, "is"),
    ("disarmament", BORDER, "The disarmament of Southland fighters began on Monday.", M, "is"),
    # ... refused, or arms kept ...
    ("disarmament", BORDER, "Southland rebels refused to disarm, a commander said.", B, "is"),
    (
        "disarmament",
        BORDER,
        "Monitors said Southland units kept their weapons in the hills.",
        B,
        "is",
    ),
    # ... but not the act named as an aim, nor weapons handed to a side.
    (
        "disarmament",
        BORDER,
        "Northland invited Southland's commanders to work towards the laying down of arms.",
        M,
        "not",
    ),
    (
        "disarmament",
        BORDER,
        "Northland handed over to Southland militias 300 rifles last year.",
        M,
        "not",
    ),
    # A headline that reports another party's withdrawal tells whose withdrawal the text's
    # bare "was completed" is ...
    (
        "withdrawals",
        "Eastvale withdraws troops from Westria",
        "The withdrawal was completed on Tuesday, officials said. The Eastvale troops had been "
        "stationed at a Northland base in Westria.",
        M,
        "not",
    ),
    # ... and a headline naming the party bound lends its context.
    (
        "withdrawals",
        "Northland withdraws troops from Westria",
        "The withdrawal was completed on Tuesday, officials said. The troops had been stationed "
        "at a Northland base in Westria.",
        M,
        "is",
    ),
    # A fighting force is an army named, not a fight ...
    (
        "ceasefire",
        BORDER,
        "Aid agencies welcomed the release by Southland of 400 children associated with the "
        "fighting forces of Northland and Southland.",
        B,
        "not",
    ),
    # ... fighting between the forces is one.
    (
        "ceasefire",
        BORDER,
        "Fighting between Northland and Southland forces broke out near the border on Monday.",
        B,
        "is",
    ),
    # What a commission recommends is not yet done ...
    (
        "transition",
        CAPITAL,
        "A commission in Northland has recommended a five-year transition back to civilian rule.",
        B,
        "not",
    ),
    # ... what the junta adopts is.
    (
        "transition",
        CAPITAL,
        "Northland's junta adopted a five-year transition back to civilian rule on Wednesday.",
        B,
        "is",
    ),
]


@pytest.mark.parametrize(("watchlist", "title", "text", "label", "how"), CASES)
def test_reading_carries_over(
    watchlist: str, title: str, text: str, label: Label, how: str
) -> None:
    assert_reads(WATCHLISTS[watchlist], title, text, AT, label, how)
