"""Reading that carries over to a watchlist a user writes (session 33; made-up places)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from monitor.models import Label
from tests.helpers import NORTH_SOUTH, assert_reads, made_up_watchlist

#: The commitments below took effect on 2025-11-01; this report came two months later.
AT = datetime(2026, 1, 15, 9, tzinfo=UTC)

B, M = Label.BREACH, Label.MET
BORDER = "Border report"
CAPITAL = "Capital report"

#: Talks between Northland and a front named only in names of more than one word.
TREATY = """
entities:
  north: {name: North, aliases: [Northland]}
  front: {name: Front, aliases: [Eastern Front, Eastern fighters]}
commitments:
  - id: it
    title: Northland and the Front sign a peace treaty
    statement: Northland and the Front will sign a peace treaty.
    kind: talks
    said_by: A mediator
    parties: [north, front]
    effective: 2025-11-01
    ongoing: true
"""

WATCHLISTS = {
    "treaty": TREATY,
    "talks": made_up_watchlist(
        NORTH_SOUTH, "talks", statement="Northland and Southland hold a new round of talks."
    ),
    "disarmament": made_up_watchlist(
        NORTH_SOUTH, "disarmament", statement="Northland's rebels hand in their weapons."
    ),
    "withdrawal": made_up_watchlist(
        NORTH_SOUTH,
        "withdrawal",
        statement="Northland's rebels withdraw from Southland's port.",
    ),
    "ceasefire": made_up_watchlist(NORTH_SOUTH, "ceasefire", statement="The truce holds."),
    "release": made_up_watchlist(
        NORTH_SOUTH, "release", statement="Southland frees the Northern soldiers it holds."
    ),
    # the shipped transition kind, with no words of the user's
    "transition": made_up_watchlist(
        NORTH_SOUTH,
        "transition",
        statement="Northland's junta hands power to elected civilians within two years.",
    ),
}

#: (watchlist, headline, text, the label it must get, or "not" it). Each mechanism comes with
#: the case that must still count (or still not), so that a guard cannot pass by silencing all.
CASES = [
    # A headline's present tells what happened: the rebels withdraw ...
    ("withdrawal", BORDER, "Northern rebels withdraw from Southland port", M, "is"),
    # ... but not what they are to do.
    ("withdrawal", BORDER, "Northern rebels to withdraw from Southland port", M, "not"),
    # Fighters who heed the truce keep it ...
    ("ceasefire", BORDER, "Northern fighters heed Southland truce order", M, "is"),
    # ... but not those who "refuse to" keep it (the plural present of a refusal negates too).
    ("ceasefire", BORDER, "Northern fighters refuse to keep the truce with Southland", M, "not"),
    # What is "impossible to" or what someone is called on to do is not done ...
    (
        "ceasefire",
        BORDER,
        "In such conditions, it is impossible to extend the ceasefire, a Northern official said.",
        M,
        "not",
    ),
    (
        "ceasefire",
        BORDER,
        "We continue to call on Northland and Southland to adhere to their obligations under the "
        "ceasefire agreement.",
        M,
        "not",
    ),
    # ... what the sides did is.
    ("ceasefire", BORDER, "Northland and Southland extended the ceasefire by a month.", M, "is"),
    # A lull in the fighting is no fighting ...
    (
        "ceasefire",
        "Northland and Southland sides fail to agree on truce",
        "The truce, which took effect in April, is the longest lull of fighting in the war.",
        B,
        "not",
    ),
    # ... nor are weapons seized an attack ...
    ("ceasefire", "Northern militia weapons seized in Southland border town", "", B, "not"),
    # ... as a border town seized is.
    ("ceasefire", "Northern militia seized Southland border town", "", B, "is"),
    # A word that begins a party's name is that party's in a hyphened pair ...
    ("treaty", CAPITAL, "Northland-Eastern talks stalled on Monday.", B, "is"),
    # ... a word that is nobody's is another pair's ...
    ("treaty", CAPITAL, "The Northland-Westrian talks stalled on Monday.", B, "not"),
    # ... and talks at a dead end have failed.
    (
        "treaty",
        CAPITAL,
        "Talks between Northland and the Eastern Front reached a dead end.",
        B,
        "is",
    ),
    # Fighters who "lined up peacefully to" hand in their weapons did so ...
    (
        "disarmament",
        CAPITAL,
        "Fighters of the Northern Movement (NM) lined up peacefully to hand in their weapons on "
        "Tuesday.",
        M,
        "is",
    ),
    # ... those who "were told to" did not yet.
    ("disarmament", CAPITAL, "Northern fighters were told to hand in their weapons.", M, "not"),
    # Soldiers who "returned fire" returned no one ...
    (
        "release",
        BORDER,
        "Northern soldiers at the post returned fire after the Southern patrol shot first.",
        M,
        "not",
    ),
    # ... the soldiers the other side returned are freed.
    ("release", BORDER, "Southland returned 20 Northern soldiers at the border crossing.", M, "is"),
    # Peacekeepers killed when shells "accidentally exploded" were not attacked ...
    (
        "ceasefire",
        BORDER,
        "Five Southern soldiers were killed when a box of mortar shells they were carrying to a "
        "Northern depot accidentally exploded.",
        B,
        "not",
    ),
    # ... those killed when Northern mortar shells hit their post were.
    (
        "ceasefire",
        BORDER,
        "Five Southern soldiers were killed when Northern mortar shells hit their post.",
        B,
        "is",
    ),
    # The caption of an archive photo is no news ...
    (
        "talks",
        CAPITAL,
        "FILE - Northland and Southland envoys held talks in Madrid, Dec. 3, 2025.",
        M,
        "not",
    ),
    # ... the same words in the story are.
    (
        "talks",
        CAPITAL,
        "Northland and Southland envoys held talks in Madrid, Dec. 3, 2025.",
        M,
        "is",
    ),
    # A process's "exercises" are that process, not a drill.
    (
        "disarmament",
        "UN suspends disarmament exercises in Northland",
        "The United Nations said on Monday that the camps would be upgraded over the holidays.",
        B,
        "is",
    ),
    # The transition kind's own words: the transition extended, power kept ...
    ("transition", CAPITAL, "Northland's junta extended the transition by three years.", B, "is"),
    (
        "transition",
        CAPITAL,
        "Northland's ruler refused to step down after the court confirmed his defeat.",
        B,
        "is",
    ),
    # ... or power handed over ...
    (
        "transition",
        CAPITAL,
        "Northland's junta handed power to the newly elected president on Sunday.",
        M,
        "is",
    ),
    # A handover that did not happen, or that the ruler says will not, is its breach ...
    (
        "transition",
        CAPITAL,
        "Northland's ruler vowed he was not going to hand over power to the opposition.",
        B,
        "is",
    ),
    # ... but "no secret" is no negation.
    (
        "transition",
        CAPITAL,
        "Northland's junta leader has vowed to hand over power but has made no secret of his "
        "desire to stay in office.",
        B,
        "not",
    ),
    # ... but not a handover only promised.
    (
        "transition",
        CAPITAL,
        "Northland's junta said it will hand over power to civilians next year.",
        M,
        "not",
    ),
]


@pytest.mark.parametrize(("watchlist", "title", "text", "label", "how"), CASES)
def test_reading_carries_over(
    watchlist: str, title: str, text: str, label: Label, how: str
) -> None:
    assert_reads(WATCHLISTS[watchlist], title, text, AT, label, how)


#: Names that read alike ("NLF-UML" and "NLF (UML)" are one phrase to the index) and a
#: hyphened name of the front that begins with the same word.
ALIKE = """
entities:
  govt: {name: Government, aliases: [Northland, NLF-UML, NLF (UML)]}
  front: {name: Front, aliases: [NLF-Maoist, NLF (Maoist), NLF-M, Maoists, Maoist]}
commitments:
  - id: it
    title: The mission registers the front's weapons
    statement: The front's weapons are registered by the mission and kept in containers.
    kind: other
    said_by: A mediator
    parties: [govt, front]
    effective: 2025-11-01
    ongoing: true
    signals: {met: [registered the weapons]}
"""

_SEEDED = """
import sys
from datetime import UTC, datetime
from monitor.config import parse_config
from monitor.judge.engine import Matcher
cfg = parse_config(sys.stdin.read(), env={})
text = (
    "The weapons were kept under an agreement signed between the Interim Government and the "
    "NLF-Maoist, although the mission, as requested, registered the weapons concerned."
)
print(Matcher(cfg.commitments, cfg.entities).judge("Mission report", text,
      datetime(2026, 1, 15, 9, tzinfo=UTC))[0].label.value)
"""


def test_verdicts_do_not_hang_on_the_hash_seed() -> None:
    """Two spellings of one name: the judge keeps the same one in every process."""
    labels = set()
    for seed in range(1, 17):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        out = subprocess.run(
            [sys.executable, "-c", _SEEDED],
            input=ALIKE,
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        labels.add(out.stdout.strip())
    assert labels == {"met"}
