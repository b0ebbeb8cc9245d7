"""Reading that carries over to a watchlist a user writes (session 25; made-up parties)."""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.models import Label
from tests.helpers import first_label, made_up_watchlist

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)

ENTITIES = """
entities:
  north: {name: North, aliases: [North, Northern, Northland]}
  south: {name: South, aliases: [South, Southern, Southland]}
"""

COUNCIL = made_up_watchlist(
    ENTITIES,
    "talks",
    statement="Northland and Southland hold the next council meeting in Eastport.",
    signals='{met: ["meeting in Eastport"]}',
)


def _label(watchlist: str, title: str, text: str = "") -> Label:
    return first_label(watchlist, title, text, AT)


def test_an_infinitive_aims_at_its_object_past_modifiers() -> None:
    # "to chair" and two modifiers before the user's noun: a plan, not the meeting held.
    title = "Northland, Southland leaders to chair high-level council meeting in Eastport"
    assert _label(COUNCIL, title, f"{title}, officials said.") is not Label.MET
    title = "Northland, Southland leaders chaired high-level council meeting in Eastport"
    assert _label(COUNCIL, title, f"{title}, officials said.") is Label.MET
