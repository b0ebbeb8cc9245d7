"""The vectorised SimHash gives, bit for bit, the fingerprint the pure-Python one gave, so
articles stored before and after the change still compare."""

from __future__ import annotations

import hashlib
import re

from hypothesis import given
from hypothesis import strategies as st

from monitor.fingerprint import simhash64

_WORD = re.compile(r"\w+")


def reference_simhash64(text: str, shingle: int = 3) -> int:
    """The pure-Python SimHash the store used before (64 votes per shingle)."""
    words = _WORD.findall(text.lower())
    if len(words) >= shingle:
        grams = [" ".join(words[i : i + shingle]) for i in range(len(words) - shingle + 1)]
    else:
        grams = [" ".join(words)] if words else []
    if not grams:
        return 0
    counts = [0] * 64
    for gram in grams:
        h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            counts[bit] += 1 if (h >> bit) & 1 else -1
    return sum(1 << bit for bit, c in enumerate(counts) if c > 0)


WORDS = st.sampled_from(["ceasefire", "Kabul", "talks", "Istanbul", "ТТП", "中文", "1", "a"])


@given(st.lists(WORDS, max_size=60).map(" ".join))
def test_same_bits_as_the_pure_python_simhash(text: str) -> None:
    assert simhash64(text) == reference_simhash64(text)


@given(st.text(max_size=300))
def test_same_bits_on_any_text(text: str) -> None:
    assert simhash64(text) == reference_simhash64(text)


def test_edges_and_a_long_article() -> None:
    long = " ".join(f"word{i % 97} other{i % 13}" for i in range(3000))
    for text in ("", "one", "one two", "one two three", "!!! ???", long):
        assert simhash64(text) == reference_simhash64(text)
    assert simhash64(long) != 0 and simhash64(long) < 1 << 64


def test_lane_edges() -> None:
    """8-bit lanes up to 254 shingles, 16-bit lanes up to 32,767, bit by bit past that; a
    text of one repeated shingle sets every lane to the same count (no overflow)."""
    for n in (1, 2, 3, 126, 127, 128, 129, 254, 255, 256, 257, 32_767, 32_768, 32_769):
        same = " ".join(["x"] * (n + 2))  # n shingles, all alike: every lane at its fullest
        mixed = " ".join(f"t{i % 11}" for i in range(n + 2))
        assert simhash64(same) == reference_simhash64(same)
        assert simhash64(mixed) == reference_simhash64(mixed)
