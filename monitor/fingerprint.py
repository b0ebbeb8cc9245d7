"""A fast 64-bit SimHash, bit for bit the same as the pure-Python reference in the tests.

The per-bit vote over every word shingle is the costly part of a SimHash in pure
Python (64 steps per shingle).  Here the shingles' 8-byte blake2b digests are laid side
by side and read by column: ``digests[j::8]`` is byte ``j`` of every digest, as one
integer; masked to bit ``k`` of each of its bytes, ``int.bit_count`` counts the
shingles that have that bit.  64 such counts (each a few C calls over ``n`` bytes) give
the votes, with no per-shingle Python loop over the bits and no numpy (whose import
would slow every parse worker's start).
"""

from __future__ import annotations

import re
from functools import lru_cache
from hashlib import blake2b

_WORD = re.compile(r"\w+")
# Each shingle's hash starts from a copy of this one (its parameters already set): a copy
# and an update cost about two thirds of a new ``blake2b(data, digest_size=8)``, which
# parses its keyword arguments each time.  The digests are the same.
_BLAKE8 = blake2b(digest_size=8)


def _digests(grams: list[str]) -> bytes:
    """The 8-byte blake2b digests of ``grams`` (UTF-8), one after another."""
    new = _BLAKE8.copy
    out = []
    for gram in grams:
        h = new()
        h.update(gram.encode())
        out.append(h.digest())
    return b"".join(out)


@lru_cache(maxsize=256)
def _ones(n: int) -> int:
    """``n`` bytes of value 1, as an integer."""
    return int.from_bytes(b"\x01" * n, "big")


def simhash64(text: str, shingle: int = 3) -> int:
    """64-bit SimHash of word shingles; syndicated copies differ in few bits."""
    words = _WORD.findall(text.lower())
    if len(words) >= shingle:
        grams = list(map(" ".join, zip(*(words[i:] for i in range(shingle)), strict=False)))
    else:
        grams = [" ".join(words)] if words else []
    if not grams:
        return 0
    digests = _digests(grams)
    n = len(grams)
    half = n // 2  # a bit is set when more shingles have it than lack it: count > n // 2
    ones = _ones(n) if n <= 4096 else int.from_bytes(b"\x01" * n, "big")
    out = 0
    for j in range(8):  # byte j of a digest holds bits 8 * (7 - j) ... + 7 of its value
        column = int.from_bytes(digests[j::8], "big")
        at = 8 * (7 - j)
        for k in range(8):
            if ((column >> k) & ones).bit_count() > half:
                out |= 1 << (at + k)
    return out
