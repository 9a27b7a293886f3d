"""Company slugs: the part of a company page's and feed's URL that names the company.

A published URL is a promise to readers and feed subscribers, so a slug must never change or
pass to another company as the history grows. Names that slugify alike ("Müller AG",
"Muller AG") are settled by history, not sort order: the company seen earliest keeps the
bare slug, and every later one gets the slug plus a short hash of its own (case-folded) name,
which no other company's arrival can change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from slugify import slugify

FALLBACK = "company"
"""For a name with no letters or digits to slugify."""


@dataclass(frozen=True)
class Seen:
    key: str
    """The company's identity: its case-folded name."""
    name: str
    first: dt.date
    """The first day it was picked."""


def base(name: str) -> str:
    return slugify(name) or FALLBACK


def _hashed(slug: str, key: str, length: int) -> str:
    return f"{slug}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:length]}"


def assign(companies: Iterable[Seen]) -> dict[str, str]:
    """A slug for every company key. Within a group of names sharing a base slug, the earliest
    first seen (then the smallest key, for a tie) keeps it bare."""
    groups: dict[str, list[Seen]] = defaultdict(list)
    for seen in companies:
        groups[base(seen.name)].append(seen)
    out: dict[str, str] = {}
    taken = set(groups)
    for slug, group in sorted(groups.items()):
        group.sort(key=lambda s: (s.first, s.key))
        out[group[0].key] = slug
        for seen in group[1:]:
            length = 6
            while (candidate := _hashed(slug, seen.key, length)) in taken:
                length += 2  # a clash with another slug: astronomically rare, still stable
            taken.add(candidate)
            out[seen.key] = candidate
    return out
