"""A posting's text in 16 hex digits, kept on its pick: the evidence that a posting seen today
under a new URL is the same job as an earlier pick, where an employer, a title and a city
are not (a busy employer has many "Software Engineer" jobs in one city).

One-permutation MinHash (Li, Owen and Zhang 2012) keeping one bit per bin (b-bit minwise
hashing, Li and König 2010): the text's word 3-shingles are hashed once, dealt into 64 bins,
and each bin keeps the lowest bit of its smallest hash. Two texts sharing a fraction J of
their shingles agree on a bin with probability about (1 + J) / 2: a posting copied to another
site or reposted with small edits differs from the original in a few bits, another job of the
same employer (whose boilerplate it shares) in a quarter of them or more. `bench/history.py`
measures the threshold on a ground truth.
"""

from __future__ import annotations

import hashlib
import re

BINS = 256
MAX_DISTANCE = 28
"""Fingerprints differing in at most this many bits are near-identical text (J >= ~0.75)."""
MIN_WORDS = 50
"""Shorter texts say too little to tell two jobs apart: no fingerprint."""
_WORD = re.compile(r"\w+")
_EMPTY = 1 << 64


def fingerprint(text: str) -> str:
    """The text's fingerprint as 16 hex digits, or "" when the text is too short to have one.

    Case, punctuation, markup left-overs and spacing do not change it.
    """
    words = _WORD.findall(text.casefold())
    if len(words) < MIN_WORDS:
        return ""
    smallest = [_EMPTY] * BINS
    for n in range(len(words) - 2):
        shingle = " ".join(words[n : n + 3]).encode()
        value = int.from_bytes(hashlib.blake2b(shingle, digest_size=8).digest(), "big")
        slot, rest = value % BINS, value // BINS
        if rest < smallest[slot]:
            smallest[slot] = rest
    # An empty bin borrows another bit of the next filled bin's value (densification), so a
    # short text still compares bin by bin; MIN_WORDS guarantees a filled bin.
    bits = 0
    for slot in range(BINS):
        step = 0
        while smallest[(slot + step) % BINS] == _EMPTY:
            step += 1
        bits |= (smallest[(slot + step) % BINS] >> step & 1) << slot
    return f"{bits:0{BINS // 4}x}"


def distance(a: str, b: str) -> int:
    """How many of the 64 bits differ."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def near_identical(a: str, b: str) -> bool:
    """Both texts known and nearly the same."""
    return bool(a and b) and distance(a, b) <= MAX_DISTANCE
