"""Reading that carries over to a watchlist a user writes (session 22; made-up parties)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from monitor.judge.text import find_dates
from monitor.models import Label
from tests.helpers import NORTH_SOUTH, first_label, made_up_watchlist

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)

ENTITIES = NORTH_SOUTH


def _label(watchlist: str, title: str, text: str = "") -> Label:
    return first_label(watchlist, title, text, AT)


def test_fighting_aimed_at_militants_is_no_clash_between_the_parties() -> None:
    truce = made_up_watchlist(ENTITIES, "ceasefire")
    title = "Northern army chief visits Southland"
    tail = "the ministry said on Monday after the visit."
    for text in (
        "Northland praised the role Southern forces play in fighting terrorist groups,",
        "Northern and Southern troops clashed with militants near the town,",
    ):
        assert _label(truce, title, f"{text} {tail}") is not Label.BREACH, text
    for text in (
        "Northland accused Southern forces of fighting Northern troops near the town,",
        "Northern troops clashed with Southern soldiers and militants near the town,",
    ):
        assert _label(truce, title, f"{text} {tail}") is Label.BREACH, text


def test_a_breach_signal_inside_a_longer_met_signal_is_that_met_event() -> None:
    curbs = made_up_watchlist(
        ENTITIES,
        "other",
        statement="Northland lifts its export curbs on Southland.",
        signals='{breach: ["expanded export curbs"], met: ["suspended its * export curbs"]}',
    )
    title = "Northland eases trade tension with Southland"
    tail = "the commerce ministry said on Monday in a statement."
    lifted = "Northland has suspended its expanded export curbs on Southland metals,"
    assert _label(curbs, title, f"{lifted} {tail}") is Label.MET
    imposed = "Northland imposed expanded export curbs on Southland metals,"
    assert _label(curbs, title, f"{imposed} {tail}") is Label.BREACH


def test_a_headline_in_the_present_that_hosts_or_chairs_the_talks_reports_them_held() -> None:
    talks = made_up_watchlist(ENTITIES, "talks", statement="Northland and Southland hold talks.")
    tail = "officials said on Tuesday after the session."
    for title in (
        "Northern premier presides over Northland-Southland meeting on the border",
        "Mediator hosts informal meeting of Northland and Southland",
    ):
        assert _label(talks, title, f"{title}, {tail}") is Label.MET, title
    for title in (  # the bare form is a plan or is negated
        "Northland would not hold talks with Southland on the border",
        "Mediator to host meeting of Northland and Southland",
    ):
        assert _label(talks, title, f"{title}, {tail}") is not Label.MET, title


def test_the_ing_form_of_a_users_phrase_after_including_or_on_is_a_topic() -> None:
    crossings = made_up_watchlist(
        ENTITIES,
        "other",
        statement="Northland and Southland open new crossing points.",
        signals='{met: ["opened a new crossing"]}',
    )
    title = "Northland and Southland leaders meet in the capital"
    tail = "the mediator said on Monday after the meeting."
    for text in (
        "Northland and Southland discussed steps including opening a new crossing point,",
        "Northland and Southland held talks on opening a new crossing point,",
    ):
        assert _label(crossings, title, f"{text} {tail}") is not Label.MET, text
    for text in (
        "Northland and Southland opened a new crossing point,",
        "Northland and Southland are opening a new crossing point today,",
    ):
        assert _label(crossings, title, f"{text} {tail}") is Label.MET, text


def test_a_bare_weekday_dates_an_event() -> None:
    published = datetime(2025, 3, 19, 12, tzinfo=UTC)  # a Wednesday
    found = find_dates("the army said Monday that the town came under shelling", published)
    assert [(d.text, d.first) for d in found] == [("Monday", date(2025, 3, 17))]
    found = find_dates("on the preceding Monday, troops entered the town", published)
    assert [d.first for d in found] == [date(2025, 3, 17)]
    for text in ("talks resume next Monday", "the Good Friday agreement", "until Monday"):
        assert find_dates(text, published) == [], text
    truce = made_up_watchlist(ENTITIES, "ceasefire", effective="2025-03-18T00:00:00+02:00")
    text = (
        "Northland's army said Monday that the border town came under shelling from the "
        "Southern side, a day before the truce."
    )
    assert first_label(truce, "Border town calm", text, published) is not Label.BREACH
    later = text.replace("Monday", "Wednesday").replace(", a day before the truce", "")
    assert first_label(truce, "Border town calm", later, published) is Label.BREACH


def test_a_users_signal_that_opens_with_a_name_names_who_acts() -> None:
    pullback = made_up_watchlist(
        ENTITIES,
        "withdrawal",
        statement="Northland withdraws its troops from Hilltown.",
        subjects="[hill]",
        signals='{met: ["Southern army entered"]}',
    ).replace("entities:\n", "entities:\n  hill: {name: Hilltown, aliases: [Hilltown]}\n", 1)
    text = "The Southern army has entered Hilltown to secure the border, officials said on Monday."
    assert _label(pullback, "Army enters Hilltown", text) is Label.MET


def test_a_verb_after_another_nouns_relative_word_is_not_the_talks() -> None:
    talks = made_up_watchlist(ENTITIES, "talks", statement="Northland and Southland hold talks.")
    tail = "officials said on Monday."
    text = "Northland and Southland say the meeting builds on a thaw that began on Sunday,"
    assert _label(talks, "Leaders seek a reset", f"{text} {tail}") is not Label.MET
    text = "Northland and Southland say the meeting that began in the capital went well,"
    assert _label(talks, "Leaders seek a reset", f"{text} {tail}") is Label.MET


def test_hostilities_abandoned_are_no_breach() -> None:
    truce = made_up_watchlist(ENTITIES, "ceasefire")
    tail = "analysts said on Monday."
    title = "Northern forces abandon drone strikes on Southern positions"
    assert _label(truce, title, f"{title}, {tail}") is not Label.BREACH
    title = "Northern forces carry out drone strikes on Southern positions"
    assert _label(truce, title, f"{title}, {tail}") is Label.BREACH


def test_a_hyphened_pair_with_an_outsider_is_about_that_other_pair() -> None:
    truce = made_up_watchlist(ENTITIES, "ceasefire")
    tail = "the border service said on Monday."
    text = "The situation at the Northern-Eastern border is stable and calm,"
    assert _label(truce, "Trucks wait at the border", f"{text} {tail}") is not Label.MET
    for text in (
        "The situation at the Northern-Southern border is stable and calm,",
        "The situation on the Pro-Northern side of the Southern border is stable and calm,",
    ):
        assert _label(truce, "Trucks wait at the border", f"{text} {tail}") is Label.MET, text


def test_once_the_agreement_is_signed_is_a_condition() -> None:
    talks = made_up_watchlist(ENTITIES, "talks", statement="Northland and Southland hold talks.")
    tail = "the envoy said on Monday."
    text = "In the talks, prisoners will be moved once the agreement is signed by Northland,"
    assert _label(talks, "Prisoner deal approved", f"{text} {tail}") is not Label.MET
    text = "In the talks, the prisoner agreement was signed by Northland and Southland,"
    assert _label(talks, "Prisoner deal approved", f"{text} {tail}") is Label.MET


def test_what_a_truce_declared_on_its_first_day_followed_came_before_it() -> None:
    truce = made_up_watchlist(ENTITIES, "ceasefire", effective="2025-11-05")
    title = "Aid reaches the valley"
    text = (
        "A truce was declared in the valley on November 5 following a surge in violence and "
        "Northern shelling of Southern villages, officials said on Monday."
    )
    assert _label(truce, title, text) is not Label.BREACH
    later = text.replace("November 5", "November 9")
    assert _label(truce, title, later) is Label.BREACH


def test_the_aftermath_of_clashes_is_background() -> None:
    truce = made_up_watchlist(ENTITIES, "ceasefire")
    text = "analysts in the capital said on Monday."
    title = "Aftermath of Northern-Southern clashes puts the truce to the test"
    assert _label(truce, title, f"{title}, {text}") is not Label.BREACH
    title = "Northern-Southern clashes put the truce to the test"
    assert _label(truce, title, f"{title}, {text}") is Label.BREACH


def test_a_mission_wound_down_is_a_withdrawal() -> None:
    leave = made_up_watchlist(
        ENTITIES, "withdrawal", statement="Northland ends its military mission in Southland."
    )
    tail = "officials in the Southern capital said on Monday."
    title = "Southland hails the day as Northern-led coalition winds down mission"
    assert _label(leave, title, f"{title}, {tail}") is Label.MET
    title = "Southland hails the day as Northern-led coalition extends mission"
    assert _label(leave, title, f"{title}, {tail}") is not Label.MET
