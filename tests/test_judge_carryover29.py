"""Reading that carries over to a watchlist a user writes (session 29; made-up parties)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.config import parse_config
from monitor.judge.data import SHIPPED
from monitor.judge.engine import OWN_TOPICS, Matcher
from monitor.models import Label
from tests.helpers import NORTH_SOUTH, assert_reads, made_up_watchlist

#: The commitments below took effect on 2025-11-01; this report came two months later.
AT = datetime(2026, 1, 15, 9, tzinfo=UTC)

B, M = Label.BREACH, Label.MET
NO_DETAILS = "Officials gave no details."
STOP = "Northland and Southland stop attacking each other."

WATCHLISTS = {
    # a release of one named captive: the user names him in the topics, the kind's captive
    # nouns ("prisoners", "hostages") do not
    "envoy": made_up_watchlist(
        NORTH_SOUTH,
        "release",
        statement="Northland frees Aldo Brenn, the Southland envoy it holds.",
        tail='    topics: ["Aldo Brenn"]\n    ongoing: true',
        more="""  - id: traders
    title: Northland frees the traders
    statement: Northland frees the Southland traders it holds.
    kind: release
    said_by: A mediator
    parties: [north, south]
    effective: 2025-11-01
    topics: ["Southland traders"]
    ongoing: true
""",
    ),
    "prisoners": made_up_watchlist(
        NORTH_SOUTH, "release", statement="Northland frees the Southland prisoners it holds."
    ),
    "treaty": made_up_watchlist(
        NORTH_SOUTH,
        "other",
        statement="Northland ratifies the border treaty with Southland.",
        signals='{breach: ["delayed the border treaty"], met: ["ratified the border treaty"]}',
    ),
    "ceasefire": made_up_watchlist(NORTH_SOUTH, "ceasefire", statement=STOP),
    "elsewhere": made_up_watchlist(
        NORTH_SOUTH, "ceasefire", statement=STOP, tail="    ongoing: true\n    exclude: [Eastvale]"
    ),
    "talks": made_up_watchlist(
        NORTH_SOUTH, "talks", statement="Northland and Southland hold talks on their border."
    ),
}

STRIKES = "The drone strikes on the bases killed five people, Southland officials said."

#: (watchlist, headline, text, the label it must get, or "not" it). Each mechanism comes with
#: the case that must still count (or still not), so that a guard cannot pass by silencing all.
CASES = [
    # The release kind's pairs take ``@topics``: the commitment's own captive stands where the
    # kind's captive nouns do ("frees Aldo Brenn") ...
    ("envoy", "Northland frees Aldo Brenn after Southland talks", NO_DETAILS, M, "is"),
    ("envoy", "Aldo Brenn freed by Northland, Southland says", NO_DETAILS, M, "is"),
    ("envoy", "Southland receives Aldo Brenn at the Northland border", NO_DETAILS, M, "is"),
    ("envoy", "Northland holds back Aldo Brenn from the Southland list", NO_DETAILS, B, "is"),
    # ... not another commitment's captives, which are its topics, not this one's ...
    ("envoy", "Northland frees Southland traders", NO_DETAILS, M, "not"),
    # ... and a statement released names no captive freed.
    ("envoy", "Aldo Brenn statement released by Northland, Southland says", NO_DETAILS, M, "not"),
    # "No doubt" is certainty, not a negation: no breach ...
    (
        "prisoners",
        "Prisoners report",
        "The Southland minister said he had no doubt the prisoners held by Northland would be "
        "released.",
        B,
        "not",
    ),
    # ... while "not" before the same release is one.
    (
        "prisoners",
        "Prisoners report",
        "The Southland minister said the prisoners held by Northland have not been released.",
        B,
        "is",
    ),
    # Captives "still imprisoned" or "remain behind bars" are not released ...
    (
        "prisoners",
        "Prisoners report",
        "Dozens of Southland prisoners are still imprisoned in Northland.",
        B,
        "is",
    ),
    (
        "prisoners",
        "Prisoners report",
        "Forty Southland prisoners remain behind bars in Northland.",
        B,
        "is",
    ),
    # ... and that told of a year before the promise is no breach of it.
    (
        "prisoners",
        "Prisoners report",
        "In 2019, Southland prisoners were still imprisoned in Northland.",
        B,
        "not",
    ),
    # A participle after "much" or "long" (a compound adjective) describes the noun ...
    ("treaty", "Northland ratifies Southland's much-delayed border treaty", NO_DETAILS, B, "not"),
    (
        "treaty",
        "Northland ratifies the long delayed border treaty with Southland",
        NO_DETAILS,
        B,
        "not",
    ),
    # ... while the verb, or the participle after an auxiliary, is the event.
    ("treaty", "Northland delayed the border treaty with Southland again", NO_DETAILS, B, "is"),
    ("treaty", "Southland says Northland has long delayed the border treaty", NO_DETAILS, B, "is"),
    # A breach dated three weeks and more before the report is the story's background ...
    (
        "ceasefire",
        "Border report",
        "On December 22, Northland forces shelled Southland border villages.",
        B,
        "not",
    ),
    # ... one a fortnight before it is still news.
    (
        "ceasefire",
        "Border report",
        "On January 3, Northland forces shelled Southland border villages.",
        B,
        "is",
    ),
    # A side ends the ceasefire, calls it off or revokes it ...
    ("ceasefire", "Northland ends ceasefire with Southland", NO_DETAILS, B, "is"),
    ("ceasefire", "Northland calls off the truce with Southland", NO_DETAILS, B, "is"),
    ("ceasefire", "Northland revokes its ceasefire with Southland", NO_DETAILS, B, "is"),
    (
        "ceasefire",
        "Northland suspends the truce with Southland after an ambush",
        NO_DETAILS,
        B,
        "is",
    ),
    # ... not a war that ended with a ceasefire.
    ("ceasefire", "The Northland-Southland war ended with a ceasefire", NO_DETAILS, B, "not"),
    # A headline event at an excluded place: the body's strikes are that story's ...
    ("elsewhere", "Northland drones strike rebel bases in Eastvale", STRIKES, B, "not"),
    # ... while an excluded name that is not where it happens leaves the story ours.
    ("elsewhere", "Northland drones strike Southland bases, Eastvale says", STRIKES, B, "is"),
    # Talks that continue are under way ...
    ("talks", "Prisoners freed as Northland-Southland talks continue", NO_DETAILS, M, "is"),
    ("talks", "Northland and Southland talks continued for a second week", NO_DETAILS, M, "is"),
    # ... talks "to continue" are a plan.
    ("talks", "Northland and Southland talks to continue next month", NO_DETAILS, M, "not"),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}: {c[1]}: {c[3]} {c[4]}" for c in CASES])
def test_reading_carries_over(case: tuple[str, str, str, Label, str]) -> None:
    name, title, text, label, how = case
    assert_reads(WATCHLISTS[name], title, text, AT, label, how)


def test_the_release_kind_uses_the_own_topics_cue() -> None:
    """The cue is data: the shipped release kind's met pairs name it."""
    pairs = SHIPPED.kinds["release"].pairs
    assert any(OWN_TOPICS in (*p.first, *p.second) for p in pairs if p.label == "met")


#: A truce between a state and an armed group the watchlist marks as one (``armed_group``),
#: and one between two states that the group is no party to.
GROUP_TRUCE = """
entities:
  north: {name: North, aliases: [North, Northland, Northern]}
  south: {name: South, aliases: [South, Southland, Southern]}
  front: {name: Eastvale Front, aliases: [Eastvale Front, the Front], armed_group: true}
commitments:
  - id: it
    title: The Front's truce with Northland holds
    statement: The Eastvale Front stops its attacks on Northland.
    kind: ceasefire
    said_by: The Front
    parties: [north, front]
    effective: 2025-11-01
    ongoing: true
  - id: states
    title: Northland and Southland keep their ceasefire
    statement: Northland and Southland stop attacking each other.
    kind: ceasefire
    said_by: A mediator
    parties: [north, south]
    effective: 2025-11-01
    ongoing: true
"""


@pytest.mark.parametrize(
    ("flag", "which", "how"),
    [
        # the group is a party: its attack on Northland's police breaks its truce ...
        ("true", 0, "is"),
        # ... not the two states' ceasefire, which militants' attacks do not break
        ("true", 1, "not"),
        # ... and unmarked, the Front's militants are others, not a party acting
        ("false", 0, "not"),
    ],
)
def test_a_truce_with_a_group_is_broken_by_its_attacks(flag: str, which: int, how: str) -> None:
    watchlist = GROUP_TRUCE.replace("armed_group: true", f"armed_group: {flag}")
    cfg = parse_config(watchlist, env={})
    verdicts = Matcher(cfg.commitments, cfg.entities).judge(
        "Six Northland police officers killed in ambush",
        "Eastvale Front militants opened fire on a police post, killing six.",
        AT,
    )
    assert (verdicts[which].label is B) == (how == "is"), verdicts[which]


#: A ceasefire whose user signal reads "would continue", beside a kind of the user's whose
#: subject-first pair has a bare cue "continue" (a plan after "to", "will" ...).
BARE_ELSEWHERE = made_up_watchlist(
    NORTH_SOUTH,
    "ceasefire",
    statement=STOP,
    signals='{met: ["continue the ceasefire"]}',
    more="""  - id: count
    title: The vote count goes on
    statement: Northland counts the votes.
    kind: tally
    said_by: A mediator
    parties: [north, south]
    effective: 2025-11-01
    ongoing: true

kinds:
  tally:
    like: other
    pairs:
      - {label: met, name: count goes on, first: [count], second: [continues], bare: [continue],
         window: 3, subject_first: true}
""",
)


def test_a_bare_cue_is_its_own_pairs_only() -> None:
    """Another kind's bare "continue" does not make the ceasefire's affirmed "would continue"
    a plan: a bare cue belongs to its pair, not to every predicate spelt the same."""
    assert_reads(
        BARE_ELSEWHERE,
        "Northland and Southland leaders meet",
        "He said the ceasefire between Northland and Southland would continue.",
        AT,
        M,
        "is",
    )
