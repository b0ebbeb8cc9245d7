"""Reading that carries over to a watchlist a user writes (session 19; made-up parties).

Each case is a general reason a real report was misread with a user's watchlist that nobody
had tuned on (the India-China border set's dev half).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.models import Label
from tests.helpers import first_label, made_up_watchlist

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)

ENTITIES = """
entities:
  north: {name: North, aliases: [North, Northern, Northland]}
  south: {name: South, aliases: [South, Southern, Southland]}
  ridge: {name: the Ridge, aliases: [Ridge, the Ridge, Blue Ridge]}
"""


def _watchlist(kind: str, statement: str = "", extra: str = "") -> str:
    statement = statement or "Northland and Southland will keep their promise."
    return made_up_watchlist(
        ENTITIES, kind, statement=statement, subjects="[ridge]", tail=extra or "    ongoing: true"
    )


def _label(watchlist: str, title: str, text: str = "") -> Label:
    return first_label(watchlist, title, text, AT)


def test_a_stable_situation_is_a_ceasefire_kept() -> None:
    truce = _watchlist("ceasefire")
    said = "The situation along the whole of the Blue Ridge is stable, the Northern chief said."
    assert _label(truce, "Army chief speaks on the Ridge", said) is Label.MET
    assert _label(truce, "Situation on the Ridge remains under control, Northland says") is (
        Label.MET
    )
    # not stable, or only hoped to be, is no kept truce
    unsure = "The situation along the Blue Ridge is not stable, the Northern army chief said."
    assert _label(truce, "Army chief speaks on the Ridge", unsure) is not Label.MET


def test_a_place_told_by_what_once_happened_there_is_no_new_clash() -> None:
    truce = _watchlist("ceasefire")
    told = (
        "Southland has built a new depot on the Ridge, only a few kilometres from the place "
        "where Northern and Southern troops clashed."
    )
    assert _label(truce, "Southland builds a depot on the Ridge", told) is not Label.BREACH
    # the clash itself, told as news, is still a breach
    news = "Northern and Southern troops clashed on the Ridge on Tuesday, officials said."
    assert _label(truce, "Troops clash on the Ridge", news) is Label.BREACH


def test_talks_held_are_the_promise_when_the_statement_only_seeks_an_outcome() -> None:
    held = "Northern and Southern envoys held talks on the Ridge on Tuesday."
    # "to seek a settlement": the meeting is what was promised
    seek = _watchlist("talks", "Northland and Southland meet again to seek a fair settlement.")
    assert _label(seek, "Envoys meet", held) is Label.MET
    # an outcome that is the name of a body is no outcome either
    named = _watchlist(
        "talks", "Northland and Southland meet within the Joint Mechanism for Border Affairs."
    )
    assert _label(named, "Envoys meet", held) is Label.MET
    # an outcome the talks must produce: talks held alone are not enough
    produce = _watchlist("talks", "Northland and Southland agree a verification mechanism.")
    assert _label(produce, "Envoys meet", held) is not Label.MET


# Told, not reported: in each case the first story does not count as the label, and the
# same event told as the news does.
TOLD = [
    pytest.param(
        ("withdrawal", "Northland withdraws from the Ridge.", "    deadline: 2025-11-05"),
        # "had" before a participle is that verb's auxiliary: no forces kept
        "Northland had blocked the Southern army from patrolling the Ridge, but the blockade "
        "will now be removed, officials said.",
        "Northland still has troops on the Ridge, a week after the deadline, officials said.",
        Label.BREACH,
        id="had-is-an-auxiliary",
    ),
    pytest.param(
        ("talks", "", '    ongoing: true\n    signals: {met: ["fifth round of"]}'),
        # what an infinitive aims at is a plan, unless a past act carries it
        "The Northern envoy will travel to Southland on the Ridge next Monday to hold the fifth "
        "round of talks, officials said.",
        "Northland and Southland managed to hold the fifth round of talks on Monday.",
        Label.MET,
        id="an-infinitive-aims-at-it",
    ),
    pytest.param(
        ("ceasefire", "", '    ongoing: true\n    signals: {breach: ["attack on"]}'),
        # a relative clause set off by commas tells about someone: an aside
        "A decision to indict Marko, who took responsibility for the attack on Southern "
        "police on the Ridge, will be made by the end of the year, the Northern prosecutor said.",
        "Northern gunmen carried out an attack on Southern police on the Ridge on Tuesday.",
        Label.BREACH,
        id="a-relative-clause-aside",
    ),
]


@pytest.mark.parametrize(("watchlist", "told", "news", "label"), TOLD)
def test_an_event_told_is_not_reported(
    watchlist: tuple[str, str, str], told: str, news: str, label: Label
) -> None:
    wl = _watchlist(*watchlist)
    assert _label(wl, "A story from the Ridge", told) is not label
    assert _label(wl, "News from the Ridge", news) is label
