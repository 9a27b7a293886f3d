"""A posting's text in 64 hex digits, kept on its pick: the evidence that a posting seen today
under a new URL is the same job as an earlier pick, where an employer, a title and a city
are not (a busy employer has many "Software Engineer" jobs in one city).

One-permutation MinHash (Li, Owen and Zhang 2012) keeping one bit per bin (b-bit minwise
hashing, Li and König 2010): the text's word 3-shingles are hashed, dealt into 256 bins, and
each bin keeps the lowest bit of its smallest hash. Two texts sharing a fraction J of their
shingles differ in a bin with probability about (1 - J) / 2: a copy on another site differs
from the original in a few bits, a repost with a paragraph rewritten in about 17, another job
of the same employer and title (sharing its "About us", benefits and stock phrases) in about
60. `bench/history.py` measures where the line falls on a ground truth.
"""

from __future__ import annotations

import re
import zlib

BINS = 256
"""Bits in a fingerprint, one per bin."""
MAX_DISTANCE = 28
"""Fingerprints differing in at most this many bits are near-identical text (J >= ~0.78)."""
MIN_WORDS = 50
"""Shorter texts say too little to tell two jobs apart: no fingerprint."""
_WORD = re.compile(r"\w+")


def fingerprint(text: str) -> str:
    """The text's fingerprint as 64 hex digits, or "" when the text is too short to have one.

    Case, punctuation, markup left-overs and spacing do not change it.
    """
    words = _WORD.findall(text.casefold())
    if len(words) < MIN_WORDS:
        return ""
    # Shingles hashed with CRC-32: the same on every platform and Python version (stored
    # fingerprints stay comparable), and computed in C from the words to the sorted hashes.
    # Largest first, so each bin is left holding its smallest.
    shingles = map(str.encode, map(" ".join, zip(words, words[1:], words[2:], strict=False)))
    hashes = sorted(map(zlib.crc32, shingles), reverse=True)
    found = {value % BINS: value // BINS for value in hashes}
    # An empty bin borrows another bit of the next filled bin's value (densification), so a
    # short text still compares bin by bin; MIN_WORDS guarantees a filled bin. Walked
    # backwards twice round, so each bin meets the next filled one first.
    bits, nearest, step = 0, 0, 0
    for turn in range(2 * BINS - 1, -1, -1):
        slot = turn % BINS
        if slot in found:
            nearest, step = found[slot], 0
        else:
            step += 1
        if turn < BINS:
            bits |= (nearest >> step & 1) << slot
    return f"{bits:0{BINS // 4}x}"


def distance(a: str, b: str) -> int:
    """How many of the bits differ."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def near_identical(a: str, b: str) -> bool:
    """Both texts known and nearly the same."""
    return bool(a and b) and distance(a, b) <= MAX_DISTANCE
