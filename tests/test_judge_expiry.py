"""Issue 7, round 2: failure modes met on new conflicts, each with hand-written sentences.

No conflict's words: Northland and Southland are made up.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.config import parse_config
from monitor.judge import Matcher
from monitor.models import Label

WATCHLIST = """
entities:
  north: {name: Northland, aliases: [Northland, Northern, Northport]}
  south: {name: Southland, aliases: [Southland, Southern, Southville]}
  town: {name: Eastvale, aliases: [Eastvale]}
commitments:
  - id: truce
    title: A week-long ceasefire
    statement: The parties agree to a seven-day ceasefire.
    kind: ceasefire
    said_by: Mediators
    parties: [north, south]
    effective: 2025-05-01T12:00:00+00:00
    deadline: 2025-05-08T12:00:00+00:00
    ongoing: true
  - id: truce-worded
    title: A week-long ceasefire, with the user's own breach word
    statement: The parties agree to a seven-day ceasefire.
    kind: ceasefire
    said_by: Mediators
    parties: [north, south]
    effective: 2025-05-01T12:00:00+00:00
    ongoing: true
    signals:
      breach: [violat*]
  - id: swap
    title: Prisoners freed
    statement: Both sides will free the prisoners they hold.
    kind: release
    said_by: Mediators
    parties: [north, south]
    effective: 2025-04-20
  - id: pullout
    title: Northern troops leave Southville
    statement: Northland will withdraw its troops from Eastvale.
    kind: withdrawal
    said_by: Mediators
    parties: [north, south]
    subjects: [town]
    effective: 2025-04-20
  - id: access
    title: Aid lets through
    statement: Both sides will let humanitarian aid through.
    kind: aid
    said_by: Mediators
    parties: [north, south]
    effective: 2025-04-20
  - id: talks
    title: The two sides keep negotiating
    statement: The two sides will continue talks towards a permanent cessation of hostilities.
    kind: talks
    said_by: Mediators
    parties: [north, south]
    topics: [talks]
    effective: 2025-04-20
    ongoing: true
"""
_CFG = parse_config(WATCHLIST, env={})
MATCHER = Matcher(_CFG.commitments, _CFG.entities)


def _label(commitment: str, title: str, at: datetime) -> Label:
    verdicts = {v.commitment_id: v for v in MATCHER.judge(title, "", at)}
    return verdicts[commitment].label


BOTH = (Label.BREACH, Label.MET)


def _expect(
    cid: str, title: str, when: datetime, label: Label, about: tuple[Label, ...] = BOTH
) -> None:
    """A title that should get one of the labels ``about`` gets exactly it; one that should
    not gets none of them (whatever else the judge makes of it)."""
    got = _label(cid, title, when)
    if label in about:
        assert got is label, (title, got)
    else:
        assert got not in about, (title, got)


DURING = datetime(2025, 5, 5, 9, tzinfo=UTC)
AFTER = datetime(2025, 5, 20, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("title", "at", "label"),
    [
        # Fighting while the ceasefire runs breaks it ...
        ("Northern and Southern troops clashed in Northport on Sunday", DURING, Label.BREACH),
        # ... once it has expired (its deadline), fighting is no longer a breach of it ...
        ("Northern and Southern troops clashed in Northport on Sunday", AFTER, Label.RELATED),
        (
            "Heavy fighting between Northland and Southland as the extended truce expires",
            AFTER,
            Label.RELATED,
        ),
        # ... unless the sentence dates the fighting while it ran.
        (
            "Northern and Southern troops clashed in Northport on May 5, monitors said",
            AFTER,
            Label.BREACH,
        ),
    ],
)
def test_a_ceasefire_ends_at_its_deadline(title: str, at: datetime, label: Label) -> None:
    _expect("truce", title, at, label)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # Hostilities that fell are the ceasefire working, not a breach of it.
        ("Ceasefire cuts clashes between Northland and Southland to near zero", Label.MET),
        (
            "Clashes between Northern and Southern troops have fallen to almost none since the "
            "ceasefire began, monitors said",
            Label.MET,
        ),
        ("A week of ceasefire: fewer combats between Northland and Southland", Label.MET),
        ("Northland says the ceasefire with Southland is working", Label.MET),
        ("Northland is abiding by the ceasefire with Southland, a spokesman said", Label.MET),
        # ... unless the same sentence says the fighting goes on.
        (
            "Violence between Northland and Southland has fallen, but clashes continue",
            Label.BREACH,
        ),
        # Fighting that did not fall is still a breach.
        ("Northern and Southern troops clashed in Northport on Sunday", Label.BREACH),
    ],
)
def test_hostilities_that_fell_are_met(title: str, label: Label) -> None:
    _expect("truce", title, DURING, label)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # A round closed, an agreement signed or a truce agreed: the talks took place.
        (
            "Northland and Southland closed their fourth round of talks with agreements on aid",
            Label.MET,
        ),
        (
            "Northland and Southland agreed to a week-long ceasefire after two weeks of talks",
            Label.MET,
        ),
        (
            "Northland and Southland agreed to extend the truce at the close of the sixth round "
            "of talks",
            Label.MET,
        ),
        # Talks suspended, with a name between the cue and the talks, or delegations not meeting.
        ("Mediators announce the suspension of the Geneva talks on Northland", Label.BREACH),
        ("Mediators suspend Northland-Southland talks citing violations", Label.BREACH),
        ("The Northern and Southern delegations have not met since May", Label.BREACH),
        # A saying verb between a talk noun and "opened": the speaker opened something else.
        (
            "The Northland-Southland verification mechanism said it had opened an inquiry",
            Label.RELATED,
        ),
    ],
)
def test_talks_held_and_suspended_in_plain_words(title: str, label: Label) -> None:
    _expect("talks", title, DURING, label)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # A violation of another obligation is not a breach of the ceasefire ...
        (
            "Northern gunmen seized aid trucks in Southville, a violation of Northland's "
            "humanitarian commitments, Southland said",
            Label.RELATED,
        ),
        # ... while a violation of the ceasefire, or of its terms, is.
        (
            "Southland accused Northern troops of violating the ceasefire in Southville on Sunday",
            Label.BREACH,
        ),
        (
            "Southland suspended talks on Sunday, accusing Northland of breaking the truce",
            Label.BREACH,
        ),
    ],
)
def test_a_violation_of_something_else_is_not_a_ceasefire_breach(title: str, label: Label) -> None:
    _expect("truce-worded", title, DURING, label)


SOON = datetime(2025, 5, 2, 6, tzinfo=UTC)  # hours after the ceasefire took effect


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # Calm seen on the first night is an observation, not the announcement ...
        (
            "Northport residents report a calmer night on the first day of the Southland truce",
            Label.MET,
        ),
        # ... and so is a truce seen holding (real news labels it met on its first day) ...
        ("The ceasefire between Northland and Southland holds, mediators say", Label.MET),
        # ... while the pledge renewed within hours is still its announcement.
        (
            "Northland and Southland say they are committed to the ceasefire, mediators say",
            Label.RELATED,
        ),
    ],
)
def test_calm_seen_on_the_first_night_counts(title: str, label: Label) -> None:
    _expect("truce", title, SOON, label)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # "such as" does not end the condition's clause ...
        (
            "Talks could resume, diplomats say, if Northland offers a gesture such as freeing "
            "Southern prisoners",
            Label.RELATED,
        ),
        # ... and a release reported as done is still one.
        ("Northland freed 40 Southern prisoners on Tuesday", Label.MET),
    ],
)
def test_a_condition_reaches_past_such_as(title: str, label: Label) -> None:
    _expect("swap", title, DURING, label)


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # The withdrawal named as done ("after the pullout"), a town handed over: met ...
        ("Shops reopen in Eastvale after Northern pullout", Label.MET),
        ("Eastvale town handed over under the deal with Northland", Label.MET),
        # ... but not a deadline or a plan for it.
        ("Eastvale quiet after the Northern pullout deadline passed", Label.RELATED),
    ],
)
def test_a_withdrawal_named_as_done(title: str, label: Label) -> None:
    _expect("pullout", title, DURING, label, (Label.MET,))


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # Aid seized, looted or held at a checkpoint is aid held up ...
        ("Aid convoy held at a Northern checkpoint for two days, Southland says", Label.BREACH),
        ("Northern gunmen seize food trucks in Southville", Label.BREACH),
        # ... while a meeting about aid held somewhere is not.
        ("An aid conference on Southland was held in Northport on Tuesday", Label.RELATED),
    ],
)
def test_aid_seized_or_held(title: str, label: Label) -> None:
    _expect("access", title, DURING, label, (Label.BREACH,))


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # "late May" is the month, not the modal verb ...
        ("Northland-Southland talks set for late May were postponed", Label.BREACH),
        # ... while "may" before a verb still makes it a possibility.
        ("Northland and Southland may postpone their talks, diplomats say", Label.RELATED),
    ],
)
def test_may_the_month_is_not_a_modal(title: str, label: Label) -> None:
    _expect("talks", title, DURING, label, (Label.BREACH,))


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # A breach dated weeks before the article is a recap of it ...
        (
            "The ceasefire collapsed in June, when Northern and Southern troops clashed in "
            "Northport",
            Label.RELATED,
        ),
        # ... while one dated days before is news.
        ("Northern and Southern troops clashed in Northport on August 30", Label.BREACH),
    ],
)
def test_a_breach_dated_weeks_back_is_a_recap(title: str, label: Label) -> None:
    got = _label("truce-worded", title, datetime(2025, 9, 1, 9, tzinfo=UTC))
    if label is Label.BREACH:
        assert got is label, (title, got)
    else:
        assert got is not Label.BREACH, (title, got)


def test_commitments_that_differ_only_in_deadline_are_judged_apart() -> None:
    """Verdict sharing between commitments that judge alike must count the deadline."""
    base = """
  - id: {id}
    title: A ceasefire
    statement: The parties agree to a ceasefire.
    kind: ceasefire
    said_by: Mediators
    parties: [north, south]
    effective: 2025-05-01T12:00:00+00:00
    ongoing: true
"""
    text = (
        WATCHLIST.split("commitments:")[0]
        + "commitments:"
        + base.format(id="open-ended")
        + base.format(id="expired")
        + "    deadline: 2025-05-08T12:00:00+00:00\n"
    )
    cfg = parse_config(text, env={})
    verdicts = {
        v.commitment_id: v.label
        for v in Matcher(cfg.commitments, cfg.entities).judge(
            "Northern and Southern troops clashed in Northport on Sunday", "", AFTER
        )
    }
    assert verdicts == {"open-ended": Label.BREACH, "expired": Label.RELATED}


@pytest.mark.parametrize(
    ("title", "label"),
    [
        # What an agreement commits the sides to is not what they did ...
        (
            "The deal bans attacks and commits both sides to let aid into Southland",
            Label.RELATED,
        ),
        # ... what they did is.
        ("Northland let 40 aid trucks into Southland on Sunday", Label.MET),
    ],
)
def test_what_a_deal_commits_the_sides_to_is_not_done(title: str, label: Label) -> None:
    _expect("access", title, DURING, label, (Label.MET,))
