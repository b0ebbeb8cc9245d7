"""An event's own time: background and recaps read from how English news is written.

Made-up parties.  Each case is a general construction, not an item: the clause that dates an
event, the past perfect of backstory (and reported speech, which is not), rounds named by
ordinal against the headline's, and the clause of an earlier event beside a current one.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.config import parse_config
from monitor.judge import Matcher
from monitor.models import Label

AT = datetime(2025, 12, 12, 9, tzinfo=UTC)

ENTITIES = """
entities:
  north: {name: North, aliases: [North, Northern, Northland]}
  south: {name: South, aliases: [South, Southern, Southland]}
  front: {name: the Front, aliases: [Front, Liberation Front]}
"""

TRUCE = (
    ENTITIES
    + """
commitments:
  - id: truce
    title: Northland-Southland truce holds
    statement: Northland and Southland will stop all hostilities.
    kind: ceasefire
    said_by: A mediator
    parties: [north, south]
    effective: 2025-11-02
    ongoing: true
"""
)

TALKS = (
    ENTITIES
    + """
commitments:
  - id: round
    title: Northland and Southland keep talking in Eastport
    statement: Northland and Southland will hold talks in Eastport.
    kind: talks
    said_by: A mediator
    parties: [north, south]
    effective: 2025-11-02
"""
)


def _label(watchlist: str, title: str, text: str = "", at: datetime = AT) -> Label:
    cfg = parse_config(watchlist, env={})
    return Matcher(cfg.commitments, cfg.entities).judge(title, text, at)[0].label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # The signal's own clause dates it before the truce, whatever another clause dates.
        (
            "Northern and Southern troops clashed in late October, before the truce, and "
            "Northland said on Tuesday it would not forget.",
            Label.RELATED,
        ),
        # ... a relative clause too ("which ... in October").
        (
            "On Tuesday Northland buried the soldiers, who were killed when Southern artillery "
            "shelled the border posts in October.",
            Label.RELATED,
        ),
        # Its own clause dated now: a current report.
        (
            "Northern and Southern troops clashed on Tuesday, Northland said, in fighting near "
            "the posts held since October.",
            Label.BREACH,
        ),
        # A date of the agreement, not of the event: the event is current.
        (
            "On Tuesday Southern artillery shelled Northern posts, violating the truce of "
            "November 2.",
            Label.BREACH,
        ),
        # ... and with no other date: the agreement's date does not date the shelling.
        (
            "Southern artillery shelled Northern posts, violating the truce agreed on October 30.",
            Label.BREACH,
        ),
    ],
)
def test_the_clause_dates_its_own_event(text: str, label: Label) -> None:
    assert _label(TRUCE, "Border tension", text) is label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # The past perfect of a narrative: backstory.
        (
            "Residents returned to Eastvale, where Northern and Southern troops had clashed "
            "for a week.",
            Label.RELATED,
        ),
        # Reported speech shifts the simple past back: a current report.
        (
            "Northland said Southern troops had shelled its border posts near Eastvale.",
            Label.BREACH,
        ),
        # The same event in the simple past: a current report.
        (
            "Residents fled Eastvale, where Northern and Southern troops clashed for hours.",
            Label.BREACH,
        ),
    ],
)
def test_past_perfect_is_backstory_unless_reported(text: str, label: Label) -> None:
    assert _label(TRUCE, "Border tension", text) is label


@pytest.mark.parametrize(
    ("title", "text", "label"),
    [
        # The headline's round is the third: the second's failure is a recap.
        (
            "Northland and Southland open third round of talks in Eastport",
            "The second round of talks ended without agreement.",
            Label.RELATED,
        ),
        # Its own round: the current report.
        (
            "Third round of Northland-Southland talks in Eastport",
            "The third round of talks ended without agreement on Tuesday.",
            Label.BREACH,
        ),
        # A round called earlier is an earlier one, whatever the headline names.
        (
            "Northland and Southland talks in Eastport",
            "The previous round of talks ended without agreement.",
            Label.RELATED,
        ),
    ],
)
def test_an_earlier_round_is_a_recap(title: str, text: str, label: Label) -> None:
    assert _label(TALKS, title, text) is label


@pytest.mark.parametrize(
    ("title", "text", "label"),
    [
        # The headline reports a new round (a met signal, too weak to count alone): an undated
        # failure in the body is its background.
        (
            "New round of Northland-Southland talks in Eastport",
            "The talks reached an impasse over the border posts.",
            Label.RELATED,
        ),
        # ... not when the body dates the failure as new.
        (
            "New round of Northland-Southland talks in Eastport",
            "The talks reached an impasse over the border posts on Thursday.",
            Label.BREACH,
        ),
        # A headline with no such event: the failure is the report.
        (
            "Northland and Southland talks in Eastport",
            "The talks reached an impasse over the border posts.",
            Label.BREACH,
        ),
    ],
)
def test_the_headline_is_the_current_event(title: str, text: str, label: Label) -> None:
    assert _label(TALKS, title, text) is label


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # The main clause reports the commitment kept; "after ..." tells what came before.
        (
            "Northland and Southland signed an agreement in Eastport, after talks between them "
            "failed in the capital",
            Label.MET,
        ),
        # A short gap says the failure just happened: still news.
        (
            "Northland and Southland signed an agreement in Eastport, a day after talks between "
            "them failed in the capital",
            Label.BREACH,
        ),
        # The failure alone is the report.
        ("Talks between Northland and Southland failed in Eastport", Label.BREACH),
    ],
)
def test_an_after_clause_beside_the_commitment_kept(title: str, label: Label) -> None:
    assert _label(TALKS, title) is label


HAVEN = (
    ENTITIES
    + """
commitments:
  - id: haven
    title: Northland hosts no Front bases
    statement: Northland will not allow the Front to use its soil.
    kind: no-sanctuary
    said_by: A minister
    parties: [north, front]
    effective: 2025-11-02
"""
)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # The habitual present of a standing claim: background, whoever repeats it.
        (
            "Southland's foreign ministry said Front fighters continue to use Northland to "
            "infiltrate its border districts.",
            Label.RELATED,
        ),
        (
            "For decades Front fighters have infiltrated Southland from Northland.",
            Label.RELATED,
        ),
        # A state in the present, with no event or date: a standing claim.
        (
            "Southland's minister said Front fighters are infiltrating its border districts "
            "from Northland.",
            Label.RELATED,
        ),
        # ... while an event in the past, after the state, is a report ("were continuing").
        (
            "Southland said Front attacks originating from Northland were continuing despite "
            "the pledge.",
            Label.BREACH,
        ),
        # ... and a name in brackets does not cut the clause ("the Front (NLF) fighters ...").
        (
            "Northland sheltered the Liberation Front (NLF) fighters infiltrating Southland's "
            "border districts.",
            Label.BREACH,
        ),
        # A specific attack, dated, said to be launched from there: a current report.
        (
            "Southland said the Front attack on a border post on Tuesday was launched from "
            "Northland.",
            Label.BREACH,
        ),
    ],
)
def test_a_standing_accusation_is_not_a_report(text: str, label: Label) -> None:
    assert _label(HAVEN, "Border tension", text) is label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # "..., when ...": the clause takes the time named just before it.
        (
            "The talks were the first since September, when Northern and Southern troops "
            "clashed on the border.",
            Label.RELATED,
        ),
        # "followed by the truce": before it.
        (
            "Northern shelling of Southern posts, which was followed by the truce, drew protests.",
            Label.RELATED,
        ),
        # "after <a span> of ...": what came before.
        (
            "Northland sought a way out after enduring over 50 days of Southern shelling.",
            Label.RELATED,
        ),
        # The past perfect governs its whole clause ("had retaliated ... with strikes").
        (
            "Northland had retaliated by hitting Southern posts with air strikes.",
            Label.RELATED,
        ),
        # ... while the simple past is a report.
        (
            "Northland retaliated by hitting Southern posts with air strikes.",
            Label.BREACH,
        ),
    ],
)
def test_background_clauses(text: str, label: Label) -> None:
    assert _label(TRUCE, "Border tension", text) is label


PAIR = (
    ENTITIES
    + """
commitments:
  - id: truce
    title: Northland-Southland truce holds
    statement: Northland and Southland will stop all hostilities.
    kind: ceasefire
    said_by: A mediator
    parties: [north, south]
    effective: 2025-11-02
    ongoing: true
  - id: access
    title: Northland lets monitors in
    statement: Northland will let the monitors inspect its sites.
    kind: other
    said_by: A mediator
    parties: [north]
    topics: [monitors, inspections]
    effective: 2025-11-02
    signals:
      breach: ["suspended inspections"]
      met: ["resumed inspections"]
"""
)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # The lead (after a dateline) reports the commitment kept: an older breach below it,
        # not dated as new, is background.
        (
            "EASTPORT - Monitors\nNorthland resumed inspections of its sites with the monitors "
            "on Thursday after weeks of talks.\nNorthland suspended inspections in late November "
            "after the border fighting.",
            Label.MET,
        ),
        # ... not when it is dated as new.
        (
            "EASTPORT - Monitors\nNorthland resumed inspections of its sites with the monitors "
            "on Thursday after weeks of talks.\nNorthland suspended inspections again on "
            "Friday.",
            Label.BREACH,
        ),
    ],
)
def test_the_lead_is_the_current_event(text: str, label: Label) -> None:
    cfg = parse_config(PAIR, env={})
    verdicts = Matcher(cfg.commitments, cfg.entities).judge("Inspections", text, AT)
    assert next(v for v in verdicts if v.commitment_id == "access").label is label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # The article dates its hostilities before the truce: "those strikes" refers back.
        (
            "Southern jets struck Northern depots in October, before the truce.\n"
            "Northland has since criticised the mediators for failing to condemn those Southern "
            "strikes.",
            Label.RELATED,
        ),
        # ... but not a new event told as such ("fresh").
        (
            "Southern jets struck Northern depots in October, before the truce.\n"
            "Northland said fresh Southern strikes hit the depots.",
            Label.BREACH,
        ),
        # ... nor a verb after "that" ("the claim that jets bombed ...").
        (
            "Southern jets struck Northern depots in October, before the truce.\n"
            "Northland's claim that Southern jets bombed its depots strained the truce.",
            Label.BREACH,
        ),
    ],
)
def test_known_hostilities_refer_back(text: str, label: Label) -> None:
    assert _label(TRUCE, "Depots", text) is label


def test_suspending_its_strikes_is_their_end() -> None:
    text = "Southland agreed to suspend its air strikes on Northern posts."
    assert _label(TRUCE, "Border", text) is not Label.BREACH


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # A met event its own clause dates weeks back is a recap: it was news then.
        (
            "On November 10, Northland and Southland held talks in Eastport, under the "
            "mediators, and signed an agreement.",
            Label.RELATED,
        ),
        # ... one dated days back is news.
        (
            "On December 10, Northland and Southland held talks in Eastport, under the "
            "mediators, and signed an agreement.",
            Label.MET,
        ),
    ],
)
def test_a_met_event_dated_weeks_back_is_a_recap(text: str, label: Label) -> None:
    assert _label(TALKS, "Eastport", text) is label


def test_quiet_since_the_truce_is_not_dated_by_it() -> None:
    text = (
        "Since the truce of November 2 the border between Northland and Southland has been quiet."
    )
    assert _label(TRUCE, "Border", text) is Label.MET


VOTE = (
    ENTITIES
    + """
commitments:
  - id: vote
    title: Northland holds its general election in January 2026
    statement: Northland will hold general elections in January 2026.
    kind: other
    said_by: Northland's president
    parties: [north]
    topics: [election, elections]
    effective: 2025-03-01
    deadline: 2026-01-31
    signals:
      breach: ["cannot be held", postponed]
      met: ["polls opened"]
"""
)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # A month named without a year, in a sentence about what is to come, is the coming
        # one: the election "cannot be held in January" is news now, not a recap of last year.
        ("Northland's election commission said elections cannot be held in January.", None),
        # Without a cue of the future, a bare earlier month is the past one: a recap.
        ("Northland's election commission postponed elections in March.", Label.RELATED),
    ],
)
def test_a_coming_month_is_not_a_recap(text: str, label: Label | None) -> None:
    assert _label(VOTE, "Election news", text) is (label or Label.BREACH)
