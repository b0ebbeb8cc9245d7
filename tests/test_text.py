"""Pure text helpers: normalisation, sentences, tokens, phrases, dates, SimHash."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.assess import hamming64 as hamming
from monitor.fingerprint import simhash64
from monitor.judge.text import (
    PhraseIndex,
    article_sentences,
    compile_phrases,
    find_dates,
    normalize,
    phrase_pattern,
    split_sentences,
    tokenize,
)


def test_normalize_quotes_dashes_and_spaces() -> None:
    raw = (
        "\u201cNo\u201d talks\u2014ever.\u00a0 Pakistan\u2013Afghanistan\u2019s  border\r\n\n\nNext"
    )
    assert normalize(raw) == '"No" talks - ever. Pakistan-Afghanistan\'s border\nNext'


def test_normalize_drops_invisible_characters_and_double_dashes() -> None:
    assert normalize("cease\u200bfire -- truce\ufeff") == "ceasefire - truce"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Talks began. They ended.", ["Talks began.", "They ended."]),
        (
            "Mr. Asif spoke on Oct. 25 in Istanbul. Kabul replied.",
            ["Mr. Asif spoke on Oct. 25 in Istanbul.", "Kabul replied."],
        ),
        (
            "U.S. officials met J. Smith. Then they left.",
            ["U.S. officials met J. Smith.", "Then they left."],
        ),
        (
            'He said: "The truce holds." Others disagreed.',
            ['He said: "The truce holds."', "Others disagreed."],
        ),
        ("The border reopened.Trade resumed.", ["The border reopened.", "Trade resumed."]),
        (
            'Kabul said "Pakistan broke the truce.""We will respond," it added.',
            ['Kabul said "Pakistan broke the truce."', '"We will respond," it added.'],
        ),
        (
            "Headline without a period\nBody text here. More text.",
            ["Headline without a period", "Body text here.", "More text."],
        ),
        ("- first bullet\n- second bullet", ["first bullet", "second bullet"]),
        ("Is it over? Nobody knows! Maybe.", ["Is it over?", "Nobody knows!", "Maybe."]),
        ("It cost 3.5 million rupees. Done.", ["It cost 3.5 million rupees.", "Done."]),
        ("Gen. Munir and Lt. Col. Khan met.", ["Gen. Munir and Lt. Col. Khan met."]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(normalize(text)) == expected


def test_article_sentences_title_first_and_not_repeated() -> None:
    title = "Truce holds on the border"
    text = "Truce holds on the border\nBoth sides report calm. Trade resumed."
    assert article_sentences(title, text) == [
        "Truce holds on the border",
        "Both sides report calm.",
        "Trade resumed.",
    ]
    assert article_sentences("", "One. Two.") == ["One.", "Two."]


def test_tokenize_words_punctuation_and_not() -> None:
    assert tokenize("Kabul didn't deny it; Islamabad can't, won't (ever) cannot") == [
        "kabul",
        "did",
        "not",
        "deny",
        "it",
        ";",
        "islamabad",
        "can",
        "not",
        ",",
        "will",
        "not",
        "(",
        "ever",
        ")",
        "can",
        "not",
    ]
    assert tokenize("cross-border Pakistan's") == ["cross", "border", "pakistan", "s"]
    assert tokenize("war - peace") == ["war", "-", "peace"]


@pytest.mark.parametrize(
    ("phrase", "text", "found"),
    [
        ("violat*", "Kabul violated the deal", True),
        ("violat*", "violation", True),
        ("violat*", "inviolate", False),
        ("cross-border fire", "cross border fire", True),
        ("cross border fire", "cross-border fire", True),
        ("cross border fire", "crossborder fire", False),
        ("air strike*", "air-strikes", True),
        ("talks", "TALKS", True),
        ("talks", "talkshow", False),
        ("TTP", "the TTP's leaders", True),
        ("Fitna al-Khawarij", "fitna al khawarij", True),
    ],
)
def test_phrase_pattern_and_compile(phrase: str, text: str, found: bool) -> None:
    assert bool(compile_phrases([phrase]).search(text)) is found
    assert phrase_pattern(phrase)
    hits = PhraseIndex([(phrase, "k")]).find(tokenize(text))
    assert bool(hits) is found


def test_compile_phrases_empty_matches_nothing() -> None:
    assert compile_phrases([]).search("anything") is None
    with pytest.raises(ValueError):
        phrase_pattern("  ")


def test_phrase_index_reports_overlaps_and_keys() -> None:
    index = PhraseIndex(
        [
            ("ceasefire", "topic"),
            ("ceasefire holds", "met"),
            ("holds", "verb"),
            ("ceasefire", "other"),
            ("violat* the truce", "breach"),
        ]
    )
    hits = index.find(tokenize("The ceasefire holds; nobody violated the truce."))
    found = {(h.phrase, h.keys) for h in hits}
    assert ("ceasefire", ("topic", "other")) in found
    assert ("ceasefire holds", ("met",)) in found
    assert ("holds", ("verb",)) in found
    assert ("violat* the truce", ("breach",)) in found
    spans = {h.phrase: (h.start, h.end) for h in hits}
    assert spans["ceasefire holds"] == (1, 3)


def test_phrase_index_does_not_cross_punctuation() -> None:
    index = PhraseIndex([("Pakistan Afghanistan", "pair")])
    assert index.find(tokenize("Pakistan, Afghanistan")) == []
    assert len(index.find(tokenize("Pakistan-Afghanistan"))) == 1


PUB = datetime(2025, 12, 9, 12, tzinfo=UTC)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "first", "last", "since"),
    [
        ("on October 11", date(2025, 10, 11), date(2025, 10, 11), False),
        ("on 17 Oct", date(2025, 10, 17), date(2025, 10, 17), False),
        ("on Oct. 25, 2024", date(2024, 10, 25), date(2024, 10, 25), False),
        ("in early October", date(2025, 10, 1), date(2025, 10, 10), False),
        ("in late November", date(2025, 11, 21), date(2025, 11, 30), False),
        ("last month", date(2025, 11, 1), date(2025, 11, 30), False),
        ("in 2021", date(2021, 1, 1), date(2021, 12, 31), False),
        ("the worst since 2021", date(2021, 1, 1), date(2021, 12, 31), True),
        ("on Friday", date(2025, 12, 5), date(2025, 12, 5), False),
        ("last Tuesday", date(2025, 12, 2), date(2025, 12, 2), False),
        ("yesterday", date(2025, 12, 8), date(2025, 12, 8), False),
        ("on December 30", date(2025, 12, 30), date(2025, 12, 30), False),  # coming soon
        ("on January 5", date(2026, 1, 5), date(2026, 1, 5), False),  # in the new year
        ("on January 20", date(2025, 1, 20), date(2025, 1, 20), False),  # not soon: past
        ("over the summer", date(2025, 6, 1), date(2025, 8, 31), False),
        ("during the spring", date(2025, 3, 1), date(2025, 5, 31), False),
        ("through the winter of 2023", date(2023, 12, 1), date(2024, 2, 29), False),
    ],
)
def test_find_dates(text: str, first: date, last: date, since: bool) -> None:
    (ref,) = find_dates(text, PUB)
    assert (ref.first, ref.last, ref.since) == (first, last, since)


def test_find_dates_ignores_may_the_verb_and_plain_text() -> None:
    assert find_dates("Talks may resume soon in May", PUB) == []
    assert find_dates("no dates here at all", PUB) == []


def test_simhash_near_duplicates_are_close() -> None:
    story = (
        "Pakistani and Afghan forces exchanged fire at the Chaman border crossing on "
        "Tuesday, officials said, in the first clash since the ceasefire was agreed in Doha."
    )
    copy = story.replace("officials said", "officials told reporters")
    other = "The central bank left interest rates unchanged on Thursday amid slowing inflation."
    assert hamming(simhash64(story), simhash64(story)) == 0
    assert hamming(simhash64(story), simhash64(copy)) < hamming(simhash64(story), simhash64(other))
    assert hamming(simhash64(story), simhash64(other)) > 12
    assert simhash64("") == 0
    assert 0 <= simhash64("two words") < 2**64


@given(st.text(max_size=300))
def test_normalize_is_idempotent_and_splitting_loses_no_words(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    words = [w for s in split_sentences(once) for w in s.split()]
    # A bullet marker at the start of a line ("- ", "* ", "1) ") is dropped, nothing else.
    bullet = re.compile(r"^(?:[-*>#]+|\d+[.)])\s+")
    assert words == [w for line in once.split("\n") for w in bullet.sub("", line).split()]


@given(st.integers(0, 2**64 - 1), st.integers(0, 2**64 - 1))
def test_hamming_is_a_metric(a: int, b: int) -> None:
    assert hamming(a, b) == hamming(b, a)
    assert (hamming(a, b) == 0) == (a == b)
    assert 0 <= hamming(a, b) <= 64


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("the October fighting", date(2025, 10, 1), date(2025, 10, 31)),
        ("October's clashes", date(2025, 10, 1), date(2025, 10, 31)),
        ("clashes in October 11", date(2025, 10, 11), date(2025, 10, 11)),
        ("a year ago today", date(2024, 12, 1), date(2024, 12, 31)),
        ("two weeks ago", date(2025, 11, 22), date(2025, 11, 28)),
        ("3 days ago", date(2025, 12, 6), date(2025, 12, 6)),
    ],
)
def test_find_dates_month_names_and_ago(text: str, first: date, last: date) -> None:
    (ref,) = find_dates(text, PUB)
    assert (ref.first, ref.last) == (first, last)


def test_find_dates_leaves_the_may_and_numbers_alone() -> None:
    assert find_dates("the may of it all", PUB) == []
    assert find_dates("the talks lasted ago", PUB) == []


@pytest.mark.parametrize(
    ("text", "ahead", "first"),
    [
        # A month without a year, in a sentence about what is to come: the coming one
        # when that is under half a year away, else (and without the cue) the last one.
        ("in January", True, date(2026, 1, 1)),
        ("in January", False, date(2025, 1, 1)),
        ("on March 3", True, date(2026, 3, 3)),
        ("on March 3", False, date(2025, 3, 3)),
        ("in October", True, date(2025, 10, 1)),  # two months back: still the past one
        ("in August", True, date(2025, 8, 1)),  # eight months ahead is too far: last August
        ("last January", True, date(2025, 1, 1)),
        ("in January 2025", True, date(2025, 1, 1)),
    ],
)
def test_find_dates_reads_a_coming_month_in_a_sentence_about_the_future(
    text: str, ahead: bool, first: date
) -> None:
    (ref,) = find_dates(text, PUB, ahead=ahead)
    assert ref.first == first
