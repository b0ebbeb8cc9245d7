"""Reading that carries over to a watchlist a user writes (session 26; made-up parties)."""

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

CEASEFIRE = made_up_watchlist(
    ENTITIES, "ceasefire", statement="Northland and Southland stop attacking each other."
)


def _label(watchlist: str, title: str, text: str = "") -> Label:
    return first_label(watchlist, title, text, AT)


def test_not_stopping_the_fighting_is_fighting() -> None:
    # The verb before the hostilities: "have not stopped fighting" goes on fighting.
    text = (
        "Northland and Southland forces have not stopped fighting along the border, residents said."
    )
    assert _label(CEASEFIRE, "Border town fears", text) is Label.BREACH
    text = "Northland has kept up strikes on Southland border posts, residents said."
    assert _label(CEASEFIRE, "Border town fears", text) is Label.BREACH
    # ... while fighting that has stopped is not.
    text = "Northland and Southland forces have stopped fighting along the border, residents said."
    assert _label(CEASEFIRE, "Border town calm", text) is not Label.BREACH
