"""Reading that carries over to a watchlist a user writes (session 17, round 2; made-up parties).

Each case is a general reason a real report was misread with a user's watchlist that nobody
had tuned on.
"""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.judge.text import find_dates
from monitor.models import Label
from tests.helpers import first_label, made_up_watchlist

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)

ENTITIES = """
entities:
  north: {name: North, aliases: [North, Northern, Northland]}
  south: {name: South, aliases: [South, Southern, Southland]}
  outpost: {name: the Reef outpost, aliases: [Reef outpost, Coral Reef]}
  isle: {name: Gull Isle, aliases: [Gull Isle]}
"""


CALM = """  - id: calm
    title: Northland and Southland keep the sea calm
    statement: Northland and Southland will keep the sea calm.
    kind: ceasefire
    said_by: A mediator
    parties: [north, south]
    subjects: [isle, outpost]
    effective: 2025-11-01
    ongoing: true
"""


def _watchlist(
    kind: str, signals: str = "{}", subjects: str = "[]", effective: str = "2025-11-01"
) -> str:
    return made_up_watchlist(
        ENTITIES, kind, signals=signals, subjects=subjects, effective=effective, more=CALM
    )


def _label(watchlist: str, title: str, text: str = "", at: datetime = AT) -> Label:
    return first_label(watchlist, title, text, at)


def test_an_article_about_another_commitments_place_is_not_about_this_one() -> None:
    aid = _watchlist("aid", '{breach: ["water cannon*"]}', "[outpost]")
    # the parties' clash at another commitment's place, in an article that never names the aid
    # (a topic word) or its place (a subject)
    elsewhere = "Northern coast guard fires water cannon at Southern boat off Gull Isle"
    assert _label(aid, elsewhere, "The Southern crew was unhurt, officials said.") is Label.NONE
    # the same clash at the aid's place, or told with the aid, is still a breach
    here = "Northern coast guard fires water cannon at Southern boat near the Coral Reef"
    assert _label(aid, here) is Label.BREACH
    told = "Northern coast guard fires water cannon at Southern supply boat"
    assert _label(aid, told, "The supplies did not reach the troops.") is Label.BREACH


def test_a_withdrawal_reported_under_way_on_its_first_day_is_met() -> None:
    # The pledge to withdraw is made as the troops move: the move reported that day is the
    # withdrawal, not the announcement told again ("will withdraw" stays a plan).
    wd = _watchlist("withdrawal", '{met: ["completed its withdrawal"]}')
    day = datetime(2025, 11, 1, 15, tzinfo=UTC)
    assert _label(wd, "Northland completed its withdrawal from Southland", at=day) is Label.MET
    begun = "Northland has begun withdrawing its troops from Southland"
    assert _label(wd, begun, at=day) is Label.MET
    plan = "Northland will withdraw its troops from Southland"
    assert _label(wd, plan, at=day) is not Label.MET


def test_an_offer_of_talks_turned_down_is_a_refusal() -> None:
    talks = _watchlist("talks")
    for title in (
        "Northland's leader dismisses Southland's offer of talks",
        "Northland rejected an offer of renewed talks from Southland on Monday",
    ):
        assert _label(talks, title) is Label.BREACH, title
    assert _label(talks, "Northland welcomes Southland's offer of talks") is not Label.BREACH


def test_a_met_event_dated_to_a_month_or_season_weeks_before_is_a_recap() -> None:
    other = _watchlist(
        "other",
        '{met: ["announced its dissolution", "burned their weapons"]}',
        effective="2025-03-01",
    )
    late = datetime(2025, 11, 17, 9, tzinfo=UTC)
    may = "Northland's Front announced its dissolution in May, and Southland welcomed it."
    assert _label(other, "Northland and Southland meet again", may, at=late) is not Label.MET
    summer = "In the summer, Northland's fighters burned their weapons before Southland's envoys."
    assert _label(other, "Northland and Southland meet again", summer, at=late) is not Label.MET
    # the same events told as new are met; "may" the verb is no month
    news = "Northland's Front announced its dissolution, and Southland welcomed it."
    assert _label(other, "Northland and Southland meet again", news, at=late) is Label.MET
    verb = "Northland's fighters burned their weapons, and it may help Southland's talks."
    assert _label(other, "Northland and Southland meet again", verb, at=late) is Label.MET


def test_a_vote_carries_out_its_infinitive() -> None:
    law = _watchlist("other", '{met: ["approved the report"]}')
    voted = (
        "Northland assembly voted overwhelmingly on Wednesday to approve the report on Southland"
    )
    assert _label(law, voted) is Label.MET
    # a plan stays a plan
    plan = "Northland assembly is expected to approve the report on Southland"
    assert _label(law, plan) is not Label.MET


def _with_east(kind: str) -> str:
    """The watchlist with a third party, bound by another commitment."""
    return _watchlist(kind).replace(
        "  isle:", "  east: {name: East, aliases: [Eastland, Eastern]}\n  isle:"
    ) + (
        """  - id: tell
    title: Northland tells Eastland of violations
    statement: Northland will inform Eastland of every violation.
    kind: inform
    said_by: A minister
    parties: [north, east]
    effective: 2025-11-01
"""
    )


def test_talks_held_by_one_party_and_another_commitments_party_are_other_talks() -> None:
    talks = _with_east("talks")
    others = "Northern and Eastern envoys held talks in the capital on Monday"
    assert _label(talks, others) is not Label.MET
    # the commitment's own parties so named are its talks
    own = "Northern and Southern envoys held talks in the capital on Monday"
    assert _label(talks, own) is Label.MET


def test_a_texts_terms_are_not_events() -> None:
    truce = _watchlist("ceasefire")
    terms = (
        "The declaration outlines a commitment to a permanent ceasefire by Northland and Southland"
    )
    assert _label(truce, "Northland and Southland sign a declaration", terms) is not Label.MET
    ban = "The accord prohibits Northern troops from shelling Southern villages"
    assert _label(truce, "Northland and Southland sign an accord", ban) is not Label.BREACH
    # the same events reported are
    kept = "Northland and Southland reaffirmed their commitment to the ceasefire on Monday"
    assert _label(truce, "Northland and Southland meet", kept) is Label.MET
    shelled = "Northern troops shelled Southern villages on Monday"
    assert _label(truce, "Northland and Southland meet", shelled) is Label.BREACH


def test_an_agreement_signed_by_one_party_and_another_commitments_party_is_other_talks() -> None:
    talks = _with_east("talks")
    assert _label(talks, "Northland-Eastland peace agreement signed at talks") is not Label.MET
    assert _label(talks, "Northland-Southland peace agreement signed at talks") is Label.MET


def test_a_round_that_ends_at_its_venue_was_held() -> None:
    talks = _watchlist("talks")
    held = "Second round of Northland-Southland talks ends in the capital as gaps remain"
    assert _label(talks, held) is Label.MET
    assert _label(talks, "Northland-Southland talks ended in deadlock") is Label.BREACH


def test_examples_are_told_as_what_they_exemplify() -> None:
    truce = _watchlist("ceasefire", '{breach: ["aggressive actions", harassment, "water cannon*"]}')
    past = (
        "Southern patrols had been met with aggressive actions from Northland, including"
        " harassment and water cannon attacks."
    )
    assert _label(truce, "Northland and Southland meet", past) is not Label.BREACH
    # a dated example is news of its own
    dated = (
        "Southern patrols had been met with aggressive actions from Northland, including"
        " water cannon attacks on Sunday night."
    )
    assert _label(truce, "Northland and Southland meet", dated) is Label.BREACH


def test_a_hostile_words_drill_is_not_the_act() -> None:
    truce = _watchlist("ceasefire", '{breach: ["water cannon*"]}')
    drill = "Northland staged water cannon drills near Southern boats on Monday."
    assert _label(truce, "Northland and Southland meet", drill) is not Label.BREACH
    fired = "Northland fired water cannon at Southern boats on Monday."
    assert _label(truce, "Northland and Southland meet", fired) is Label.BREACH


def test_a_month_last_year_is_last_years() -> None:
    (d,) = find_dates("It was in July last year when they met", datetime(2025, 3, 7, tzinfo=UTC))
    assert (d.first.year, d.first.month, d.last.day) == (2024, 7, 31)
