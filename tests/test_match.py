"""Judging: aboutness per kind, signals, every guard, and whole articles written for the tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.judge import COUNT_SCORE, Matcher
from monitor.judge.data import DEFAULT_ENTITIES
from monitor.models import Commitment, Kind, Label, Verdict

WATCHLIST = Path(__file__).resolve().parent.parent / "config" / "watchlist.yaml"


def _start(d: date | None) -> datetime | None:
    return None if d is None else datetime.combine(d, time(0), UTC)


def _end(d: date | None) -> datetime | None:
    return None if d is None else datetime.combine(d, time(23, 59, 59, 999999), UTC)


def load_commitments(path: Path = WATCHLIST) -> list[Commitment]:
    """The watchlist's commitments, mapped as the config loader maps them."""
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for c in raw["commitments"]:
        signals = c.get("signals") or {}
        window = c.get("window") or {}
        out.append(
            Commitment(
                id=c["id"],
                title=c["title"],
                statement=c["statement"],
                kind=Kind(c["kind"]),
                said_by=c["said_by"],
                said_at=_start(c.get("said_at")),
                source_url=None,
                parties=tuple(c["parties"]),
                subjects=tuple(c.get("subjects", ())),
                topics=tuple(c.get("topics", ())),
                breach_signals=tuple(signals.get("breach") or ()),
                met_signals=tuple(signals.get("met") or ()),
                exclude=tuple(c.get("exclude", ())),
                effective_at=_start(c.get("effective")),
                window_start_at=_start(window.get("start")),
                window_end_at=_end(window.get("end")),
                deadline_at=_end(c.get("deadline")),
                ongoing=c.get("ongoing", True),
            )
        )
    return out


COMMITMENTS = load_commitments()
MATCHER = Matcher(COMMITMENTS, DEFAULT_ENTITIES)
NOV = datetime(2025, 11, 12, 9, tzinfo=UTC)  # a Wednesday, well after every effective date


def judge(title: str, text: str = "", at: datetime | None = NOV) -> dict[str, Verdict]:
    return {v.commitment_id: v for v in MATCHER.judge(title, text, at)}


def label(cid: str, title: str, text: str = "", at: datetime | None = NOV) -> Label:
    return judge(title, text, at)[cid].label


def reasons(v: Verdict) -> str:
    return " | ".join(r for f in v.findings for r in f.reasons)


def test_default_watchlist_ids_and_one_verdict_each() -> None:
    ids = [c.id for c in COMMITMENTS]
    assert ids == [
        "ceasefire",
        "istanbul-talks",
        "no-ttp-talks",
        "no-sanctuary",
        "inform-mediators",
    ]
    verdicts = MATCHER.judge("Weather", "Rain is expected in Lahore on Friday.", NOV)
    assert [v.commitment_id for v in verdicts] == ids
    assert all(v.label is Label.NONE and v.score == 0.0 and v.quote is None for v in verdicts)


# --- ceasefire -----------------------------------------------------------------------------


def test_ceasefire_breach_counts_with_quote_and_signals() -> None:
    v = judge(
        "Afghan and Pakistani forces clash at Chaman",
        "Afghan Taliban forces and Pakistani troops exchanged fire near the Chaman "
        "crossing on Tuesday, officials said.",
    )["ceasefire"]
    assert v.label is Label.BREACH
    assert v.score >= COUNT_SCORE
    assert v.quote is not None and v.quote in {f.sentence for f in v.findings if f.counted}
    assert v.signals


def test_ceasefire_breach_taliban_claim_of_pakistani_strikes_counts() -> None:
    assert (
        label(
            "ceasefire",
            "Kabul says Pakistani jets bombed homes in Khost",
            "A Taliban spokesman said Pakistani airstrikes hit three villages in Khost "
            "province overnight, killing civilians.",
        )
        is Label.BREACH
    )


def test_ceasefire_met_holding() -> None:
    v = judge(
        "Calm returns to the frontier",
        "Officials on both sides said the ceasefire between Pakistan and Afghanistan "
        "is holding, with the frontier quiet for a sixth straight day.",
    )["ceasefire"]
    assert v.label is Label.MET


@pytest.mark.parametrize(
    "sentence",
    [
        "No violations of the ceasefire between Pakistan and Afghanistan were reported.",
        "Pakistani and Afghan troops did not exchange fire along the border on Monday.",
        "There have been no clashes on the Pakistan-Afghanistan border since the truce.",
        "Kabul denied that Afghan forces had opened fire on Pakistani border posts.",
        "If the ceasefire is violated, Pakistan will respond, Islamabad told Kabul.",
        "Pakistan warned Afghanistan that any cross-border firing would end the truce.",
        "Pakistan and Afghanistan could see fresh clashes, analysts said.",
    ],
)
def test_ceasefire_guards_stop_breach(sentence: str) -> None:
    assert label("ceasefire", sentence) is not Label.BREACH


def test_ceasefire_negated_finding_reason_is_recorded() -> None:
    v = judge("No violations of the ceasefire between Pakistan and Afghanistan were reported.")
    assert "negated" in reasons(v["ceasefire"])


def test_ceasefire_events_before_effective_date_do_not_count() -> None:
    v = judge(
        "Looking back",
        "Pakistani and Afghan forces clashed along the border on October 12, leaving dozens dead.",
    )["ceasefire"]
    assert v.label is Label.RELATED
    assert "before 2025-10-19" in reasons(v)


def test_ceasefire_weekday_before_effective_does_not_count() -> None:
    sunday = datetime(2025, 10, 19, 12, tzinfo=UTC)
    v = judge(
        "Ceasefire agreed in Doha",
        "Pakistan and Afghanistan agreed to an immediate ceasefire. Tensions rose after "
        "Pakistani jets struck targets in Paktika province on Friday.",
        sunday,
    )["ceasefire"]
    assert v.label is Label.RELATED


def test_article_published_before_effective_is_at_most_related() -> None:
    early = datetime(2025, 10, 15, 12, tzinfo=UTC)
    v = judge(
        "Ceasefire broken as Pakistan and Afghanistan clash again",
        "Afghan and Pakistani troops exchanged heavy fire at Spin Boldak.",
        early,
    )
    assert v["ceasefire"].label is Label.RELATED
    assert "published before" in reasons(v["ceasefire"])


def test_ceasefire_announcement_is_not_met() -> None:
    sunday = datetime(2025, 10, 19, 12, tzinfo=UTC)
    v = judge(
        "Pakistan and Afghanistan agree to ceasefire in Doha",
        "Both sides reaffirmed their commitment to peace and agreed to maintain the "
        "ceasefire, Qatar said.",
        sunday,
    )
    assert v["ceasefire"].label is Label.RELATED


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Ceasefire collapses in Gaza",
            "Israeli jets bombed Khan Younis, and Israel said "
            "Hamas had broken the ceasefire; Doha and Cairo urged calm.",
        ),
        (
            "Shelling across the Line of Control",
            "Pakistani and Indian troops exchanged fire "
            "across the LoC in Kashmir on Monday, officials in Islamabad said.",
        ),
        (
            "Thailand and Cambodia clash again",
            "Thai and Cambodian troops clashed along the border despite the truce.",
        ),
    ],
)
def test_other_conflicts_are_none(title: str, text: str) -> None:
    verdicts = judge(title, text)
    assert verdicts["ceasefire"].label in (Label.NONE, Label.RELATED)


def test_other_conflict_sentence_in_relevant_article_is_a_near_miss() -> None:
    v = judge(
        "Border calm holds",
        "The ceasefire between Pakistan and Afghanistan is holding. Meanwhile Pakistani "
        "troops exchanged fire with Indian soldiers across the Line of Control.",
    )
    assert v["ceasefire"].label is Label.MET
    assert "other conflict" in reasons(v["ceasefire"])


def test_militant_attack_near_border_is_not_a_ceasefire_breach() -> None:
    v = judge(
        "Soldiers killed near Afghan border",
        "Five Pakistani soldiers were killed when militants attacked a checkpost in "
        "North Waziristan, the ISPR said, adding that the terrorists clashed with troops "
        "for hours.",
    )
    assert v["ceasefire"].label is not Label.BREACH


def test_background_paragraph_does_not_count() -> None:
    v = judge(
        "Trade resumes at Torkham",
        "Trucks crossed Torkham on Wednesday. The crossing had been shut after deadly "
        "border clashes between Pakistan and Afghanistan last month.",
    )
    assert v["ceasefire"].label is not Label.BREACH


def test_recap_of_the_pledge_does_not_count() -> None:
    v = judge(
        "Asif repeats warning",
        "Khawaja Asif said no cross-border violations will be tolerated and that as "
        "long as no violations occur, the ceasefire will hold.",
    )
    assert v["ceasefire"].label is not Label.BREACH
    assert v["ceasefire"].label is not Label.MET


# --- istanbul talks ------------------------------------------------------------------------


def test_talks_collapse_is_breach_and_mechanism_is_met() -> None:
    assert (
        label(
            "istanbul-talks",
            "Pakistan-Afghanistan talks in Istanbul collapse",
            "The talks between Pakistan and the Afghan Taliban ended without an "
            "agreement late on Tuesday, officials said.",
        )
        is Label.BREACH
    )
    assert (
        label(
            "istanbul-talks",
            "Deal in Istanbul",
            "Pakistan and Afghanistan agreed in Istanbul talks on a monitoring and "
            "verification mechanism, Turkey's foreign ministry said.",
        )
        is Label.MET
    )


def test_talks_threat_if_they_fail_is_not_breach() -> None:
    assert (
        label(
            "istanbul-talks",
            "Asif warns of war",
            "War is the only road left to Pakistan should the Istanbul talks with "
            "Afghanistan fail, the defence minister said.",
        )
        is not Label.BREACH
    )


def test_talks_session_without_progress_is_weak() -> None:
    v = judge(
        "Second day of Istanbul talks ends without progress",
        "The second day of talks between Pakistan and the Afghan Taliban ended without "
        "progress, and delegations will meet again on Thursday.",
    )
    assert v["istanbul-talks"].label is Label.RELATED
    assert "weak signal" in reasons(v["istanbul-talks"])


def test_russia_ukraine_talks_in_istanbul_are_none() -> None:
    v = judge(
        "Russia and Ukraine talks in Istanbul end without agreement",
        "Russian and Ukrainian delegations met in Istanbul; the talks collapsed after "
        "an hour, Kyiv said.",
    )
    assert v["istanbul-talks"].label is Label.NONE


# --- no talks with the TTP -----------------------------------------------------------------


def test_government_talks_with_ttp_is_breach() -> None:
    assert (
        label(
            "no-ttp-talks",
            "Government opens talks with TTP",
            "Pakistani officials held talks with the TTP leadership in Kabul this week, "
            "two government sources said.",
        )
        is Label.BREACH
    )


def test_refusal_to_talk_with_ttp_is_met() -> None:
    assert (
        label(
            "no-ttp-talks",
            "No talks with Khawarij, says minister",
            "Pakistan's interior minister ruled out any negotiations with the TTP, "
            "calling the group terrorists.",
        )
        is Label.MET
    )


def test_old_ttp_talks_are_at_most_related() -> None:
    v = judge(
        "Recalling the 2022 process",
        "Pakistani officials held talks with the TTP in Kabul in 2022 before the "
        "process collapsed.",
    )
    assert v["no-ttp-talks"].label is Label.RELATED


def test_imran_khan_talking_about_ttp_talks_is_excluded() -> None:
    v = judge(
        "Imran Khan calls for TTP talks", "Imran Khan said Pakistan should hold talks with the TTP."
    )
    assert v["no-ttp-talks"].label is not Label.BREACH


def test_envoys_meeting_the_group_is_breach_with_its_sentence() -> None:
    v = judge(
        "Officials quietly met TTP leaders, paper says",
        "A two-man team sent by the federal government met senior commanders of the "
        "Tehrik-i-Taliban Pakistan in Paktika on Friday, a newspaper said.",
    )
    assert v["no-ttp-talks"].label is Label.BREACH
    assert "met the group" in v["no-ttp-talks"].signals
    # Where the group's leaders were met is not a sanctuary claim.
    assert v["no-sanctuary"].label is not Label.BREACH
    assert "about a meeting with the group" in reasons(v["no-sanctuary"])


def test_report_of_talks_outweighs_the_pledge_it_contradicts() -> None:
    v = judge(
        "Envoys met TTP despite 'no talks' pledge, report says",
        "Envoys acting for Pakistan's government met TTP representatives in Khost, a "
        "report said. The government has said it will not negotiate with the group.",
    )
    assert v["no-ttp-talks"].label is Label.BREACH


def test_a_meeting_about_the_group_is_not_a_meeting_with_it() -> None:
    v = judge(
        "Security meeting on TTP threat",
        "Pakistani ministers met on Tuesday to discuss the TTP threat in the north-west.",
    )
    assert v["no-ttp-talks"].label is not Label.BREACH


def test_denial_of_a_long_report_governs_the_report() -> None:
    v = judge(
        "Ministry denies contacts",
        "Pakistan's interior ministry on Monday rejected as false and malicious a "
        "newspaper story and report claiming that envoys of the government had met "
        "TTP commanders in Kunar.",
    )
    assert v["no-ttp-talks"].label is not Label.BREACH
    assert "denied" in reasons(v["no-ttp-talks"])


def test_the_group_saying_no_talks_is_not_the_government_refusing() -> None:
    v = judge(
        "TTP says it got no offer of talks",
        "The Pakistani Taliban said on Monday they had received no offer of "
        "negotiations from the government.",
    )
    assert v["no-ttp-talks"].label is not Label.MET
    assert "ttp is named as the one acting" in reasons(v["no-ttp-talks"])


def test_advocating_talks_with_the_group_is_not_a_report_of_talks() -> None:
    v = judge(
        "Lawmaker says talks with TTP the only answer",
        "A Pakistani opposition lawmaker said talks with the TTP were the only answer.",
    )
    assert v["no-ttp-talks"].label is not Label.BREACH


def test_last_month_after_the_pledge_is_not_background() -> None:
    dec = datetime(2025, 12, 3, 9, tzinfo=UTC)
    v = judge(
        "Officials met TTP commanders last month, sources say",
        "Pakistani officials met TTP commanders in Khost last month, sources said.",
        dec,
    )
    assert v["no-ttp-talks"].label is Label.BREACH


# --- talks: venue, other parties, stalls ---------------------------------------------------


def test_talks_between_other_parties_in_the_venue_do_not_count() -> None:
    v = judge(
        "Pakistan and Afghanistan to meet again after Ankara visit",
        "Pakistan's foreign minister will visit Ankara next week. Separately, Armenia "
        "and Azerbaijan agreed in Istanbul talks on a mechanism to verify their accord.",
    )
    assert v["istanbul-talks"].label is not Label.MET
    assert "about other parties" in reasons(v["istanbul-talks"])


def test_same_parties_at_another_venue_count_less() -> None:
    v = judge(
        "Pakistan-Afghanistan talks in Jeddah end without agreement",
        "Talks between Pakistan and Afghanistan in Jeddah ended on Monday without "
        "agreement, officials said.",
    )
    assert v["istanbul-talks"].label is Label.BREACH
    assert "talks elsewhere: 'Jeddah'" in reasons(v["istanbul-talks"])
    own = judge(
        "Pakistan-Afghanistan talks in Istanbul end without agreement",
        "Talks between Pakistan and Afghanistan in Istanbul ended on Monday without "
        "agreement, officials said.",
    )
    assert own["istanbul-talks"].score > v["istanbul-talks"].score


def test_stalled_process_is_breach_and_revived_process_is_not() -> None:
    assert (
        label(
            "istanbul-talks",
            "Istanbul process on pause, Turkish officials say",
            "Turkish officials said the Pakistan-Afghanistan Istanbul process was on "
            "pause, with no date for another round.",
        )
        is Label.BREACH
    )
    v = judge(
        "Istanbul talks revived",
        "Pakistani and Afghan officials met in Istanbul, reviving a process that had "
        "stalled for a month.",
    )
    assert v["istanbul-talks"].label is not Label.BREACH
    assert "taken up again" in reasons(v["istanbul-talks"])


# --- ceasefire: hedges and reaffirmations --------------------------------------------------


def test_neither_confirming_nor_denying_a_strike_is_a_hedged_report() -> None:
    v = judge(
        "Islamabad silent on Paktika drone strike",
        "Pakistan neither confirmed nor denied carrying out a drone strike in Paktika "
        "province on Tuesday that Afghan officials said killed three people.",
    )
    assert v["ceasefire"].label is Label.BREACH
    assert "hedged" in reasons(v["ceasefire"])


def test_reported_agreement_that_the_ceasefire_will_continue_is_met() -> None:
    v = judge(
        "Kabul says truce stands",
        "An Afghan spokesman said on Friday that the ceasefire with Pakistan would continue.",
    )
    assert v["ceasefire"].label is Label.MET


def test_weapons_named_are_not_fire() -> None:
    v = judge(
        "Taliban collect TTP weapons",
        "Afghan officials said mortars and rifles were collected from TTP fighters in "
        "Khost near the border.",
    )
    assert v["ceasefire"].label is not Label.BREACH


def test_overlapping_signals_count_once() -> None:
    v = judge(
        "Afghan forces fire mortars at Kurram posts",
        "Afghan forces fired mortar rounds at Pakistani posts in Kurram late on Sunday.",
    )
    f = next(f for f in v["ceasefire"].findings if "mortar round*" in f.signals)
    assert "fired mortar*" in f.signals
    one = judge(
        "Afghan forces bombard Kurram posts",
        "Afghan forces bombarded Pakistani posts in Kurram late on Sunday.",
    )
    assert v["ceasefire"].score == one["ceasefire"].score  # one stretch of text, one signal


# --- no sanctuary --------------------------------------------------------------------------


def test_specific_claim_of_attack_from_afghanistan_is_breach() -> None:
    assert (
        label(
            "no-sanctuary",
            "Attackers came from Afghanistan, ISPR says",
            "The ISPR said the TTP militants who attacked the Bajaur post had crossed "
            "from Afghanistan on Monday and were operating from hideouts in Kunar.",
        )
        is Label.BREACH
    )


def test_ttp_attack_inside_pakistan_without_afghan_link_is_not_breach() -> None:
    v = judge(
        "TTP attack in Bannu",
        "TTP militants attacked a police station in Bannu, killing three officers, police said.",
    )
    assert v["no-sanctuary"].label is not Label.BREACH


def test_generic_accusation_is_not_breach() -> None:
    v = judge(
        "Analysis", "Pakistan has long accused Kabul of harbouring TTP militants on Afghan soil."
    )
    assert v["no-sanctuary"].label is not Label.BREACH


def test_demand_for_crackdown_is_not_met_but_action_is() -> None:
    assert (
        label(
            "no-sanctuary",
            "Pakistan demands action",
            "Pakistan demanded that the Afghan Taliban crack down on the TTP.",
        )
        is not Label.MET
    )
    assert (
        label(
            "no-sanctuary",
            "Taliban detain TTP fighters",
            "The Afghan Taliban arrested dozens of TTP fighters in Paktika, officials in "
            "Kabul said.",
        )
        is Label.MET
    )


def test_taliban_denial_is_not_breach() -> None:
    v = judge(
        "Kabul rejects claim",
        "The Islamic Emirate denied that TTP militants have safe havens in Afghanistan.",
    )
    assert v["no-sanctuary"].label is not Label.BREACH
    assert "denied" in reasons(v["no-sanctuary"])


# --- inform mediators ----------------------------------------------------------------------


def test_pakistan_shares_evidence_with_mediators_is_met() -> None:
    assert (
        label(
            "inform-mediators",
            "Islamabad briefs mediators",
            "Pakistan shared evidence of cross-border attacks with Turkey and Qatar on "
            "Monday, the Foreign Office said.",
        )
        is Label.MET
    )


def test_informed_sources_are_not_informing() -> None:
    v = judge(
        "Talks resume",
        "Pakistan and Afghanistan will resume talks, informed sources told reporters "
        "after Qatar and Turkey intervened.",
    )
    assert v["inform-mediators"].label is not Label.MET


def test_mediators_telling_pakistan_is_not_met() -> None:
    v = judge("Qatar passes message", "Qatar conveyed Kabul's message to Pakistan on Tuesday.")
    assert v["inform-mediators"].label is not Label.MET


# --- whole articles --------------------------------------------------------------------------

ARTICLE_BREACH = (
    "Heavy fighting erupts on Kurram border weeks after Doha truce",
    "PARACHINAR: Pakistani and Afghan forces traded heavy fire along the Kurram sector late "
    "on Tuesday, the first serious violation of the ceasefire agreed in Doha last month, "
    "security officials said.\n"
    "According to the officials, Afghan Taliban fighters opened fire on two Pakistani border "
    "posts, prompting a response with mortars and artillery. A spokesman for the Islamic "
    "Emirate claimed Pakistani troops had fired first.\n"
    "The clashes come as mediators Turkey and Qatar try to revive the stalled Istanbul "
    "process. In October, the two neighbours fought their worst battles in years.",
)

ARTICLE_QUIET = (
    "Border trade picks up as truce holds",
    "TORKHAM: Trucks loaded with fruit lined up at Torkham on Monday as the ceasefire between "
    "Pakistan and Afghanistan held for a third straight week.\n"
    '"There has been no firing and no incident since the agreement," a customs official '
    "said. Traders said they hoped the Istanbul talks would produce a lasting deal.\n"
    "Pakistan has warned that it will respond to any violation.",
)


def test_article_breach_report() -> None:
    v = judge(*ARTICLE_BREACH)
    assert v["ceasefire"].label is Label.BREACH
    assert v["ceasefire"].score >= 0.75
    assert v["no-ttp-talks"].label is Label.NONE


def test_article_quiet_border_is_met_not_breach() -> None:
    v = judge(*ARTICLE_QUIET)
    assert v["ceasefire"].label is Label.MET
    assert v["istanbul-talks"].label is not Label.MET


def test_findings_keep_near_misses_with_reasons() -> None:
    v = judge(*ARTICLE_QUIET)["ceasefire"]
    misses = [f for f in v.findings if not f.counted]
    assert misses and all(f.reasons for f in misses)
    assert all(0.0 <= f.score <= 1.0 for f in v.findings)


def test_unknown_publication_time_still_judges() -> None:
    v = judge(*ARTICLE_BREACH, at=None)
    assert v["ceasefire"].label is Label.BREACH


def test_watchlist_entities_extend_defaults() -> None:
    from monitor.models import Entity

    extra = {"afghanistan": Entity("afghanistan", "Afghanistan", ("Emirate forces",))}
    matcher = Matcher(COMMITMENTS, extra)
    verdicts = {
        v.commitment_id: v
        for v in matcher.judge("Emirate forces and Pakistani troops clash", "", NOV)
    }
    assert verdicts["ceasefire"].label is Label.BREACH


# --- properties --------------------------------------------------------------------------

_SIGNALS = [
    "violations",
    "clashes",
    "cross-border firing",
    "shelling",
    "airstrikes",
    "skirmishes",
    "exchange of fire",
]
_NEGATED = [
    "No {s} were reported between Pakistan and Afghanistan {tail}.",
    "There were no {s} on the Pakistan-Afghanistan border {tail}.",
    "Officials said Pakistani and Afghan forces saw no {s} {tail}.",
    "Pakistan and Afghanistan have not reported {s} {tail}.",
    "Kabul denied {s} by Afghan forces against Pakistani posts {tail}.",
]
_TAILS = ["", "on Monday", "this week", "since the truce", "at Chaman", "near Torkham"]


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(_NEGATED),
    st.sampled_from(_SIGNALS),
    st.sampled_from(_TAILS),
    st.sampled_from(["", "Border update. "]),
)
def test_negated_sentences_never_count_as_breach(
    template: str, signal: str, tail: str, prefix: str
) -> None:
    sentence = prefix + template.format(s=signal, tail=tail).replace(" .", ".")
    for v in MATCHER.judge("", sentence, NOV):
        assert not any(f.counted and f.label is Label.BREACH for f in v.findings), sentence


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400), st.text(max_size=80))
def test_judge_never_fails_and_scores_are_bounded(text: str, title: str) -> None:
    for v in MATCHER.judge(title, text, NOV):
        assert 0.0 <= v.score <= 1.0
        assert (v.quote is None) == (v.label is Label.NONE)


# --- shared vocabulary, two-cue signals and guards (v2) ------------------------------------


def findings_text(v: Verdict) -> str:
    return " | ".join(
        f"{f.label.value}:{f.counted}:{','.join(f.signals)}:{';'.join(f.reasons)}"
        for f in v.findings
    )


def test_ceasefire_continued_is_met_but_talks_extended_is_not() -> None:
    v = judge(
        "Truce to continue",
        "Pakistan and Afghanistan agreed on Friday to continue the ceasefire, the mediators said.",
    )["ceasefire"]
    assert v.label is Label.MET
    assert "ceasefire continued or extended" in v.signals
    v = judge(
        "Talks run over",
        "Talks between Pakistan and Afghanistan were extended for another day on Thursday.",
    )["ceasefire"]
    assert v.label is not Label.MET


def test_agreement_about_the_future_is_met_but_a_bare_forecast_is_not() -> None:
    assert (
        label(
            "ceasefire",
            "Deal reached",
            "Under the agreement reached in Istanbul, Pakistan and Afghanistan will "
            "continue the ceasefire.",
        )
        is Label.MET
    )
    assert (
        label(
            "ceasefire",
            "Analysts",
            "Pakistan and Afghanistan will probably continue the ceasefire for now, an "
            "analyst said.",
        )
        is not Label.MET
    )


def test_no_firing_on_the_border_is_met_only_with_a_border_or_time_span() -> None:
    v = judge(
        "Calm at Torkham",
        "Traders at Torkham said there had been no firing on the Afghan border since the weekend.",
    )["ceasefire"]
    assert v.label is Label.MET
    v = judge(
        "Video debunked",
        "A Taliban spokesman in Kandahar said no drone strike had been recorded in the "
        "district, and a Pakistani official called the footage old.",
    )["ceasefire"]
    assert v.label is not Label.MET


def test_the_end_of_fighting_is_not_a_breach() -> None:
    v = judge(
        "Truce agreed",
        "Pakistan and Afghanistan signed a truce on Sunday, ending ten days of border "
        "fighting between their forces.",
        datetime(2025, 10, 25, 9, tzinfo=UTC),
    )["ceasefire"]
    assert v.label is not Label.BREACH
    assert "end of hostilities" in reasons(v)


def test_after_marks_background_unless_the_event_is_new() -> None:
    old = judge(
        "Trade resumes",
        "Trucks crossed Chaman again on Monday after clashes between Pakistani and "
        "Afghan forces closed the crossing.",
    )["ceasefire"]
    assert old.label is not Label.BREACH
    assert "background: 'after'" in reasons(old)
    new = judge(
        "Qatar urges restraint after renewed firing between Pakistani and Afghan troops at Chaman"
    )["ceasefire"]
    assert new.label is Label.BREACH


def test_denial_of_a_claim_reports_the_claim_but_a_bare_denial_does_not() -> None:
    v = judge(
        "Army rejects Taliban claims of air strikes in Khost",
        "Pakistan's military denied the Taliban's claims of air strikes in Khost "
        "province, where Afghan officials said Pakistani jets killed six people.",
    )
    assert v["ceasefire"].label is Label.BREACH
    assert "contested claim" in reasons(v["ceasefire"])
    v = judge(
        "Kabul denies firing",
        "Kabul denied that Afghan forces had shelled Pakistani border posts near Torkham.",
    )
    assert v["ceasefire"].label is not Label.BREACH


def test_links_to_other_stories_are_not_judged() -> None:
    v = judge(
        "Cricket board names squad",
        "The board named 15 players for the series.\n"
        "Also read: Pakistani and Afghan troops exchange fire at Torkham",
    )
    assert all(x.label is Label.NONE for x in v.values())


def test_troops_fighting_the_ttp_is_not_a_ceasefire_breach() -> None:
    v = judge(
        "Six khawarij killed in Bajaur",
        "Security forces killed six khawarij of Fitna al-Khawarij after an exchange of "
        "fire near the Afghan border in Bajaur, the ISPR said.",
    )["ceasefire"]
    assert v.label is not Label.BREACH


def test_old_events_dated_in_the_body_keep_an_undated_headline_out() -> None:
    v = judge(
        "Two months on, Kurram villagers remember a night of shelling",
        "Villagers are still rebuilding homes damaged when Pakistani and Afghan forces "
        "exchanged fire on October 13.",
    )["ceasefire"]
    assert v.label is not Label.BREACH


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        (
            "Istanbul talks stall",
            "Talks between Pakistan and the Afghan Taliban in Istanbul "
            "stalled on Tuesday over written guarantees.",
            Label.BREACH,
        ),
        (
            "Talks hit impasse",
            "The Pakistan-Afghanistan talks in Istanbul hit an impasse on the third day.",
            Label.BREACH,
        ),
        (
            "Mediators at work",
            "Turkish mediators are trying to revive the stalled talks "
            "between Pakistan and Afghanistan.",
            Label.RELATED,
        ),
        (
            "Deal saved",
            "Pakistan and Afghanistan pulled back after the Istanbul talks had "
            "appeared close to collapse.",
            Label.RELATED,
        ),
    ],
)
def test_talks_failure_needs_the_talks_as_subject(title: str, text: str, expected: Label) -> None:
    assert label("istanbul-talks", title, text) is expected


def test_a_failed_approach_is_not_failed_talks() -> None:
    v = judge(
        "Opposition view",
        "Opposition leaders said the military approach had failed and that talks with "
        "Afghanistan's help were the way forward.",
    )
    assert v["istanbul-talks"].label is not Label.BREACH


def test_mechanism_met_needs_an_agreement_made_after_the_talks_began() -> None:
    assert (
        label(
            "istanbul-talks",
            "Mechanism agreed",
            "Pakistan and Afghanistan agreed in the Istanbul talks to set up a joint "
            "monitoring mechanism, Turkey said.",
        )
        is Label.MET
    )
    assert (
        label(
            "istanbul-talks",
            "Mediators push",
            "Mediators pressed Pakistan and Afghanistan in the Istanbul talks to agree on "
            "a monitoring mechanism.",
        )
        is not Label.MET
    )
    early = datetime(2025, 10, 21, 9, tzinfo=UTC)
    v = judge(
        "Next round",
        "Pakistan and Afghanistan agreed in Doha talks to set up a "
        "monitoring mechanism in Istanbul.",
        early,
    )["istanbul-talks"]
    assert v.label is not Label.MET
    assert "before the talks were due" in reasons(v)


def test_refusals_of_ttp_talks_are_met_never_breach() -> None:
    v = judge(
        "Naqvi rules out talks with TTP",
        "The interior minister said the government would not talk to the khawarij.",
    )
    assert v["no-ttp-talks"].label is Label.MET
    assert not any(f.counted and f.label is Label.BREACH for f in v["no-ttp-talks"].findings)


def test_specific_presence_in_afghanistan_is_breach_but_a_standing_charge_is_not() -> None:
    assert (
        label(
            "no-sanctuary",
            "Attack traced to Kunar",
            "Officials said TTP commanders in Afghanistan's Kunar province planned the "
            "attack on the Bannu cantonment.",
        )
        is Label.BREACH
    )
    assert (
        label("no-sanctuary", "Background", "Islamabad says the TTP is based in Afghanistan.")
        is not Label.BREACH
    )


def test_action_against_the_group_wins_over_its_presence() -> None:
    v = judge(
        "Taliban detain TTP commanders in Khost",
        "The Afghan Taliban detained several TTP commanders in Khost province, residents said.",
    )["no-sanctuary"]
    assert v.label is Label.MET
    assert "action against it" in reasons(v)


def test_pakistani_arrests_are_not_taliban_action() -> None:
    v = judge(
        "Arrests in Bajaur",
        "Pakistani forces arrested five TTP militants in Bajaur near the Afghan border.",
    )
    assert v["no-sanctuary"].label is not Label.MET
    assert "named as the one acting" in reasons(v["no-sanctuary"])


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        (
            "FO briefs Qatari envoy",
            "Pakistan's foreign secretary briefed the Qatari ambassador "
            "on cross-border firing at Chaman.",
            Label.MET,
        ),
        (
            "Dossier handed over",
            "Islamabad handed a dossier of TTP attacks to the Turkish and "
            "Qatari mediators on Tuesday.",
            Label.MET,
        ),
        (
            "Talks go on",
            "A Pakistani official told reporters the talks were still on and that "
            "mediators from Turkey and Qatar were engaged.",
            Label.RELATED,
        ),
        (
            "Promise",
            "Islamabad has said it will keep Turkey and Qatar informed of any violation.",
            Label.RELATED,
        ),
    ],
)
def test_informing_the_mediators(title: str, text: str, expected: Label) -> None:
    assert label("inform-mediators", title, text) is expected


# --- many commitments: shared work, same answers ---------------------------------------------


def test_commitments_differing_only_in_absent_words_judge_alike() -> None:
    from dataclasses import replace

    twins = [replace(c, id=f"{c.id}-twin", topics=(*c.topics, "zzqx accord")) for c in COMMITMENTS]
    matcher = Matcher([*COMMITMENTS, *twins], DEFAULT_ENTITIES)
    out = matcher.judge(*ARTICLE_BREACH, NOV)
    assert [v.commitment_id for v in out] == [c.id for c in COMMITMENTS] + [c.id for c in twins]
    n = len(COMMITMENTS)
    for a, b in zip(out[:n], out[n:], strict=True):
        assert (a.label, a.score, a.quote, a.findings) == (b.label, b.score, b.quote, b.findings)


def test_a_commitments_own_signal_changes_only_its_own_verdict() -> None:
    from dataclasses import replace

    base = COMMITMENTS[0]
    own = replace(base, id="ceasefire-own", breach_signals=("sniper duel",))
    matcher = Matcher([base, own], DEFAULT_ENTITIES)
    text = "Pakistani and Afghan border guards fought a sniper duel near the Chaman crossing."
    first, second = matcher.judge("Border", text, NOV)
    assert second.label is Label.BREACH and "sniper duel" in second.signals
    assert "sniper duel" not in first.signals


_REFUSALS = [
    "Pakistan rules out {s} with Afghanistan on the border {tail}.",
    "Islamabad said there were no {s} on the Pakistan-Afghanistan border {tail}.",
    "Neither Pakistani nor Afghan forces reported any {s} near Chaman {tail}.",
    "Kabul rejected reports of {s} by Afghan forces against Pakistani posts {tail}.",
    "Pakistani and Afghan troops did not engage in {s} {tail}.",
]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(_REFUSALS), st.sampled_from(_SIGNALS), st.sampled_from(_TAILS))
def test_denied_or_refused_hostilities_never_count_as_breach(
    template: str, signal: str, tail: str
) -> None:
    sentence = template.format(s=signal, tail=tail).replace(" .", ".")
    for v in MATCHER.judge("", sentence, NOV):
        assert not any(f.counted and f.label is Label.BREACH for f in v.findings), (
            sentence,
            findings_text(v),
        )


# --- generalisation: dates, relations, the mechanism, actors (sentences written for tests) ----

DEC = datetime(2025, 12, 18, 9, tzinfo=UTC)  # a Thursday, two months after the ceasefire


@pytest.mark.parametrize(
    "text",
    [
        # A period that began before the ceasefire does not show the event came after it.
        "The October fighting between Pakistani and Afghan troops emptied the Chaman bazaar.",
        "October's clashes on the Durand Line cost Afghan traders millions.",
        "Border clashes between Pakistan and Afghanistan killed hundreds in 2025.",
        # Hostilities placed before a ceasefire by what follows them.
        "Afghan and Pakistani troops clashed at Torkham before a truce was agreed.",
        "Weeks of shelling between Pakistan and the Taliban ended with a ceasefire in Doha.",
        # An anniversary.
        "A year ago today, Pakistani jets bombed hideouts in Paktika, Afghanistan.",
    ],
)
def test_hostilities_dated_before_the_ceasefire_are_not_a_breach(text: str) -> None:
    v = judge("Looking at the border", text, DEC)["ceasefire"]
    assert v.label is not Label.BREACH, reasons(v)


def test_a_dated_current_clash_still_counts_beside_old_ones() -> None:
    v = judge(
        "Border",
        "Afghan and Pakistani forces clashed near Chaman on Tuesday, two months "
        "after the October fighting.",
        DEC,
    )["ceasefire"]
    assert v.label is Label.BREACH, reasons(v)


def test_a_background_cue_outside_the_dated_clause_does_not_discount_it() -> None:
    v = judge(
        "Border",
        "Skirmishes between Pakistani and Afghan troops, who were allies in the "
        "past, flared again near Kurram on Tuesday.",
        DEC,
    )["ceasefire"]
    assert v.label is Label.BREACH, reasons(v)
    v = judge("Border", "Pakistani and Afghan troops clashed near Kurram in the past.", DEC)[
        "ceasefire"
    ]
    assert v.label is not Label.BREACH


def test_on_this_day_headline_is_background() -> None:
    v = judge("On this day: Pakistani artillery shelled Afghan villages in Khost", "", DEC)
    assert v["ceasefire"].label is not Label.BREACH


def test_another_neighbours_border_incident_is_not_the_ceasefire() -> None:
    v = judge(
        "Pakistan-Iran border: mortar shells land in Panjgur",
        "Mortar shells fired from the Iranian side landed near a Pakistani village.",
        DEC,
    )
    assert v["ceasefire"].label is Label.NONE


def test_frontier_districts_make_cross_border_shelling_about_the_ceasefire() -> None:
    v = judge("Shells fired from across the border wound three in Arandu", "", DEC)["ceasefire"]
    assert v.label is Label.BREACH, reasons(v)


def test_violations_at_a_named_place_are_an_incident_not_a_complaint() -> None:
    v = judge(
        "FO",
        "Pakistan said Afghan forces committed violations in the Chitral sector on Tuesday.",
        DEC,
    )["ceasefire"]
    assert v.label is Label.BREACH, reasons(v)
    v = judge("FO", "Pakistan said the Afghan side must avoid violations of the ceasefire.", DEC)[
        "ceasefire"
    ]
    assert v.label is not Label.BREACH


def test_covering_fire_for_infiltrators_is_a_clash() -> None:
    v = judge(
        "ISPR",
        "A group moving towards Zhob was given covering fire from Afghan Taliban "
        "posts, the military said.",
        DEC,
    )["ceasefire"]
    assert v.label is Label.BREACH, reasons(v)


def test_reaffirmed_commitment_is_met_but_an_attempt_is_not() -> None:
    v = judge(
        "Kabul",
        "The Islamic Emirate remains committed to the ceasefire with Pakistan, "
        "its spokesman said on Monday.",
        DEC,
    )["ceasefire"]
    assert v.label is Label.MET, reasons(v)
    v = judge(
        "Kabul",
        "Pakistan and Afghanistan are trying to maintain the fragile ceasefire along their border.",
        DEC,
    )["ceasefire"]
    assert v.label is not Label.MET, reasons(v)


def test_border_falling_quiet_is_met() -> None:
    v = judge("Chaman traders return as Pak-Afghan border falls quiet", "", DEC)["ceasefire"]
    assert v.label is Label.MET, reasons(v)


def test_clash_mentioned_as_what_a_visit_follows_is_background() -> None:
    v = judge(
        "Envoy visits Kabul",
        "The envoy's visit follows this week's exchange of fire "
        "between Pakistani and Afghan forces near Chaman.",
        DEC,
    )["ceasefire"]
    assert v.label is not Label.BREACH, reasons(v)


@pytest.mark.parametrize(
    "text",
    [
        "The monitoring mechanism agreed in Istanbul has yet to convene, Pakistani officials said.",
        "Kabul said Pakistan was blocking the meeting of the mechanism agreed in Istanbul.",
        "The Pakistan-Afghanistan verification mechanism is not functional, the Foreign Office "
        "said.",
    ],
)
def test_the_mechanism_named_and_stalled_is_a_breach_not_met(text: str) -> None:
    v = judge("Istanbul process", text, DEC)["istanbul-talks"]
    assert v.label is Label.BREACH, reasons(v)


@pytest.mark.parametrize(
    "text",
    [
        "Turkey's foreign minister will visit Kabul to revive the monitoring mechanism agreed "
        "by Pakistan and Afghanistan in Istanbul.",
        "Pakistan wants evidence verified through the verification mechanism set up in "
        "Istanbul with Afghanistan.",
    ],
)
def test_naming_the_mechanism_is_not_agreeing_it(text: str) -> None:
    v = judge("Istanbul process", text, DEC)["istanbul-talks"]
    assert v.label is not Label.MET, reasons(v)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Pakistan, Afghanistan monitoring mechanism agreed in Istanbul", ""),
        (
            "Istanbul talks",
            "Pakistan and Afghanistan agreed on a verification mechanism in Istanbul on Wednesday.",
        ),
        (
            "Istanbul talks",
            "Pakistan and Afghanistan agreed in Istanbul that a monitoring "
            "mechanism will be put in place.",
        ),
    ],
)
def test_agreeing_the_mechanism_is_met(title: str, text: str) -> None:
    v = judge(title, text, DEC)["istanbul-talks"]
    assert v.label is Label.MET, reasons(v)


def test_a_headline_about_other_parties_lends_no_context() -> None:
    v = judge(
        "Pakistan, Iran agree to boost border cooperation after talks",
        "The two sides agreed to set up a joint mechanism to share intelligence.",
        DEC,
    )
    assert v["istanbul-talks"].label is not Label.MET


@pytest.mark.parametrize(
    "title",
    [
        "Taliban raid nets TTP commander in Kandahar",
        "Pakistan welcomes detention of TTP fighters by Afghan authorities in Khost",
        "Islamic Emirate collects heavy weapons from TTP families in Paktika",
        "Taliban order TTP families to leave Kunar border villages",
    ],
)
def test_action_against_the_group_where_it_is_is_met_not_a_haven(title: str) -> None:
    v = judge(title, "", DEC)["no-sanctuary"]
    assert v.label is Label.MET, reasons(v)


def test_a_standing_pattern_of_strikes_on_what_pakistan_calls_hideouts_is_not_a_finding() -> None:
    v = judge(
        "Analysis",
        "Analysts said it fits a pattern: Pakistan has struck what it calls "
        "TTP hideouts across the border before.",
        DEC,
    )["no-sanctuary"]
    assert v.label is not Label.BREACH, reasons(v)


def test_a_meeting_with_the_group_in_kabul_is_not_a_haven() -> None:
    v = judge("Report: Pakistani minister's secret Kabul meeting with TTP commander", "", DEC)
    assert v["no-sanctuary"].label is not Label.BREACH, reasons(v["no-sanctuary"])


def test_refusal_after_denying_a_report_is_met() -> None:
    v = judge(
        "Pakistan denies report",
        "Pakistan denied a report that officials had met TTP "
        "leaders in Kabul, reiterating that there would be no talks with the group.",
        DEC,
    )
    assert v["no-ttp-talks"].label is Label.MET, reasons(v["no-ttp-talks"])


def test_meeting_the_groups_proxies_is_contact_with_the_group() -> None:
    v = judge(
        "Jirga",
        "The provincial government's jirga met elders linked to the TTP in Peshawar on Sunday.",
        DEC,
    )["no-ttp-talks"]
    assert v.label is Label.BREACH, reasons(v)
    v = judge(
        "Centre disowns jirga",
        "The federal government disowned the jirga that met elders linked to the TTP.",
        DEC,
    )["no-ttp-talks"]
    assert v.label is not Label.BREACH, reasons(v)
