"""A user's own commitments (kind ``other``) and their own signals count as a keyword search
would find them, and more: the watchlist's words are not lost to guards meant for others.

Made-up parties: North Marland (its government), the Front (an armed group to be merged
into North Marland's army), Marland (a neighbour with a conflict of its own).
"""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.config import parse_config
from monitor.judge import Matcher
from monitor.judge.lint import dead_configuration
from monitor.models import Label

AT = datetime(2025, 11, 20, 9, tzinfo=UTC)

WATCHLIST = """
entities:
  government:
    name: North Marland government
    aliases: ["North Marland government", "government of North Marland", Kavo,
              "President Kavo", Northport]
  front:
    name: Front
    aliases: [the Front, Front fighters]
commitments:
  - id: elections
    title: General elections held in December 2026
    statement: The transitional period ends with general elections on 22 December 2026.
    kind: other
    said_by: The presidency
    said_at: 2024-09-13
    parties: [government]
    topics: [elections, election, polls]
    topics_required: true
    effective: 2024-09-13
    deadline: 2026-12-22
    signals:
      breach: ["elections postponed", "postpone the elections"]
      met: ["polls opened", "voter registration began", "swearing-in of"]
    exclude: ["Marland's", "South Ossetia"]
  - id: merger
    title: The Front merged into the national army by the end of 2025
    statement: The Front's fighters join the national army by the end of 2025.
    kind: other
    said_by: President Kavo and the Front's leader
    said_at: 2025-03-10
    parties: [front, government]
    topics: [integration, merger, "national army", "March 10 agreement"]
    topics_required: true
    effective: 2025-03-10
    deadline: 2025-12-31
    signals:
      breach: ["integration stalled", stalled, "missed the deadline", "deadlock*",
               "talks suspended"]
      met: ["merged into", "began integrating", "integrated into the national army"]
"""

_CFG = parse_config(WATCHLIST, env={})
MATCHER = Matcher(_CFG.commitments, _CFG.entities)


def _label(commitment: str, title: str, text: str = "") -> Label:
    verdicts = {v.commitment_id: v for v in MATCHER.judge(title, text, AT)}
    return verdicts[commitment].label


def test_an_excluded_word_inside_the_partys_own_name_is_that_party() -> None:
    # "Marland's" (the neighbour) stands inside "North Marland's": the party's own name.
    title = "North Marland's elections postponed again"
    text = "North Marland's elections postponed to 2028, President Kavo said."
    assert _label("elections", title, text) is Label.BREACH
    # the neighbour itself is still another conflict
    assert _label("elections", "Marland's elections postponed again") is Label.NONE


def test_an_excluded_name_after_a_joining_word_is_still_excluded() -> None:
    # "government of South Ossetia": "of" joins names; it does not make it the party's name
    text = (
        "Elections postponed in the government of South Ossetia, while the government of "
        "North Marland said nothing."
    )
    assert _label("elections", "Polls", text) is not Label.BREACH


def test_check_warns_about_an_exclude_inside_a_partys_name() -> None:
    warnings = "\n".join(dead_configuration(_CFG.commitments, _CFG.entities))
    assert "exclude \"Marland's\" is part of 'North Marland government'" in warnings
    assert "South Ossetia" not in warnings


def test_a_date_that_names_the_pledge_does_not_date_the_event() -> None:
    # "the March 10 agreement" is the pledge, months before; the stall is reported now
    text = "Integration of the Front under the March 10 agreement has stalled, officials said."
    assert _label("merger", "Merger talks", text) is Label.BREACH
    text = "The Front missed the deadline to join the national army by the end of 2025."
    assert _label("merger", "Merger talks", text) is Label.BREACH
    text = "The Front's merger into the national army, agreed in March, has stalled."
    assert _label("merger", "Merger talks", text) is Label.BREACH


def test_a_date_of_the_event_still_dates_it() -> None:
    # an event dated months back, with no agreement word by its date, is a recap
    text = "The merger talks stalled in early April, the Front said."
    assert _label("merger", "Merger talks", text) is not Label.BREACH
    # the pledge's day, but named as the day of the event, not of the agreement
    text = "The merger talks stalled on March 10, the Front said."
    assert _label("merger", "Merger talks", text) is not Label.BREACH


def test_a_users_phrase_with_a_contraction_matches() -> None:
    cfg = parse_config(
        WATCHLIST.replace(
            'breach: ["elections postponed", "postpone the elections"]',
            'breach: ["elections cannot be held", "vote won\'t take place"]',
        ),
        env={},
    )
    matcher = Matcher(cfg.commitments, cfg.entities)
    for text in (
        "Elections cannot be held this year, President Kavo said on Monday.",
        "Elections can't be held this year, President Kavo said on Monday.",
        "The vote won't take place, the government of North Marland said of the elections.",
    ):
        verdicts = {v.commitment_id: v for v in matcher.judge("Polls", text, AT)}
        assert verdicts["elections"].label is Label.BREACH, text


def test_a_users_subject_and_past_form_matches_with_an_auxiliary() -> None:
    for text in (
        "The elections have been postponed to 2028, the government of North Marland said.",
        "The elections were postponed to 2028, President Kavo said.",
    ):
        assert _label("elections", "Polls", text) is Label.BREACH, text
    text = "The merger talks have been suspended, President Kavo said."
    assert _label("merger", "Merger", text) is Label.BREACH
    # a negation between them is no auxiliary: nothing matches
    text = "The elections have not been postponed, President Kavo said."
    assert _label("elections", "Polls", text) is not Label.BREACH


def test_auxiliary_forms_of_a_phrase() -> None:
    from monitor.judge.data import SHIPPED
    from monitor.judge.inflect import auxiliary_forms

    forms = auxiliary_forms("elections postponed", SHIPPED.forms)
    assert "elections were postponed" in forms
    assert "elections have been postponed" in forms
    assert auxiliary_forms("suspended talks", SHIPPED.forms) == []  # the verb comes first
    assert auxiliary_forms("ceasefire has held", SHIPPED.forms) == []  # it has one already
    assert auxiliary_forms("ships return* to port", SHIPPED.forms) == []


def test_an_intent_word_in_the_subject_does_not_make_the_stall_a_wish() -> None:
    for text in (
        "Efforts to merge the Front into the national army have stalled, officials said.",
        "The plan to merge the Front into the national army has stalled, President Kavo said.",
        "The Front's commitment to join the national army has stalled, analysts said.",
    ):
        assert _label("merger", "Merger", text) is Label.BREACH, text


def test_an_intent_word_that_governs_the_signal_still_blocks_it() -> None:
    for text in (
        "President Kavo urged the Front to break the deadlock over its merger.",
        "The Front aims to avoid a deadlock over the merger with the national army.",
        "The Front's demand to have the elections postponed was rejected by President Kavo.",
    ):
        commitment = "elections" if "elections" in text else "merger"
        assert _label(commitment, "Talks", text) is not Label.BREACH, text


def test_a_threat_in_an_aside_does_not_govern_the_main_clause() -> None:
    text = (
        "President Kavo, who has threatened to disband the Front, said its merger into the "
        "national army has stalled."
    )
    assert _label("merger", "Merger", text) is Label.BREACH
    # a threat that governs the signal still blocks it
    text = "President Kavo threatened that the merger talks would be suspended."
    assert _label("merger", "Merger", text) is not Label.BREACH


def test_a_signal_the_user_wrote_bare_counts_after_to() -> None:
    cfg = parse_config(
        WATCHLIST.replace(
            'met: ["merged into", "began integrating", "integrated into the national army"]',
            'met: ["resume the merger", "resumed merger talks", "merged into"]',
        ),
        env={},
    )
    matcher = Matcher(cfg.commitments, cfg.entities)

    def label(text: str) -> Label:
        verdicts = {v.commitment_id: v for v in matcher.judge("Merger", text, AT)}
        return verdicts["merger"].label

    # the user wrote "resume the merger": the agreement to resume it is what they look for
    assert label("President Kavo and the Front agreed on a protocol to resume the merger.") is (
        Label.MET
    )
    # a demand or a plan to do it is still not the event
    assert label("President Kavo urged the Front to resume the merger.") is not Label.MET
    assert label("The Front plans to resume the merger next year.") is not Label.MET
    # a past form the user wrote ("merged into") is still no event after "to"
    assert _label("merger", "Merger", "The Front agreed to merge into the national army.") is not (
        Label.MET
    )


def test_a_noun_phrase_signal_planned_after_its_noun_phrase_is_no_fact() -> None:
    text = "The swearing-in of the new election commission of North Marland is expected next month."
    assert _label("elections", "Polls", text) is not Label.MET
    text = "President Kavo attended the swearing-in of the election commission on Sunday."
    assert _label("elections", "Polls", text) is Label.MET
