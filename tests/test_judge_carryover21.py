"""Reading that carries over to a watchlist a user writes (session 21; made-up parties).

A user's phrase names a verb and its object ("triggered the snapback", "released the
prisoners"); real reports put a word before the noun ("triggered the UN snapback",
"releases 50 prisoners").
"""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.judge.engine import _GAP_NOT as GAP_NOT
from monitor.judge.engine import _OBJECT_NOT as OBJECT_NOT
from monitor.judge.inflect import modifier_forms
from monitor.judge.text import PhraseIndex, tokenize
from monitor.models import Label
from tests.helpers import first_label, made_up_watchlist

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)

ENTITIES = """
entities:
  north: {name: North, aliases: [North, Northern, Northland]}
  south: {name: South, aliases: [South, Southern, Southland]}
  dermot: {name: Dermot, aliases: [Dermot]}
"""


def _label(watchlist: str, title: str, text: str = "") -> Label:
    return first_label(watchlist, title, text, AT)


def test_a_gap_word_stands_for_one_word_that_is_not_a_function_word() -> None:
    index = PhraseIndex([("triggered _ snapback", "k")], frozenset({"no", "the"}))
    assert [h.phrase for h in index.find(tokenize("they triggered UN snapback"))] == [
        "triggered _ snapback"
    ]
    for text in ("triggered no snapback", "triggered the snapback", "triggered , snapback"):
        assert index.find(tokenize(text)) == [], text
    assert index.find(tokenize("triggered UN sanctions snapback")) == []  # one word only


def test_a_users_verb_and_object_match_with_a_modifier_before_the_noun() -> None:
    other = made_up_watchlist(
        ENTITIES,
        "other",
        statement="Northland triggers the snapback.",
        signals='{met: ["triggered the snapback"]}',
    )
    said = "the foreign ministry said on Wednesday in a statement to the council."
    for title in (
        "Northland triggers UN snapback on Southland",
        "Northland triggered the UN snapback on Southland",
    ):
        assert _label(other, title, f"{title}, {said}") is Label.MET, title
    # a negation, a preposition or a pronoun is no modifier
    for title in (
        "Northland triggered no snapback on Southland",
        "Northland triggered it, snapback on Southland",
    ):
        assert _label(other, title, f"{title}, {said}") is not Label.MET, title
    assert "between" in GAP_NOT and "no" in GAP_NOT


def test_a_name_or_a_particle_after_the_verb_gets_no_modifier() -> None:
    assert modifier_forms("met Dermot", ["met Dermot"], {}, ["the"], OBJECT_NOT) == []
    assert modifier_forms("pulled out troops", ["pulled out troops"], {}, ["the"], OBJECT_NOT) == []
    assert modifier_forms("troops pulled", ["troops pulled"], {}, ["the"], OBJECT_NOT) == []
    assert modifier_forms("released the", ["released the"], {}, ["the"], OBJECT_NOT) == []
    forms = modifier_forms("released the prisoners", ["released the prisoners"], {}, ["the"], set())
    assert forms == ["released the _ prisoners", "released _ prisoners"]
