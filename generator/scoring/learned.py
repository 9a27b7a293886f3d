"""What the local scorer learns from the reader's verdicts: the nearest labelled examples.

Every judged pick is an example with a label: dismissed 0, saved 85, liked and applied 100.
A new posting's score moves toward the labels of the examples most like it, as far as the
closest one is alike:

    score = profile score + pull * s_max * (weighted mean label - profile score)

over the `K` most similar examples with similarity at least `FLOOR`; `pull` is 0.9 down and
0.3 up, since "Not for me" is a veto and a like a nudge. What "alike" means follows what the
verdict was about: the title and opening lines (TF-IDF cosine, title words counting double,
so words every posting has count for little) for liked, saved and applied marks and for "Not
for me" with no reason or for skills, pay or other; the place for reason place (a city, or a
remote job's region: being remote is not a place); the level for reason level; the employer
for reason company. A liked, saved or applied pick also lifts its employer's other postings a
little. So one "Not for me: Data Engineer" pulls every data engineering posting down, at any
employer, and leaves the same employer's backend postings alone. `bench/feedback.py` measures
it; the constants were chosen there.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from generator.dedupe import norm_company, norm_place
from generator.feedback import Example
from generator.models import Job
from generator.text import first_sentences

LABELS = {"dismissed": 0.0, "saved": 85.0, "liked": 100.0, "applied": 100.0}
K = 5
FLOOR = 0.35
PULL_DOWN = 0.9
PULL_UP = 0.3
"""A "Not for me" is a veto, a like a nudge: postings like a dismissed one fall further than
postings like a liked one rise."""
SAME_PLACE = 0.6
"""How alike a posting is to one dismissed for its place when it is in the same place: the
place is a reason, not the whole job."""
SAME_LEVEL = 0.6
SAME_EMPLOYER = 0.4
"""How alike a posting is to a liked, saved or applied one at the same employer."""
TITLE_WEIGHT = 2
COMMON = 0.5
"""Words in more than this share of the postings are left out of the comparison."""
MIN_DOCUMENTS = 20
MAX_TERMS = 8
"""Words per posting compared: its title's and its rarest others (keeps 10,000 postings fast)."""

# fmt: off
_NOT_A_PLACE = frozenset({
    "remote", "anywhere", "worldwide", "world", "global", "globally", "fully", "100", "first",
    "friendly", "only", "work", "from", "home", "wfh", "in", "the", "or", "and", "ok", "based",
})
"""Words of a remote location that say how remote it is, not where."""
# fmt: on

Words = Callable[[str], set[str]]
Level = Callable[[str, str | None], str | None]
"""A posting's level from its title and the source's stated level; None when neither states
one."""


@dataclass(frozen=True)
class _Labelled:
    example: Example
    label: float
    about: str
    order: int
    """Its place among the examples (date order): ties go to the earlier one."""


Matched = Literal["title", "place", "level", "company", "employer"]
"""How a posting met an example: alike in title and opening lines, or sharing the place, level
or employer a "Not for me" names, or the employer of a liked, saved or applied pick."""


@dataclass(frozen=True)
class Nearest:
    """The example that moved a score most, and how the posting met it (for its reason)."""

    example: Example
    by: Matched


class Neighbours:
    """The reader's examples, indexed for scoring a day's postings against them."""

    def __init__(self, examples: Sequence[Example], words: Words, level: Level) -> None:
        self._words = words
        self._level = level
        usable = [e for e in examples if _usable(e, level)]
        self.labelled = [
            _Labelled(e, LABELS[e.mark.verdict], _about(e), n) for n, e in enumerate(usable)
        ]
        self._by_key: dict[tuple[str, str], list[_Labelled]] = defaultdict(list)
        self._texts: list[tuple[_Labelled, Counter[str]]] = []
        for item in self.labelled:
            pick = item.example.pick
            if item.about == "place":
                self._by_key["place", place_key(pick.location)].append(item)
            elif item.about == "level":
                self._by_key["level", level(pick.title, pick.level) or ""].append(item)
            elif item.about == "company":
                self._by_key["company", norm_company(pick.company)].append(item)
            else:
                self._texts.append((item, self._terms(pick.title, pick.summary)))
                if item.label > 0:
                    self._by_key["employer", norm_company(pick.company)].append(item)
        self.fit([])

    def _terms(self, title: str, text: str) -> Counter[str]:
        """A posting's words: the title's count `TITLE_WEIGHT` times, its opening lines once."""
        terms = Counter(self._words(text))
        for word in self._words(title):
            terms[word] += TITLE_WEIGHT
        return terms

    def _job_terms(self, job: Job) -> Counter[str]:
        # The opening lines, as a pick's summary holds them.
        return self._terms(job.title, first_sentences(job.description))

    def fit(self, jobs: Iterable[Job]) -> None:
        """Word weights from the postings about to be scored and the examples: a word most
        postings have says nothing about which examples a posting is like."""
        self._job_cache = {job.id: self._job_terms(job) for job in jobs}
        documents = [terms.keys() for terms in self._job_cache.values()]
        documents += [terms.keys() for _, terms in self._texts]
        frequency: Counter[str] = Counter(word for doc in documents for word in doc)
        total = len(documents)
        self._idf = {w: math.log((1 + total) / (1 + n)) + 1 for w, n in frequency.items()}
        self._dropped = (
            {w for w, n in frequency.items() if n > COMMON * total}
            if total >= MIN_DOCUMENTS
            else set()
        )
        self._default_idf = math.log(1 + total) + 1
        self._index: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for number, (_, terms) in enumerate(self._texts):
            for word, weight in self._vector(terms).items():
                self._index[word].append((number, weight))

    def _vector(self, terms: Counter[str]) -> dict[str, float]:
        """TF-IDF weights of the `MAX_TERMS` words that say most, to unit length."""
        weights = {
            w: n * self._idf.get(w, self._default_idf)
            for w, n in sorted(terms.items())
            if w not in self._dropped
        }
        if len(weights) > MAX_TERMS:
            weights = dict(
                heapq.nlargest(MAX_TERMS, weights.items(), key=lambda kv: (kv[1], kv[0]))
            )
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        return {w: v / norm for w, v in weights.items()}

    def _text_matches(self, job: Job) -> list[tuple[float, _Labelled, Matched]]:
        dots: dict[int, float] = defaultdict(float)
        terms = self._job_cache.get(job.id) or self._job_terms(job)
        for word, weight in self._vector(terms).items():
            for number, other in self._index.get(word, ()):
                dots[number] += weight * other
        return [(s, self._texts[n][0], "title") for n, s in dots.items() if s >= FLOOR]

    def nearest(self, job: Job) -> list[tuple[float, _Labelled, Matched]]:
        """The `K` most similar examples, most similar first, each with how it matched."""
        found = self._text_matches(job)
        keyed: tuple[tuple[float, Matched, str], ...] = (
            (SAME_PLACE, "place", place_key(job.location)),
            (SAME_LEVEL, "level", self._level(job.title, job.level) or ""),
            (1.0, "company", norm_company(job.company)),
            (SAME_EMPLOYER, "employer", norm_company(job.company)),
        )
        seen = {id(item) for _, item, _ in found}
        for similarity, by, value in keyed:
            if value and similarity:
                found += [
                    (similarity, item, by)
                    for item in self._by_key.get((by, value), ())
                    if id(item) not in seen
                ]
        return heapq.nlargest(K, found, key=lambda match: (match[0], -match[1].order))

    def adjust(self, job: Job, score: float) -> tuple[float, Nearest | None]:
        """The score moved toward the nearest examples' labels, and the nearest example."""
        near = self.nearest(job)
        if not near:
            return score, None
        weight = sum(s for s, _, _ in near)
        target = sum(s * item.label for s, item, _ in near) / weight
        pull = PULL_DOWN if target < score else PULL_UP
        similarity, item, by = near[0]
        return score + pull * similarity * (target - score), Nearest(item.example, by)


def place_key(location: str) -> str:
    """The place a "Not for me (place)" names, and postings are compared by: a city as
    `dedupe.norm_place` reads it, or a remote job's region ("remote us", "remote europe").
    "" for remote with no region ("Remote", "Anywhere in the World"): being remote is no
    place to avoid, and keyed by it one verdict pulled down every remote posting."""
    place = norm_place(location)
    if place != "remote":
        return place
    region = [w for w in re.findall(r"\w+", location.casefold()) if w not in _NOT_A_PLACE]
    return " ".join(["remote", *region]) if region else ""


def _about(example: Example) -> str:
    """What the verdict judged: the title, or the place, level or employer it names."""
    reason = example.mark.reason
    if example.mark.verdict == "dismissed" and reason in ("place", "level", "company"):
        return reason
    return "title"


def _usable(example: Example, level: Level) -> bool:
    """Whether the example says something to compare by. A "Not for me" for its level on a
    pick that states none is not: keyed by an unknown level it would pull down every posting
    that states none, most of a day. Nor is one for its place on a pick open anywhere
    (`place_key`)."""
    pick = example.pick
    about = _about(example)
    if about == "place":
        return bool(place_key(pick.location))
    if about == "level":
        return bool(level(pick.title, pick.level))
    if about == "company":
        return bool(norm_company(pick.company))
    return bool(pick.title)
