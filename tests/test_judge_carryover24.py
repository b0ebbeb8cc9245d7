"""Reading that carries over to a watchlist a user writes (session 24; made-up parties)."""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.models import Label
from tests.helpers import NORTH_SOUTH, first_label, made_up_watchlist

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)

ENTITIES = NORTH_SOUTH

TALKS = made_up_watchlist(ENTITIES, "talks", statement="Northland and Southland hold talks.")
RELEASE = made_up_watchlist(
    ENTITIES, "release", statement="Northland and Southland hand over the wanted suspects."
)


def _label(watchlist: str, title: str, text: str = "") -> Label:
    return first_label(watchlist, title, text, AT)


def test_a_plural_subjects_present_reports_the_talks_held() -> None:
    title = "Negotiations resume between Northland and Southland over the river"
    assert _label(TALKS, title, f"{title}, officials said on Tuesday.") is Label.MET
    title = "Negotiations to resume between Northland and Southland over the river"
    assert _label(TALKS, title, f"{title}, officials said on Tuesday.") is not Label.MET


def test_a_negated_weak_signal_needs_a_word_of_what_was_due() -> None:
    # "had been released" alone is weak: a statement released is no captive freed, and no
    # statement released is no captive kept.
    text = (
        "Although no official statement had been released by Northland, travellers from "
        "Southland were turned back at the border on Tuesday."
    )
    assert _label(RELEASE, "Border quiet", text) is not Label.BREACH
    # Beside a word of what was due, its negation is that report.
    text = (
        "No one had been released under the exchange between Northland and Southland by "
        "Tuesday, officials said."
    )
    assert _label(RELEASE, "Exchange stalls", text) is Label.BREACH


def test_a_history_of_talks_is_no_failure_now() -> None:
    text = (
        "Decade-long negotiations between Northland and Southland failed to reach an agreement "
        "on the river, while the dam filled."
    )
    assert _label(TALKS, "Dam filled", text) is not Label.BREACH
    text = (
        "Negotiations between Northland and Southland failed to reach an agreement on the "
        "river on Tuesday, officials said."
    )
    assert _label(TALKS, "Talks end", text) is Label.BREACH


def test_a_headlines_last_round_is_the_latest() -> None:
    title = "Northland says last round of talks with Southland on the river a failure"
    text = "Northland's ministry gave no further details of the talks with Southland."
    assert _label(TALKS, title, text) is Label.BREACH
    # In the body, beside the news of another round, "the last round" is an earlier one.
    text = (
        "The third round of talks between Northland and Southland opened on Tuesday. The last "
        "round of talks between Northland and Southland failed in May."
    )
    assert _label(TALKS, "Third round of talks opens", text) is not Label.BREACH


def test_a_topic_only_another_commitment_of_the_kind_names_is_that_ones() -> None:
    # Two rounds of talks between the same sides, each named by its own topics.
    mechanism = """
  - id: mechanism
    title: The border mechanism meets
    statement: The border mechanism of Northland and Southland meets monthly.
    kind: talks
    said_by: A mediator
    parties: [north, south]
    topics: [border mechanism, mechanism meeting]
    effective: 2025-11-01
    ongoing: true
"""
    geneva = made_up_watchlist(
        ENTITIES,
        "talks",
        statement="Northland and Southland meet in Geneva rounds.",
        tail="    topics: [Geneva discussions, Geneva round]\n    ongoing: true",
        more=mechanism,
    )
    text = "The 104th border mechanism meeting of Northland and Southland was held on Tuesday."
    assert _label(geneva, "Mechanism meets", text) is not Label.MET
    text = "The Geneva round of Northland and Southland was held on Tuesday."
    assert _label(geneva, "Geneva round held", text) is Label.MET


def test_talks_between_one_side_and_an_entity_none_binds_are_someone_elses() -> None:
    # Eastland is an entity of the watchlist that no commitment binds; what those talks
    # agree is theirs too.
    entities = ENTITIES + "  east: {name: East, aliases: [East, Eastern, Eastland]}\n"
    talks = made_up_watchlist(entities, "talks", statement="Northland and Southland hold talks.")
    text = (
        "Talks between Eastern and Northern officials concluded in Westport on Tuesday, and "
        "the two sides reached a ceasefire."
    )
    assert _label(talks, "Westport talks", text) is not Label.MET
    text = (
        "Talks between Southern and Northern officials concluded in Westport on Tuesday, and "
        "the two sides reached a ceasefire."
    )
    assert _label(talks, "Westport talks", text) is Label.MET


def test_a_party_named_only_as_the_venue_is_the_host_not_a_side() -> None:
    entities = ENTITIES.replace("Northland]", "Northland, Northcity]")
    talks = made_up_watchlist(entities, "talks", statement="Northland and Southland hold talks.")
    assert _label(talks, "Eastern peace talks resume in Northcity", "") is not Label.MET
    assert _label(talks, "Peace talks with Southland resume in Northcity", "") is Label.MET


def test_a_present_verb_cue_after_a_determiner_is_a_plural_noun() -> None:
    text = "Northland informed the co-chairs of the talks with Southland about the incident."
    assert _label(TALKS, "Incident reported", text) is not Label.MET
    text = "Northland co-chairs talks with Southland on the border, officials said on Tuesday."
    assert _label(TALKS, "Talks held", text) is Label.MET


def test_two_words_may_stand_before_the_objects_noun() -> None:
    dam = made_up_watchlist(
        ENTITIES,
        "other",
        statement="Northland opens the river dam with Southland's consent.",
        signals='{met: ["inaugurated the dam"]}',
    )
    title = "Northland inaugurates Grand Renaissance Dam on the river shared with Southland"
    assert _label(dam, title, "") is Label.MET
    title = "Northland inaugurates a new school near the dam on the river shared with Southland"
    assert _label(dam, title, "") is not Label.MET


def test_an_irregular_participle_after_to_be_is_a_plan() -> None:
    rome = made_up_watchlist(
        ENTITIES,
        "talks",
        statement="Northland and Southland hold talks.",
        signals='{met: ["held in Westport"]}',
    )
    title = "Fifth round of Northland-Southland talks to be held in Westport on Friday"
    assert _label(rome, title, "") is not Label.MET
    title = "Fifth round of Northland-Southland talks held in Westport on Friday"
    assert _label(rome, title, "") is Label.MET


def test_repeated_rounds_that_failed_are_a_history() -> None:
    text = (
        "Repeated rounds of peace talks have so far failed to yield results for Northland and "
        "Southland, the envoy said."
    )
    assert _label(TALKS, "Envoy to visit", text) is not Label.BREACH
    text = (
        "The latest round of peace talks has failed to yield results for Northland and "
        "Southland, the envoy said on Tuesday."
    )
    assert _label(TALKS, "Envoy to visit", text) is Label.BREACH


def test_talks_rescheduled_or_pushed_back_are_put_off() -> None:
    for title in (
        "Northland-Southland border commission meeting rescheduled",
        "Northland-Southland border commission meeting pushed back to Wednesday",
    ):
        assert _label(TALKS, title, "") is Label.BREACH, title
