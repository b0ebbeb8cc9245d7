"""Reading that carries over to a watchlist a user writes (session 34; made-up places)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.models import Label
from tests.helpers import NORTH_SOUTH, assert_reads, made_up_watchlist

#: The commitments below took effect on 2025-11-01; this report came two months later.
AT = datetime(2026, 1, 15, 9, tzinfo=UTC)

B, M = Label.BREACH, Label.MET
BORDER = "Border report"

WATCHLISTS = {
    "ceasefire": made_up_watchlist(NORTH_SOUTH, "ceasefire", statement="The truce holds."),
    "aid": made_up_watchlist(
        NORTH_SOUTH,
        "other",
        statement="Northland lets aid agencies work in Southland.",
        signals="{breach: [expel aid agencies]}",
    ),
    "talks": made_up_watchlist(
        NORTH_SOUTH, "talks", statement="Northland and Southland hold a new round of talks."
    ),
    "cabinet": made_up_watchlist(
        NORTH_SOUTH,
        "other",
        statement="Northland and Southland form a unity cabinet.",
        signals="{met: [forming a unity cabinet, formed a unity cabinet]}",
    ),
    "tribunal": made_up_watchlist(
        NORTH_SOUTH,
        "other",
        statement="Northland sets up a special tribunal.",
        signals="{met: [establish a special tribunal, established a special tribunal]}",
    ),
    "president": made_up_watchlist(
        NORTH_SOUTH,
        "other",
        statement="Northland's parliament elects a president.",
        signals="{met: [elects a president, elected a president]}",
    ),
}

#: (watchlist, headline, text, the label it must get, or "not" it). Each mechanism comes with
#: the case that must still count (or still not), so that a guard cannot pass by silencing all.
CASES = [
    # A group's "-ing" epithet describes the group, it reports no fighting ...
    (
        "ceasefire",
        BORDER,
        "The Northern-led coalition fighting Southern rebels announced on Friday that it was "
        "freeing a batch of prisoners.",
        B,
        "not",
    ),
    (
        "ceasefire",
        BORDER,
        "Southern rebels, the guerrilla group fighting the Northern government, said the rally "
        "passed without incident.",
        B,
        "not",
    ),
    # ... but a group that was fighting fought.
    (
        "ceasefire",
        BORDER,
        "The Northern coalition and Southern rebels were fighting in the hills on Friday.",
        B,
        "is",
    ),
    # An order to stop fighting, or to disengage from it, reports no fighting ...
    ("ceasefire", BORDER, "Stop fighting order: Southern leader (File photo)", B, "not"),
    (
        "ceasefire",
        BORDER,
        "Northland's president ordered his troops to disengage from fighting Southern forces.",
        B,
        "not",
    ),
    # ... but fighting that broke out did break out.
    (
        "ceasefire",
        BORDER,
        "Fighting between Northland and Southern rebels broke out on Friday.",
        B,
        "is",
    ),
    # A sentence that opens with "if" is hypothetical in its every clause ...
    (
        "ceasefire",
        BORDER,
        "But if the truce falls apart, fighting between Northland and Southland would follow.",
        B,
        "not",
    ),
    # ... and a signal that is the subject of a modal tells what may happen ...
    (
        "ceasefire",
        BORDER,
        "Across Northland and Southland, the fighting could cause massive displacement, aid "
        "workers say.",
        B,
        "not",
    ),
    # ... but a hypothetical sentence before a report leaves the report standing,
    (
        "ceasefire",
        BORDER,
        "If the truce holds, talks will follow. Fighting between Northland and Southern rebels "
        "broke out on Friday.",
        B,
        "is",
    ),
    # A leading "if" holds before a negation too: no refusal, no talks that failed to happen.
    (
        "talks",
        "Talks report",
        "If Southland does not hold talks with Northland by Friday, sanctions will follow.",
        B,
        "not",
    ),
    (
        "talks",
        "Talks report",
        '"If Southland continues its policies, it is out of the question that Northland and '
        'Southland hold talks."',
        B,
        "not",
    ),
    # Without the "if", "out of the question" is a refusal of the talks.
    (
        "talks",
        "Talks report",
        "Northland says it is out of the question that Northland and Southland hold talks.",
        B,
        "is",
    ),
    # Talks "at an end" have failed.
    ("talks", "Northern envoy says talks with Southland at an end", "", B, "is"),
    # The task of forming a cabinet is no cabinet formed, nor is what a deal required ...
    (
        "cabinet",
        "Cabinet report",
        "Northland's premier now faces the difficult task of forming a unity cabinet with "
        "Southland.",
        M,
        "not",
    ),
    (
        "cabinet",
        "Cabinet report",
        "The deal required that Northland and Southland be forming a unity cabinet by Thursday.",
        M,
        "not",
    ),
    # ... but a cabinet formed is.
    (
        "cabinet",
        "Cabinet report",
        "Northland's premier formed a unity cabinet with Southland on Friday.",
        M,
        "is",
    ),
    # A vote against the bill sets up no tribunal; a vote for it does.
    (
        "tribunal",
        "Tribunal report",
        "The Northern parliament has voted against a bill to establish a special tribunal to try "
        "those implicated in violence in Southland.",
        M,
        "not",
    ),
    (
        "tribunal",
        "Tribunal report",
        "The Northern parliament voted to establish a special tribunal for Southland.",
        M,
        "is",
    ),
    # A truce that halts the fighting reports no fighting.
    (
        "ceasefire",
        BORDER,
        "The truce halts fighting between Northern forces and Southern rebels that has raged in "
        "the valley.",
        B,
        "not",
    ),
    # A headline with the commitment's own signal borrows the context of an article about it,
    (
        "president",
        "Parliament elects a president after a long wait",
        "Northern and Southern lawmakers met in the capital on Friday.",
        M,
        "is",
    ),
    # but not of an article about someone else.
    (
        "president",
        "Parliament elects a president after a long wait",
        "Eastvale lawmakers met in the capital on Friday.",
        M,
        "not",
    ),
    # A truce that took effect has begun to be kept ...
    (
        "ceasefire",
        BORDER,
        "A fragile ceasefire took effect today between Northland and Southern rebels.",
        M,
        "is",
    ),
    # ... but one that is to take effect has not.
    (
        "ceasefire",
        BORDER,
        "A ceasefire between Northland and Southern rebels is to take effect next week.",
        M,
        "not",
    ),
    # Parties that sign an agenda or a pact at the talks held them.
    (
        "talks",
        "Talks report",
        "At the talks, a mediator said Northland and Southland signed a four-point agenda on "
        "Friday.",
        M,
        "is",
    ),
    ("talks", "Northland, Southland sign peace pact at talks", "", M, "is"),
    ("talks", "Northland, Southland to sign peace pact at talks", "", M, "not"),
    # A delay in forming the cabinet, or what parliament "is meant to" do, is no cabinet formed.
    (
        "cabinet",
        "Cabinet report",
        "Disagreements between Northland and Southland explain the long delay in forming a unity "
        "cabinet.",
        M,
        "not",
    ),
    (
        "cabinet",
        "Cabinet report",
        "Parliament in Northland is meant to be forming a unity cabinet with Southland.",
        M,
        "not",
    ),
    # An "open-ended" ceasefire is not a ceasefire ended; one that Northland ended is.
    (
        "ceasefire",
        BORDER,
        "Northland has agreed to an open-ended ceasefire with Southern rebels, officials said.",
        B,
        "not",
    ),
    (
        "ceasefire",
        BORDER,
        "Northland ended the ceasefire with Southern rebels, officials said.",
        B,
        "is",
    ),
    # and a modal "be" judges what happened: the expulsion took place.
    (
        "aid",
        BORDER,
        "UN agencies say Northland's move to expel aid agencies from Southland may be a war crime.",
        B,
        "is",
    ),
]


@pytest.mark.parametrize(("watchlist", "title", "text", "label", "how"), CASES)
def test_reading_carries_over(
    watchlist: str, title: str, text: str, label: Label, how: str
) -> None:
    assert_reads(WATCHLISTS[watchlist], title, text, AT, label, how)
