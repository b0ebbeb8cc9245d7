"""Reading that carries over to a watchlist a user writes (session 27; made-up parties)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.config import parse_config
from monitor.judge import Matcher
from monitor.models import Label
from tests.helpers import NORTH_SOUTH, assert_reads, made_up_watchlist

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)

CEASEFIRE = made_up_watchlist(
    NORTH_SOUTH, "ceasefire", statement="Northland and Southland stop attacking each other."
)
RELEASE = made_up_watchlist(
    NORTH_SOUTH, "release", statement="Northland frees the Southland detainees it holds."
)
PAYMENT = made_up_watchlist(
    NORTH_SOUTH,
    "other",
    statement="Northland pays the Southland salaries.",
    signals='{met: ["paid the salaries"]}',
)
VOTE = made_up_watchlist(
    NORTH_SOUTH,
    "other",
    statement="Northland holds the referendum Southland asked for.",
    signals='{met: ["announced the referendum"]}',
)
POLL = made_up_watchlist(
    NORTH_SOUTH,
    "other",
    statement="Northland holds the provincial elections with Southland observers.",
    signals='{breach: ["postponed the elections"]}',
)
REFERENDUM = made_up_watchlist(
    NORTH_SOUTH,
    "other",
    statement="Northland holds the referendum on Southland's status.",
    signals='{met: ["referendum was held"]}',
    tail="    ongoing: true\n    topics: [referendum]",
)
HALT = made_up_watchlist(
    NORTH_SOUTH,
    "other",
    statement="Northland suspends the referendum on Southland's status.",
    signals='{met: ["referendum was suspended"]}',
    tail="    ongoing: true\n    topics: [referendum]",
)
POLICE = made_up_watchlist(
    NORTH_SOUTH,
    "other",
    statement="Northland sends police officers to Southland.",
    signals='{met: ["arrived in Southland"]}',
)
TALKS = made_up_watchlist(NORTH_SOUTH, "talks", statement="Northland and Southland hold talks.")
WATCHLISTS = {
    "ceasefire": CEASEFIRE,
    "release": RELEASE,
    "payment": PAYMENT,
    "vote": VOTE,
    "talks": TALKS,
    "police": POLICE,
    "poll": POLL,
    "referendum": REFERENDUM,
    "halt": HALT,
}

B, M, R, N = Label.BREACH, Label.MET, Label.RELATED, Label.NONE
#: Clashes dated before the commitment open every "known" case below.
EARLIER = "Clashes between Northland and Southland troops on October 20 killed five soldiers. "
#: (watchlist, headline, text, the label it must get, or "not" it). Each mechanism comes with
#: the case that must still count (or still not), so that a guard cannot pass by silencing all.
CASES = [
    # "the army bombards the bases": "the" opens the subject, and the signal is a verb taking
    # its object, so these are new strikes, not the earlier ones named as known ...
    (
        "ceasefire",
        "Residents flee",
        EARLIER + "Residents are fleeing as the Northland army bombards the bases of Southland.",
        B,
        "is",
    ),
    # ... while "the bombardments of" names the earlier ones.
    (
        "ceasefire",
        "Residents flee",
        EARLIER + "Residents are still counting the Northland bombardments of Southland bases.",
        B,
        "not",
    ),
    # Videos, figures or results released are made public, not people freed ...
    (
        "release",
        "Northland rebels release videos showing kidnapped Southland soldiers alive",
        "The footage was posted online.",
        M,
        "not",
    ),
    (
        "release",
        "Detainee talks",
        "Northland has yet to release any figures on the Southland detainees it holds.",
        B,
        "not",
    ),
    # New conditions for another deal are not for the release ...
    (
        "release",
        "Truce row",
        "Northland set new conditions to accept the proposal to extend the truce with Southland.",
        B,
        "not",
    ),
    # ... and talks that "have not fulfilled our expectations" broke no promise of a release.
    (
        "release",
        "Talks end",
        "The talks with Southland have not fulfilled our expectations, Northland's envoy said.",
        B,
        "not",
    ),
    # What a deal holds, listed after "included", is no event ...
    (
        "release",
        "Deal terms",
        "The Northland deal with Southland included paying salaries, opening roads and "
        "releasing all detainees.",
        M,
        "not",
    ),
    # ... while the violations a report lists are reported.
    (
        "ceasefire",
        "Truce report",
        "Violations included shelling of Southland posts by Northland troops on Monday.",
        B,
        "is",
    ),
    # ... while the captives themselves are, and new conditions for their release.
    (
        "release",
        "Prisoner row",
        "Northland set new conditions for the release of the Southland detainees.",
        B,
        "is",
    ),
    (
        "release",
        "Northland rebels release kidnapped Southland soldiers",
        "The soldiers were handed to the Red Cross.",
        M,
        "is",
    ),
    (
        "release",
        "Detainee talks",
        "Northland has yet to release the Southland detainees it holds, officials said.",
        B,
        "is",
    ),
    # An undertaking "remains unfulfilled" (or "unimplemented", "a dead letter") is not done ...
    (
        "payment",
        "Salary row",
        "Northland's pledge to pay the Southland salaries remains unfulfilled, officials said.",
        B,
        "is",
    ),
    # ... and one fulfilled is no breach.
    (
        "payment",
        "Salary row",
        "Northland's pledge to pay the Southland salaries was fulfilled, officials said.",
        B,
        "not",
    ),
    # A month named with an election date is the coming one (February next year, in a November
    # article), not an event before the commitment ...
    (
        "vote",
        "Referendum",
        "Northland announced the referendum Southland asked for, with the election date of "
        "February 3.",
        M,
        "is",
    ),
    # ... while a plain "on February 3" is the last one.
    (
        "vote",
        "Referendum",
        "Northland announced the referendum Southland asked for on February 3.",
        M,
        "not",
    ),
    # "Will not hold talks until ..." is a refusal with a precondition, a breach ...
    (
        "talks",
        "Border row",
        "Northland announced today that it will not hold border talks with Southland until it "
        "withdraws its forces from the disputed areas.",
        B,
        "is",
    ),
    # ... while "will not hold talks" alone is an intent, not talks that failed.
    (
        "talks",
        "Border row",
        "Northland announced today that it will not hold border talks with Southland, officials "
        "said.",
        B,
        "not",
    ),
    # "The first contingent ... to arrive" names who arrived: the infinitive is the act done ...
    (
        "police",
        "Police",
        "The 400 officers are the first contingent of Northland police to arrive in Southland.",
        M,
        "is",
    ),
    # ... while "the first step ... to arrive" is still a plan.
    (
        "police",
        "Police",
        "The vote is the first step for Northland police to arrive in Southland.",
        M,
        "not",
    ),
    # Talks with "no outcome" failed, as talks "without an outcome" did.
    (
        "talks",
        "Northland-Southland talks: no outcome after three days",
        "Delegations met in the capital.",
        B,
        "is",
    ),
    # Prisoners who "were flown" home, or airlifted, are released.
    (
        "release",
        "Prisoners home",
        "More than 100 Southland prisoners of war were flown from Northland on Monday.",
        M,
        "is",
    ),
    # A headline's "votes to postpone" is the vote done, as "voted to" is ...
    (
        "poll",
        "Northland parliament votes to postpone elections",
        "Southland observers had been invited.",
        B,
        "is",
    ),
    # ... and "wants to postpone" is not.
    (
        "poll",
        "Northland parliament wants to postpone elections",
        "Southland observers had been invited.",
        B,
        "not",
    ),
    # A commitment's own topic held up ("postponed the referendum") is its breach ...
    (
        "referendum",
        "Referendum row",
        "Northland postponed the referendum on Southland's status, officials said.",
        B,
        "is",
    ),
    # ... unless a halt is what was promised.
    (
        "halt",
        "Referendum row",
        "Northland postponed the referendum on Southland's status, officials said.",
        B,
        "not",
    ),
    # An -ing form after "about" is what a meeting is about, not an event ...
    (
        "release",
        "No-show",
        "Northland officials missed a meeting with Southland about releasing the detainees.",
        M,
        "not",
    ),
    # ... while one after a verb of doing is the event.
    (
        "release",
        "Prisoners home",
        "Northland began releasing the Southland detainees on Monday, officials said.",
        M,
        "is",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case[0]}: {case[2][:40]}")
def test_reading_carries_over(case: tuple[str, str, str, Label, str]) -> None:
    name, title, text, label, how = case
    assert_reads(WATCHLISTS[name], title, text, AT, label, how)


def test_talks_borrow_context_only_from_an_article_naming_both_sides() -> None:
    """Talks with one side named in the whole article are any talks of that side ("the two
    parties cancelled talks on the speaker's post"); naming the other side lends context."""
    cfg = parse_config(
        made_up_watchlist(NORTH_SOUTH, "talks", statement="Northland and Southland hold talks.")
    )
    matcher = Matcher(list(cfg.commitments), cfg.entities)
    one = "Northland's coalition is in trouble. The talks were postponed indefinitely on Monday."
    both = one.replace("coalition", "coalition with Southland")
    (alone,) = matcher.judge("Coalition trouble", one, AT)[:1]
    (paired,) = matcher.judge("Coalition trouble", both, AT)[:1]
    assert alone.label is not Label.BREACH, alone.quote
    assert paired.label is Label.BREACH, paired.quote


TWO_TRUCES = (
    NORTH_SOUTH
    + """
kinds:
  quake-truce:
    extends: ceasefire
commitments:
  - id: eid
    title: Northland and Southland keep the Eid truce
    statement: Northland and Southland stop fighting over Eid.
    kind: ceasefire
    said_by: A mediator
    parties: [north, south]
    topics: [Eid truce, ceasefire]
    effective: 2025-11-01
    ongoing: true
  - id: quake
    title: Northland and Southland keep the earthquake ceasefire
    statement: Northland and Southland stop fighting after the earthquake.
    kind: quake-truce
    said_by: A mediator
    parties: [north, south]
    topics: [earthquake ceasefire, ceasefire]
    effective: 2025-11-01
    ongoing: true
"""
)


@pytest.mark.parametrize(
    ("title", "eid", "quake"),
    [
        ("Northland extends earthquake ceasefire with Southland", R, M),
        ("Northland extends Eid truce with Southland", M, R),
        ("Northland, Southland extend ceasefire", M, M),
    ],
)
def test_a_truce_named_by_a_sibling_of_its_family_is_the_siblings(
    title: str, eid: Label, quake: Label
) -> None:
    """Two truces between the same sides, of one family (a kind that extends the ceasefire is
    of the ceasefire's): a sentence naming only the other's own topic is the other's; one
    naming only the topic both share is both's."""
    cfg = parse_config(TWO_TRUCES)
    verdicts = Matcher(list(cfg.commitments), cfg.entities).judge(
        title, "Officials confirmed the extension on Monday.", AT
    )
    assert [v.label for v in verdicts] == [eid, quake]
