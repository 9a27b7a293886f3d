"""One job, seen once: real employers behind aggregators, and one posting per job.

Aggregators (Lensa, Jobs via Dice, ...) post other companies' jobs under their own name; the
real employer is usually named in the text. The same job then arrives from several places (a
company board, LinkedIn, two aggregators); postings of one employer whose titles and places
match closely (rapidfuzz) are one job, and the most direct source wins: the company's own
board, then a job site, then an aggregator. Jobs already shown on another day are matched
the same way, so a job picked yesterday through LinkedIn is not picked today through
Greenhouse.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from generator.models import Job, Pick

AGGREGATORS = ("Lensa", "Jobs via Dice", "Dice", "ChatGPT Jobs", "myGwork")

# How aggregators name the employer in a posting's text. The name is a run of capitalised
# words (any Latin, Greek or Cyrillic capital: "Ørsted Digital", "Škoda Auto Digilab") that
# ends where the phrase goes on. Only postings whose poster is an aggregator are read this
# way, so a real employer's "on behalf of our customers" never moves a job.
_CAPITALS = "".join(c for c in map(chr, range(0x0530)) if c.isupper())
_WORD_START = f"[{_CAPITALS}0-9]"
# A word may hold dots ("U.S") but end in one only as the name's last ("Acme Inc."), so a
# name never runs on into the next sentence ("... for Mosaic HR. At Mosaic HR, ...").
_TAIL = r"[\w&'’\-]*(?:\.[\w&'’\-]+)*"
_NAME = (
    rf"(?P<name>{_WORD_START}{_TAIL}"
    rf"(?:[ ](?:{_WORD_START}|&){_TAIL}|[ ](?:of|de|du|der|für)(?=[ ]{_WORD_START})){{0,5}}\.?)"
)
_EMPLOYER_PATTERNS = [
    # Lensa: "Lensa partners with DirectEmployers to promote this job for Capital One."
    re.compile(rf"promote this job for {_NAME}\s*[.,;]"),
    # myGwork: "This job is with Citi, an inclusive employer and a member of myGwork"
    re.compile(rf"\bjob is with {_NAME},"),
    # "posted on behalf of Stripe.", "on behalf of our client, Initech,"
    re.compile(rf"\bon behalf of (?:our client,?\s+)?{_NAME}\s*[.,;]"),
    # Dice and staffing firms: "Our client, Ørsted Digital, is looking for ...",
    # "Our client Globex is hiring"
    re.compile(rf"\b[Oo]ur client,?\s+{_NAME},"),
    re.compile(rf"\b[Oo]ur client\s+{_NAME} (?:is|are|has|seeks)\b"),
    # "Zoox is looking for ...", "Acme is hiring via Lensa", at a sentence's start
    re.compile(
        rf"(?:^|[.!?]\s+){_NAME},? (?:is|are) (?:hiring|looking for|seeking|searching|recruiting)"
    ),
    re.compile(rf"\bJoin {_NAME} (?:as|in|and)\b"),
]
_NOT_EMPLOYERS = {
    "we",
    "our client",
    "the company",
    "the client",
    "this company",
    "a leading",
    "the team",
    "our team",
    "our",
    "us",
    "you",
    "dice",
    "lensa",
    "mygwork",
}
_LEGAL = re.compile(
    r"\b(inc|incorporated|llc|ltd|limited|gmbh|ag|sa|sas|bv|plc|corp|corporation|co|company"
    r"|group|holdings)\b\.?"
)
_GENDER = re.compile(r"\((?:[mwfdhnx]\s*/\s*)+[mwfdhnx]\)|\b[mwfdhn]/[mwfdhn](?:/[mwfdhnx])?\b")
_PUNCT = re.compile(r"[^\w\s]")


@dataclass(frozen=True)
class Deduped:
    jobs: list[Job]
    duplicates: int


def by_id(jobs: Iterable[Job]) -> Deduped:
    """One job per id, the first seen winning (sources are read in config order)."""
    unique: dict[str, Job] = {}
    duplicates = 0
    for job in jobs:
        if job.id in unique:
            duplicates += 1
        else:
            unique[job.id] = job
    return Deduped(list(unique.values()), duplicates)


def norm_company(name: str) -> str:
    text = _PUNCT.sub(" ", _LEGAL.sub(" ", name.casefold()))
    return " ".join(text.split())


def norm_title(title: str) -> str:
    text = _PUNCT.sub(" ", _GENDER.sub(" ", title.casefold()))
    return " ".join(text.split())


def norm_place(location: str) -> str:
    first = location.casefold().split(",")[0]
    if "remote" in first or "anywhere" in first:
        return "remote"
    return " ".join(_PUNCT.sub(" ", first).split())


@functools.lru_cache(maxsize=16)
def _aggregator_names(extra: tuple[str, ...]) -> frozenset[str]:
    return frozenset(norm_company(a) for a in (*AGGREGATORS, *extra))


def is_aggregator(company: str, extra: Iterable[str] = ()) -> bool:
    return norm_company(company) in _aggregator_names(tuple(extra))


def employer_in_text(text: str) -> str:
    """The employer an aggregator's posting names, or "" when it names none clearly."""
    head = text[:3000]
    for pattern in _EMPLOYER_PATTERNS:
        for match in pattern.finditer(head):
            name = match["name"].strip(" .,'’")
            if name.casefold() not in _NOT_EMPLOYERS and not is_aggregator(name) and len(name) > 1:
                return name
    return ""


def resolve_aggregators(jobs: Iterable[Job], extra: Sequence[str] = ()) -> tuple[list[Job], int]:
    """Jobs with aggregator posters moved to the real employer where the text names it.

    The aggregator stays as `poster`. Returns the jobs and how many were resolved.
    """
    out, resolved = [], 0
    for job in jobs:
        if job.poster or not is_aggregator(job.company, extra):
            out.append(job)
            continue
        employer = employer_in_text(job.description)
        if employer:
            resolved += 1
            out.append(dataclasses.replace(job, company=employer, poster=job.company))
        else:
            out.append(job)
    return out, resolved


def _rank(job: Job, extra: Sequence[str]) -> int:
    """Lower is more direct: company board, job site, aggregator."""
    if job.poster or is_aggregator(job.company, extra):
        return 2
    return 0 if job.origin == "board" else 1


@dataclass(frozen=True)
class _Key:
    company: str
    title: str
    place: str


def _key(company: str, title: str, location: str) -> _Key:
    return _Key(norm_company(company), norm_title(title), norm_place(location))


def _places_match(a: str, b: str) -> bool:
    """An unknown place matches any place."""
    return not a or not b or a == b


def _same(a: _Key, b: _Key, threshold: int) -> bool:
    if a.company != b.company or not _places_match(a.place, b.place):
        return False
    return fuzz.token_sort_ratio(a.title, b.title) >= threshold


@dataclass
class Collapsed:
    jobs: list[Job]
    merged: int


def collapse(jobs: Sequence[Job], *, threshold: int, aggregators: Sequence[str] = ()) -> Collapsed:
    """One posting per job: postings of one employer with matching titles and places are
    merged, keeping the most direct source (ties: the first seen).

    A posting with no place matches its employer's postings in any place, as `ShownJobs`
    does; when it comes first, later postings of that title anywhere merge into it. Titles
    are compared with rapidfuzz's batch matcher within each (employer, place) group, so a
    board of thousands of distinct titles stays fast.
    """
    titles: dict[tuple[str, str], list[str]] = defaultdict(list)
    owners: dict[tuple[str, str], list[int]] = defaultdict(list)
    places: dict[str, list[str]] = defaultdict(list)
    keep: list[Job | None] = list(jobs)
    merged = 0
    for index, job in enumerate(jobs):
        key = _key(job.company, job.title, job.location)
        best: tuple[float, int] | None = None
        for place in places[key.company]:
            if not _places_match(key.place, place):
                continue
            group = (key.company, place)
            match = process.extractOne(
                key.title, titles[group], scorer=fuzz.token_sort_ratio, score_cutoff=threshold
            )
            if match is not None and (best is None or match[1] > best[0]):
                best = (match[1], owners[group][match[2]])
        if best is None:
            group = (key.company, key.place)
            if not titles[group]:
                places[key.company].append(key.place)
            titles[group].append(key.title)
            owners[group].append(index)
            continue
        other = best[1]
        kept = keep[other]
        assert kept is not None
        merged += 1
        if _rank(job, aggregators) < _rank(kept, aggregators):
            keep[other] = job
        keep[index] = None
    return Collapsed([job for job in keep if job is not None], merged)


class ShownJobs:
    """Jobs on other days' pages, matched by id and by employer + title + place."""

    def __init__(self, picks: Iterable[Pick], threshold: int) -> None:
        self.threshold = threshold
        self.ids: set[str] = set()
        self._by_company: dict[str, list[_Key]] = defaultdict(list)
        for pick in picks:
            self.ids.add(pick.id)
            key = _key(pick.company, pick.title, pick.location)
            self._by_company[key.company].append(key)

    def __contains__(self, job: object) -> bool:
        if not isinstance(job, Job):
            return False
        if job.id in self.ids:
            return True
        key = _key(job.company, job.title, job.location)
        return any(_same(key, other, self.threshold) for other in self._by_company[key.company])
