"""Language the judge reads the same way in every conflict (no conflict's words here)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.config import parse_config
from monitor.judge import Matcher
from monitor.models import Label

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)

WATCHLIST = """
entities:
  north: {name: North, aliases: [North, Northern, Northland]}
  south: {name: South, aliases: [South, Southern, Southland]}
commitments:
  - id: pledge
    title: The two sides keep their word
    statement: The two sides will do what they agreed.
    kind: KIND
    said_by: A mediator
    parties: [north, south]
    effective: 2025-10-20
    signals: {breach: [captur*, "air strike*"], met: [exchanged, "lifted the blockade"]}
"""


def _label(kind: str, title: str) -> Label:
    cfg = parse_config(WATCHLIST.replace("KIND", kind), env={})
    return Matcher(cfg.commitments, cfg.entities).judge(title, "", AT)[0].label


@pytest.mark.parametrize(
    ("kind", "title", "label"),
    [
        # Sport is not hostilities.
        (
            "ceasefire",
            "Northland beat Southland in a cricket match clash on Tuesday",
            Label.RELATED,
        ),
        ("ceasefire", "Northern and Southern troops clashed on Tuesday", Label.BREACH),
        # A met claim, then a concession: the claim stands.
        (
            "ceasefire",
            "The Northland-Southland truce is largely holding despite strikes on Monday",
            Label.MET,
        ),
        # A stoppage of firing is not firing.
        (
            "ceasefire",
            "Northland and Southland agreed the stoppage of firing on Tuesday",
            Label.RELATED,
        ),
        # Hostilities in plain words.
        ("ceasefire", "Two Southern farmers were killed by Northern fire on Tuesday", Label.BREACH),
        ("ceasefire", "Rockets were fired from Northland into Southland on Tuesday", Label.BREACH),
        (
            "ceasefire",
            "Northland said Southland had laid new landmines along the border",
            Label.BREACH,
        ),
        # Shots heard are hostilities.
        ("ceasefire", "Shots were heard near Northern and Southern posts on Tuesday", Label.BREACH),
        # "Captured soldiers" are prisoners, not a capture.
        (
            "ceasefire",
            "Northland handed 14 captured soldiers to Southland on Tuesday",
            Label.RELATED,
        ),
        (
            "ceasefire",
            "Northland handed three captured Southern soldiers over on Tuesday",
            Label.RELATED,
        ),
        ("ceasefire", "Northern troops captured a Southern hill on Tuesday", Label.BREACH),
        # A recap of how the truce came about.
        (
            "ceasefire",
            "Northern and Southern troops clashed for days before the two sides agreed to a truce",
            Label.RELATED,
        ),
        # A plan, not a report: "are expected"; an infinitive of a past-tense signal.
        (
            "release",
            "The first exchanges are expected in the coming weeks, Northland said",
            Label.RELATED,
        ),
        ("release", "Northland says Southland has a week to lift the blockade", Label.RELATED),
        ("release", "Northland lifted the blockade on Southland on Tuesday", Label.MET),
        # "To be exchanged": not yet done.
        (
            "release",
            "Northland said the Southern prisoners to be exchanged are listed",
            Label.RELATED,
        ),
        # The past, months before.
        (
            "ceasefire",
            "Southland buried a leader on Sunday, months after his death in a Northern air strike",
            Label.RELATED,
        ),
    ],
)
def test_general_language(kind: str, title: str, label: Label) -> None:
    assert _label(kind, title) is label
