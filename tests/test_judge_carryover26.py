"""Reading that carries over to a watchlist a user writes (session 26; made-up parties)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.config import parse_config
from monitor.judge import Matcher
from monitor.models import Label, Verdict
from tests.helpers import NORTH_SOUTH, assert_reads, first_label, made_up_watchlist

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)

ENTITIES = NORTH_SOUTH

CEASEFIRE = made_up_watchlist(
    ENTITIES, "ceasefire", statement="Northland and Southland stop attacking each other."
)
RELEASE = made_up_watchlist(
    ENTITIES, "release", statement="Northland frees the Southland detainees it holds."
)
TALKS = made_up_watchlist(ENTITIES, "talks", statement="Northland and Southland hold talks.")
CABINET = made_up_watchlist(
    ENTITIES,
    "other",
    statement="Southland's rebels join Northland's government.",
    signals='{breach: ["left the government"]}',
)
WATCHLISTS = {"ceasefire": CEASEFIRE, "release": RELEASE, "talks": TALKS, "cabinet": CABINET}

B, M, R, N = Label.BREACH, Label.MET, Label.RELATED, Label.NONE
#: (watchlist, headline, text, the label it must get, or "not" it). Each mechanism comes with
#: the case that must still count (or still not), so that a guard cannot pass by silencing all.
CASES = [
    # The verb before the hostilities: "have not stopped fighting" goes on fighting ...
    (
        "ceasefire",
        "Border town fears",
        "Northland and Southland forces have not stopped "
        "fighting along the border, residents said.",
        B,
        "is",
    ),
    (
        "ceasefire",
        "Border town fears",
        "Northland has kept up strikes on Southland border posts, residents said.",
        B,
        "is",
    ),
    # ... while fighting that has stopped is not.
    (
        "ceasefire",
        "Border town calm",
        "Northland and Southland forces have stopped fighting along the border, residents said.",
        B,
        "not",
    ),
    # "anti-Northland rebels" are not Northland: the article is not about the pair at all.
    (
        "ceasefire",
        "Border attack",
        "Anti-Northland rebels shelled border posts overnight, killing two soldiers.",
        N,
        "is",
    ),
    (
        "ceasefire",
        "Border attack",
        "Northland troops shelled Southland border posts overnight, killing two soldiers.",
        B,
        "is",
    ),
    # "withheld the names of" captives withholds names, not captives.
    (
        "release",
        "Prison list",
        "Northland withheld the names of Southland prisoners, officials said.",
        B,
        "not",
    ),
    (
        "release",
        "Prison list",
        "Northland withheld the Southland prisoners, officials said.",
        B,
        "is",
    ),
    # "several years ago" is before the commitment (effective 1 November 2025): background.
    (
        "release",
        "Prison list",
        "Northland released the Southland detainees several years ago, officials said.",
        M,
        "not",
    ),
    (
        "release",
        "Prison list",
        "Northland released the Southland detainees on Monday, officials said.",
        M,
        "is",
    ),
    # What needed to happen has not.
    (
        "ceasefire",
        "Border talks",
        "Northland said the situation on the Southland border needed to be more stable first.",
        R,
        "is",
    ),
    (
        "ceasefire",
        "Border talks",
        "Northland said the situation on the Southland border was stable on Monday.",
        M,
        "is",
    ),
    # A camp assaulted is an attack; one visited is not.
    (
        "ceasefire",
        "Camp attacked",
        "Southland fighters assaulted a military camp on the "
        "outskirts of the border town. Northland said.",
        B,
        "is",
    ),
    (
        "ceasefire",
        "Camp visit",
        "Southland fighters visited a military camp on the outskirts "
        "of the border town. Northland said.",
        B,
        "not",
    ),
    # A stronghold seized is ground taken.
    (
        "ceasefire",
        "Stronghold falls",
        "Northland forces on Wednesday seized a stronghold of Southland's former president.",
        B,
        "is",
    ),
    (
        "ceasefire",
        "Stronghold visit",
        "Northland forces on Wednesday visited a stronghold of Southland's former president.",
        B,
        "not",
    ),
    # A bare "READ:" line links to another story.
    (
        "ceasefire",
        "Cricket board names squad",
        "The board named 15 players for the series.\nREAD: Northland and Southland troops clash",
        N,
        "is",
    ),
    # An invitation to the talks turned down is a refusal.
    (
        "talks",
        "Talks snub",
        "Southland has turned down Northland President Ivo Tam's invitation to the talks.",
        B,
        "is",
    ),
    (
        "talks",
        "Talks snub",
        "Southland has accepted Northland President Ivo Tam's invitation to the talks.",
        B,
        "not",
    ),
    # Leaving an anti-government coalition is not leaving the government.
    (
        "cabinet",
        "Southland rebels say leaving anti-government coalition in Northland",
        "Southland rebels say leaving anti-government coalition in Northland, officials said.",
        B,
        "not",
    ),
    (
        "cabinet",
        "Southland rebels say leaving Northland unity government",
        "Southland rebels say leaving Northland unity government, officials said.",
        B,
        "is",
    ),
    # "two months after" follows the shelling: the talks' collapse is the backstory, not it.
    (
        "ceasefire",
        "Border town",
        "Northland troops shelled Southland border posts two months after the talks collapsed.",
        B,
        "is",
    ),
    # Talk nouns in the plural.
    (
        "talks",
        "Northland, Southland hold online peace dialogues",
        "Northland, Southland hold online peace dialogues, officials said.",
        M,
        "is",
    ),
    (
        "talks",
        "Northland-Southland joint committee meetings postponed",
        "Northland-Southland joint committee meetings postponed, officials said.",
        B,
        "is",
    ),
    # An offensive carried out is an attack; "no offensive operations" and "desisted" are not.
    (
        "ceasefire",
        "Border town",
        "Northland's army carried out air and ground operations near the Southland border.",
        B,
        "is",
    ),
    (
        "ceasefire",
        "Border town",
        "Northland's army carried out no offensive operations near the Southland border.",
        B,
        "not",
    ),
    (
        "ceasefire",
        "Border town",
        "Northland's units desisted from carrying out offensive operations near Southland.",
        B,
        "not",
    ),
    # Talks that "come" six months after an earlier round are under way.
    (
        "talks",
        "Peace push",
        "The negotiations come six months after a first round of "
        "discussions between Northland and Southland ended without an agreement.",
        M,
        "is",
    ),
]


@pytest.mark.parametrize(("watchlist", "title", "text", "label", "how"), CASES)
def test_reading_carries_over(
    watchlist: str, title: str, text: str, label: Label, how: str
) -> None:
    assert_reads(WATCHLISTS[watchlist], title, text, AT, label, how)


def test_a_clash_a_month_before_the_article_is_its_backstory() -> None:
    # On 20 December, a clash of 10 November is the backstory of other news ...
    at = datetime(2025, 12, 20, 9, tzinfo=UTC)
    text = "Northland and Southland troops clashed near the border on November 10, officials said."
    assert first_label(CEASEFIRE, "Border families wait", text, at) is Label.RELATED
    # ... while one of 5 December is still news.
    text = "Northland and Southland troops clashed near the border on December 5, officials said."
    assert first_label(CEASEFIRE, "Border families wait", text, at) is Label.BREACH


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
