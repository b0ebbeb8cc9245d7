"""A fast 64-bit SimHash, bit for bit the same as the pure-Python reference in the tests.

The per-bit vote over every word shingle is the costly part of a SimHash in pure
Python (64 steps per shingle).  Here the shingles' blake2b digests are laid side by
side as one big integer and counted in lanes (SWAR): ``(d >> k) & mask`` keeps bit
``k`` of every 8-bit (or 16-bit) lane of every digest, and the remainder by
``2**64 - 1`` adds the digests' 64-bit words together, lane by lane, in one step (no
lane overflows: its count is at most the number of shingles).  A lane's count is
compared with half the shingles by adding ``top - half`` and reading its top bit.
Eight (or sixteen) such steps give the 64 votes, with no per-bit Python loop and no
numpy (whose import would slow every parse worker's start).
"""

from __future__ import annotations

import re
from functools import lru_cache
from hashlib import blake2b

_WORD = re.compile(r"\w+")
_FULL = (1 << 64) - 1
_LANES8 = 0x0101010101010101
_LANES16 = 0x0001000100010001
# the most shingles counted in 8-bit lanes (255 of them could fill every lane: a sum of
# 2**64 - 1, which the remainder would turn into 0), and in 16-bit lanes (the top-bit
# comparison needs a count below 2**15)
_MAX8 = 254
_MAX16 = 0x7FFF


@lru_cache(maxsize=256)
def _mask8(n: int) -> int:
    return int.from_bytes(b"\x01" * (8 * n), "big")


def _mask16(n: int) -> int:
    return int.from_bytes(b"\x00\x01" * (4 * n), "big")


def simhash64(text: str, shingle: int = 3) -> int:
    """64-bit SimHash of word shingles; syndicated copies differ in few bits."""
    words = _WORD.findall(text.lower())
    if len(words) >= shingle:
        grams = list(map(" ".join, zip(*(words[i:] for i in range(shingle)), strict=False)))
    else:
        grams = [" ".join(words)] if words else []
    if not grams:
        return 0
    digests = b"".join([blake2b(g, digest_size=8).digest() for g in map(str.encode, grams)])
    n = len(grams)
    d = int.from_bytes(digests, "big")
    # a bit is set when more shingles have it than lack it: count > n // 2
    if n <= _MAX8:
        mask, add = _mask8(n), (0x7F - n // 2) * _LANES8
        out = 0
        for k in range(8):
            out |= (((((d >> k) & mask) % _FULL + add) >> 7) & _LANES8) << k
        return out
    if n <= _MAX16:
        mask, add = _mask16(n), (0x7FFF - n // 2) * _LANES16
        out = 0
        for k in range(16):
            out |= (((((d >> k) & mask) % _FULL + add) >> 15) & _LANES16) << k
        return out
    counts = [0] * 64  # more shingles than any text the parser keeps: bit by bit
    for i in range(0, len(digests), 8):
        h = int.from_bytes(digests[i : i + 8], "big")
        for bit in range(64):
            counts[bit] += (h >> bit) & 1
    return sum(1 << bit for bit, c in enumerate(counts) if 2 * c > n)
