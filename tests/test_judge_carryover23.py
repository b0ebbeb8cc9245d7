"""Reading that carries over to a watchlist a user writes (session 23; made-up parties)."""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.models import Label
from tests.helpers import first_label, made_up_watchlist

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)

ENTITIES = """
entities:
  north: {name: North, aliases: [North, Northern, Northland]}
  south: {name: South, aliases: [South, Southern, Southland]}
  east: {name: East, aliases: [East, Eastern, Eastland]}
"""

TALKS = made_up_watchlist(ENTITIES, "talks", statement="Northland and Southland hold talks.")
TAIL = "officials said on Tuesday after the session."


def _label(watchlist: str, title: str, text: str = "") -> Label:
    return first_label(watchlist, title, text, AT)


def test_a_headlines_bare_present_reports_the_talks_held() -> None:
    for title in (
        "Northland, Southland hold talks on the border",
        "Northland and Southland launch first round of dialogue",
        "Northland, Southland sign memorandum on the border",
    ):
        assert _label(TALKS, title, f"{title}, {TAIL}") is Label.MET, title


def test_a_bare_verb_after_to_a_modal_or_a_determiner_is_no_event() -> None:
    for title in (
        "Northland envoy to visit Southland to hold talks on the border",
        "Northland and Southland will hold talks on the border",
        "Mediator told the envoy to travel to Southland and hold talks with Northland",
        "Northland announces the launch of a consultation with Southland",
        "Northland has no reason to sign an agreement with Southland",
    ):
        assert _label(TALKS, title, f"{title}, {TAIL}") is not Label.MET, title


def test_a_refusal_to_hold_talks_with_others_is_no_report_that_these_failed() -> None:
    # "would not hold talks" is what one side intends, not talks that were due and did not
    # happen; "did not hold talks" is that report.
    refused = "Northland said it would not hold talks with the Eastern rebels this month,"
    assert _label(TALKS, "Northland minister speaks", f"{refused} {TAIL}") is not Label.BREACH
    failed = "Northland and Southland did not hold talks as planned this month,"
    assert _label(TALKS, "Northland minister speaks", f"{failed} {TAIL}") is Label.BREACH


def test_names_listed_before_the_talks_with_an_outsider_are_another_pair() -> None:
    title = "Eastland, Northland hold first meeting of border commission"
    assert _label(TALKS, title, f"{title}, {TAIL}") is not Label.MET
    title = "Southland, Northland hold first meeting of border commission"
    assert _label(TALKS, title, f"{title}, {TAIL}") is Label.MET


def test_a_headlines_bare_present_reports_the_captives_released() -> None:
    swap = made_up_watchlist(
        ENTITIES, "release", statement="Northland and Southland exchange their prisoners."
    )
    tail = "the mediator said on Tuesday."
    title = "Northland, Southland swap 100 prisoners at the border"
    assert _label(swap, title, f"{title}, {tail}") is Label.MET
    for title in (
        "Northland, Southland agree to swap 100 prisoners at the border",
        "Northland demands swap of prisoners with Southland at the border",
    ):
        assert _label(swap, title, f"{title}, {tail}") is not Label.MET, title


def test_a_promise_not_implemented_is_a_breach() -> None:
    border = made_up_watchlist(
        ENTITIES,
        "other",
        statement="Northland opens its border to Southland travellers.",
        signals='{met: ["opened the border"]}',
    )
    title = "Northland and Southland border talks"
    tail = "the Southern foreign minister said on Tuesday."
    for text in (
        "Northland is still not taking any steps to implement the border agreement with Southland,",
        "Northland has failed to fulfil its border pledge to Southland,",
    ):
        assert _label(border, title, f"{text} {tail}") is Label.BREACH, text
    for text in (
        "There is no doubt that the implementation of the deal will help Northland and Southland,",
        "Northland said no offensive operations against Southland had been carried out,",
    ):
        assert _label(border, title, f"{text} {tail}") is not Label.BREACH, text


def test_an_accord_of_one_party_with_another_conflicts_party_is_not_these_talks() -> None:
    # (``other_parties`` in entities/world.yaml names other conflicts' parties)
    text = "The Azerbaijani and Northern foreign ministers initialled a peace agreement,"
    assert _label(TALKS, "Ministers meet in the capital", f"{text} {TAIL}") is not Label.MET
    text = "The Southern and Northern foreign ministers initialled a peace agreement,"
    assert _label(TALKS, "Ministers meet in the capital", f"{text} {TAIL}") is Label.MET


def test_a_headlines_bare_present_reports_forces_withdrawn() -> None:
    pullback = made_up_watchlist(
        ENTITIES, "withdrawal", statement="Northland and Southland pull their forces back."
    )
    tail = "the mediator said on Tuesday."
    title = "Northland, Southland withdraw heavy weapons from the border"
    assert _label(pullback, title, f"{title}, {tail}") is Label.MET
    title = "Northland agreed to unilaterally withdraw heavy weapons from the border"
    assert _label(pullback, title, f"{title}, {tail}") is not Label.MET


def test_refraining_from_an_act_negates_it() -> None:
    meddling = made_up_watchlist(
        ENTITIES,
        "other",
        statement="Northland and Southland will not interfere in each other's affairs.",
        signals='{breach: ["interfering in"]}',
    )
    tail = "the two ministers said in a statement on Tuesday."
    text = "Northland and Southland stressed the need to refrain from interfering in their affairs,"
    assert _label(meddling, "Ministers meet", f"{text} {tail}") is not Label.BREACH
    text = "Southland accused Northland of interfering in its affairs,"
    assert _label(meddling, "Ministers meet", f"{text} {tail}") is Label.BREACH


def test_a_decision_to_break_a_commitment_is_its_breach() -> None:
    handover = made_up_watchlist(
        ENTITIES,
        "other",
        statement="Northland hands over its remaining weapons.",
        signals='{breach: ["suspended the handover"], met: ["completed the handover"]}',
    )
    tail = "the mediator said on Tuesday."
    text = "The mediator regretted Northland's decision to suspend the handover of weapons,"
    assert _label(handover, "Handover in doubt", f"{text} {tail}") is Label.BREACH
    text = "The mediator urged Northland not to suspend the handover of weapons,"
    assert _label(handover, "Handover in doubt", f"{text} {tail}") is not Label.BREACH
    text = "Northland took a decision to complete the handover of weapons,"
    assert _label(handover, "Handover in doubt", f"{text} {tail}") is not Label.MET


def test_what_a_signal_should_or_must_be_is_no_event() -> None:
    returns = made_up_watchlist(
        ENTITIES,
        "other",
        statement="Southland takes back the refugees who fled to Northland.",
        signals='{met: ["refugee returns"]}',
    )
    tail = "Northern and Southern officials said on Tuesday."
    text = "Refugee returns should be voluntary and safe,"
    assert _label(returns, "Refugees in Northland", f"{text} {tail}") is not Label.MET
    text = "Refugee returns began at the crossing on Monday,"
    assert _label(returns, "Refugees in Northland", f"{text} {tail}") is Label.MET
