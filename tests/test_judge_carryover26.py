"""Reading that carries over to a watchlist a user writes (session 26; made-up parties)."""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.config import parse_config
from monitor.judge import Matcher
from monitor.models import Label, Verdict
from tests.helpers import first_label, made_up_watchlist

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)

ENTITIES = """
entities:
  north: {name: North, aliases: [North, Northern, Northland]}
  south: {name: South, aliases: [South, Southern, Southland]}
"""

CEASEFIRE = made_up_watchlist(
    ENTITIES, "ceasefire", statement="Northland and Southland stop attacking each other."
)


def _label(watchlist: str, title: str, text: str = "") -> Label:
    return first_label(watchlist, title, text, AT)


def test_not_stopping_the_fighting_is_fighting() -> None:
    # The verb before the hostilities: "have not stopped fighting" goes on fighting.
    text = (
        "Northland and Southland forces have not stopped fighting along the border, residents said."
    )
    assert _label(CEASEFIRE, "Border town fears", text) is Label.BREACH
    text = "Northland has kept up strikes on Southland border posts, residents said."
    assert _label(CEASEFIRE, "Border town fears", text) is Label.BREACH
    # ... while fighting that has stopped is not.
    text = "Northland and Southland forces have stopped fighting along the border, residents said."
    assert _label(CEASEFIRE, "Border town calm", text) is not Label.BREACH


def _verdict(watchlist: str, text: str) -> Verdict:
    cfg = parse_config(watchlist, env={})
    return Matcher(cfg.commitments, cfg.entities).judge("", text, AT)[0]


def test_a_partys_capital_speaking_is_not_a_venue() -> None:
    # Southland's capital shares its name with a city that hosts talks ("venues" in the
    # world data); named as the one who speaks, it is the government, not where talks were.
    geneva = made_up_watchlist(
        ENTITIES.replace("Southland]", "Southland, Cairo]"),
        "talks",
        statement="Northland and Southland hold talks in Geneva.",
    )
    said = _verdict(geneva, "Talks between Northland and Southland failed on Monday, Cairo said.")
    held = _verdict(geneva, "Talks between Northland and Southland in Cairo failed on Monday.")
    notes = [" | ".join(f.reasons) for v in (said, held) for f in v.findings]
    assert said.label is Label.BREACH and "talks elsewhere" not in notes[0]
    assert "talks elsewhere: 'Cairo'" in notes[1]


def test_an_anti_prefix_makes_a_name_its_opponent() -> None:
    # "anti-Northland rebels" are not Northland: the article is not about the pair at all.
    text = "Anti-Northland rebels shelled border posts overnight, killing two soldiers."
    assert _label(CEASEFIRE, "Border attack", text) is Label.NONE
    text = "Northland troops shelled Southland border posts overnight, killing two soldiers."
    assert _label(CEASEFIRE, "Border attack", text) is Label.BREACH


def test_a_clash_a_month_before_the_article_is_its_backstory() -> None:
    # On 20 December, a clash of 10 November is the backstory of other news ...
    at = datetime(2025, 12, 20, 9, tzinfo=UTC)
    text = "Northland and Southland troops clashed near the border on November 10, officials said."
    assert first_label(CEASEFIRE, "Border families wait", text, at) is Label.RELATED
    # ... while one of 5 December is still news.
    text = "Northland and Southland troops clashed near the border on December 5, officials said."
    assert first_label(CEASEFIRE, "Border families wait", text, at) is Label.BREACH


RELEASE = made_up_watchlist(
    ENTITIES, "release", statement="Northland frees the Southland detainees it holds."
)


def test_withholding_the_names_of_captives_is_not_holding_them_back() -> None:
    text = "Northland withheld the names of Southland prisoners, officials said."
    assert _label(RELEASE, "Prison list", text) is not Label.BREACH
    text = "Northland withheld the Southland prisoners, officials said."
    assert _label(RELEASE, "Prison list", text) is Label.BREACH


def test_several_years_ago_dates_an_event() -> None:
    # "several years ago" is before the commitment (effective 1 November 2025): background.
    text = "Northland released the Southland detainees several years ago, officials said."
    assert _label(RELEASE, "Prison list", text) is not Label.MET
    text = "Northland released the Southland detainees on Monday, officials said."
    assert _label(RELEASE, "Prison list", text) is Label.MET


def test_what_needed_to_happen_has_not() -> None:
    text = "Northland said the situation on the Southland border needed to be more stable first."
    assert _label(CEASEFIRE, "Border talks", text) is Label.RELATED
    text = "Northland said the situation on the Southland border was stable on Monday."
    assert _label(CEASEFIRE, "Border talks", text) is Label.MET


def test_a_camp_assaulted_is_an_attack() -> None:
    text = "Southland fighters assaulted a military camp on the outskirts of the border town."
    assert _label(CEASEFIRE, "Camp attacked", f"{text} Northland said.") is Label.BREACH
    text = "Southland fighters visited a military camp on the outskirts of the border town."
    assert _label(CEASEFIRE, "Camp visit", f"{text} Northland said.") is not Label.BREACH


def test_a_stronghold_seized_is_ground_taken() -> None:
    text = "Northland forces on Wednesday seized a stronghold of Southland's former president."
    assert _label(CEASEFIRE, "Stronghold falls", text) is Label.BREACH
    text = "Northland forces on Wednesday visited a stronghold of Southland's former president."
    assert _label(CEASEFIRE, "Stronghold visit", text) is not Label.BREACH


def test_a_bare_read_line_links_to_another_story() -> None:
    text = "The board named 15 players for the series.\nREAD: Northland and Southland troops clash"
    assert _label(CEASEFIRE, "Cricket board names squad", text) is Label.NONE


def test_an_invitation_to_the_talks_turned_down_is_refusal() -> None:
    talks = made_up_watchlist(ENTITIES, "talks", statement="Northland and Southland hold talks.")
    text = "Southland has turned down Northland President Ivo Tam's invitation to the talks."
    assert _label(talks, "Talks snub", text) is Label.BREACH
    text = "Southland has accepted Northland President Ivo Tam's invitation to the talks."
    assert _label(talks, "Talks snub", text) is not Label.BREACH


def test_leaving_an_anti_government_coalition_is_not_leaving_the_government() -> None:
    cabinet = made_up_watchlist(
        ENTITIES,
        "other",
        statement="Southland's rebels join Northland's government.",
        signals='{breach: ["left the government"]}',
    )
    title = "Southland rebels say leaving anti-government coalition in Northland"
    assert _label(cabinet, title, f"{title}, officials said.") is not Label.BREACH
    title = "Southland rebels say leaving Northland unity government"
    assert _label(cabinet, title, f"{title}, officials said.") is Label.BREACH


def test_a_span_after_the_signal_dates_it_from_an_older_event() -> None:
    # "two months after" follows the shelling: the talks' collapse is the backstory, not it.
    text = "Northland troops shelled Southland border posts two months after the talks collapsed."
    assert _label(CEASEFIRE, "Border town", text) is Label.BREACH


def test_plural_talk_nouns() -> None:
    talks = made_up_watchlist(ENTITIES, "talks", statement="Northland and Southland hold talks.")
    title = "Northland, Southland hold online peace dialogues"
    assert _label(talks, title, f"{title}, officials said.") is Label.MET
    title = "Northland-Southland joint committee meetings postponed"
    assert _label(talks, title, f"{title}, officials said.") is Label.BREACH


def test_an_offensive_carried_out_is_an_attack() -> None:
    text = "Northland's army carried out air and ground operations near the Southland border."
    assert _label(CEASEFIRE, "Border town", text) is Label.BREACH
    text = "Northland's army carried out no offensive operations near the Southland border."
    assert _label(CEASEFIRE, "Border town", text) is not Label.BREACH
    text = "Northland's units desisted from carrying out offensive operations near Southland."
    assert _label(CEASEFIRE, "Border town", text) is not Label.BREACH


def test_talks_that_come_after_an_earlier_round_are_under_way() -> None:
    talks = made_up_watchlist(ENTITIES, "talks", statement="Northland and Southland hold talks.")
    text = (
        "The negotiations come six months after a first round of discussions between Northland "
        "and Southland ended without an agreement."
    )
    assert _label(talks, "Peace push", text) is Label.MET
