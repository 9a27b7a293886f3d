"""One job, seen once: real employers behind aggregators, one posting per job, and a history
that stays true.

Aggregators (Lensa, Jobs via Dice, ...) post other companies' jobs under their own name; the
real employer is usually named in the text. The same job then arrives from several places (a
company board, LinkedIn, two aggregators): postings of one employer, place and title with
near-identical text (`fingerprint.py`) are one job, and the most direct source wins: the
company's own board, then a job site, then an aggregator. A title and a city alone are not
enough, because a busy employer has many "Software Engineer" jobs in one city.

Jobs shown on other days are matched the same way, so a job picked yesterday through
LinkedIn is not picked today through Greenhouse; but only while that pick is open and recent
(`dedupe.shown_days`). After that a new posting of the job is picked on its merits and
carries when it was first seen and how often it came back (`with_history`).

Speed: postings are grouped by employer and place, and each group's distinct titles are
compared in rapidfuzz's batch matcher; a posting's fingerprint (about 0.3 ms for 400 words)
is computed only when a title matches, once per run. Only open, recent picks are matched for
"already shown"; all picks only for the day's picks, to find reposts. `bench/history.py`
measures both at three years of picks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process

from generator import pages
from generator.fingerprint import MAX_DISTANCE, fingerprint
from generator.models import WORK_MODES, Job, Pick

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


T = TypeVar("T")

_ABBREVIATIONS = {"sr": "senior", "snr": "senior", "jr": "junior", "mgr": "manager"}
_WORK_MODES = frozenset(WORK_MODES)


def title_key(title: str, location: str = "") -> str:
    """A title as the matching rules compare it: normalised, "Sr" spelled out, the posting's
    own place and work mode left out ("Sr. Data Engineer - Berlin (m/w/d)" at "Berlin,
    Germany" is "data engineer senior"), its words sorted."""
    words = [_ABBREVIATIONS.get(word, word) for word in norm_title(title).split()]
    noise = _WORK_MODES | set(norm_title(location).split())
    kept = [word for word in words if word not in noise] or words
    return " ".join(sorted(kept))


class _Side:
    """One side of a comparison, a posting or an earlier pick; a posting's fingerprint is
    computed only when a comparison gets that far."""

    __slots__ = ("_bits", "_text", "company", "place", "title", "words")

    def __init__(self, company: str, title: str, location: str, *, text: str = "") -> None:
        self.company = norm_company(company)
        self.title = title_key(title, location)
        self.words = self.title.count(" ")
        self.place = norm_place(location)
        self._text = text
        self._bits: int | None = _UNSET

    @classmethod
    def of_job(cls, job: Job) -> _Side:
        return cls(job.company, job.title, job.location, text=own_text(job))

    @classmethod
    def of_pick(cls, pick: Pick) -> _Side:
        side = cls(pick.company, pick.title, pick.location)
        side._bits = int(pick.fingerprint, 16) if pick.fingerprint else None
        return side

    @property
    def bits(self) -> int | None:
        """The fingerprint as a number, None when the text is unknown or too short."""
        if self._bits == _UNSET:
            known = _fingerprint(self._text)
            self._bits = int(known, 16) if known else None
        return self._bits


_UNSET = -1
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def own_text(job: Job) -> str:
    """The posting's text without an aggregator's own sentences ("Lensa is a career site
    ...", "Apply via Dice today!"), so its copy of a job reads like the employer's."""
    if not job.poster:
        return job.description
    names = _aggregator_names((job.poster,))
    return " ".join(
        sentence
        for sentence in _SENTENCE.split(job.description)
        if not any(name in norm_company(sentence) for name in names)
    )


@functools.lru_cache(maxsize=1 << 16)
def _fingerprint(text: str) -> str:
    """One computation per text in a run: the collapse, the shown-before matching and the
    picks ask for the same postings' fingerprints."""
    return fingerprint(text)


def _places_match(a: str, b: str) -> bool:
    """An unknown place matches any place."""
    return not a or not b or a == b


class _Index(Generic[T]):
    """Postings or picks by employer, place and title, matched by the rule of one job.

    Two postings are one job only on evidence stronger than a title and a city: the same
    employer and place (an unknown place matches any), the same title, and near-identical
    text (`fingerprint.near_identical`). Titles are the same when their keys (`title_key`)
    are equal, or have as many words and are `threshold` alike (spelling variants): a title
    with a word more ("..., Risk") is another job. Where either text is unknown (a pick
    from before fingerprints, a feed without descriptions) the keys must be equal.

    Distinct titles are compared in rapidfuzz's batch matcher (C); texts only for titles
    that match, as integers (one XOR and a bit count).
    """

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self._places: dict[str, list[str]] = defaultdict(list)
        self._titles: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._entries: dict[tuple[str, str, str], list[tuple[int, _Side, T]]] = {}
        self._added = 0

    def add(self, side: _Side, item: T) -> None:
        key = (side.company, side.place, side.title)
        if key not in self._entries:
            titles = self._titles[side.company, side.place]
            if not titles:
                self._places[side.company].append(side.place)
            titles.append(side.title)
            self._entries[key] = []
        self._entries[key].append((self._added, side, item))
        self._added += 1

    def matches(self, side: _Side) -> list[T]:
        """Items of the same job as `side`, the closest title first (ties: the first added)."""
        found: list[tuple[float, int, T]] = []
        for place in self._places.get(side.company, ()):
            if not _places_match(side.place, place):
                continue
            hits = process.extract(
                side.title,
                self._titles[side.company, place],
                scorer=fuzz.ratio,
                score_cutoff=self.threshold,
                limit=None,
            )
            for title, score, _position in hits:
                exact = title == side.title
                if not exact and title.count(" ") != side.words:
                    continue
                for order, other, item in self._entries[side.company, place, title]:
                    mine, theirs = side.bits, other.bits
                    if mine is None or theirs is None:
                        if not exact:
                            continue
                    elif (mine ^ theirs).bit_count() > MAX_DISTANCE:
                        continue
                    found.append((-score, order, item))
        found.sort(key=lambda entry: entry[:2])
        return [item for _score, _order, item in found]


@dataclass
class Collapsed:
    jobs: list[Job]
    merged: int


def collapse(jobs: Sequence[Job], *, threshold: int, aggregators: Sequence[str] = ()) -> Collapsed:
    """One posting per job (the rule in `_Index`): postings of one job are merged, keeping
    the most direct source (ties: the first seen).

    A posting with no place matches its employer's postings in any place; when it comes
    first, later postings of that job anywhere merge into it.
    """
    index: _Index[int] = _Index(threshold)
    keep: list[Job | None] = list(jobs)
    merged = 0
    for position, job in enumerate(jobs):
        side = _Side.of_job(job)
        found = index.matches(side)
        if not found:
            index.add(side, position)
            continue
        other = found[0]
        kept = keep[other]
        assert kept is not None
        merged += 1
        if _rank(job, aggregators) < _rank(kept, aggregators):
            keep[other] = job
        keep[position] = None
    return Collapsed([job for job in keep if job is not None], merged)


@dataclass(frozen=True)
class Shown:
    """A pick on another day's page."""

    date: dt.date
    pick: Pick


class ShownJobs:
    """Jobs on other days' pages, and which of them still hide a posting of the same job.

    A posting is already shown when it has the id of any pick on another day (the same
    posting, however old), or is the same job (the rule in `_Index`) as a pick that is still
    open and at most `window_days` old. A closed or older pick hides nothing under a new URL: such a
    posting is picked on its merits, and `earlier` finds the picks it reposts.
    """

    def __init__(
        self, shown: Iterable[Shown], *, today: dt.date, window_days: int, threshold: int
    ) -> None:
        self.today = today
        self.ids: set[str] = set()
        self._active: _Index[Shown] = _Index(threshold)
        self._all: _Index[Shown] = _Index(threshold)
        oldest = today - dt.timedelta(days=window_days)
        for item in shown:
            pick = item.pick
            if not pick.id.startswith("job:"):  # a digest of company, title and place
                self.ids.add(pick.id)
            side = _Side.of_pick(pick)
            self._all.add(side, item)
            if pick.closed is None and item.date >= oldest:
                self._active.add(side, item)

    @classmethod
    def from_pages(
        cls, picks_dir: Path, *, today: dt.date, window_days: int, threshold: int
    ) -> ShownJobs:
        """The picks of every page but `today`'s, the single source of truth: deleting or
        editing a page is all it takes to change what counts as shown."""
        shown = (
            Shown(day.date, pick)
            for path in pages.iter_page_paths(picks_dir)
            if pages.page_date(path) != today
            for day in (pages.read(path),)
            for pick in day.picks
        )
        return cls(shown, today=today, window_days=window_days, threshold=threshold)

    @classmethod
    def for_good(cls, picks: Iterable[Pick], *, threshold: int) -> ShownJobs:
        """Picks that hide their job whatever their age or state: the reader's verdict that
        they applied or do not want it holds for every repost."""
        shown = [Shown(dt.date.max, pick.model_copy(update={"closed": None})) for pick in picks]
        return cls(shown, today=dt.date.max, window_days=0, threshold=threshold)

    def __contains__(self, job: object) -> bool:
        if not isinstance(job, Job):
            return False
        return job.id in self.ids or bool(self._active.matches(_Side.of_job(job)))

    def earlier(self, job: Job) -> list[Shown]:
        """Picks before today of the same job by its text (a title alone is not enough to
        tell a reader a job was reposted), the closest first."""
        side = _Side.of_job(job)
        if side.bits is None:
            return []
        return [
            item
            for item in self._all.matches(side)
            if item.date < self.today and item.pick.fingerprint
        ]


def with_history(picks: Iterable[Pick], jobs: Iterable[Job], shown: ShownJobs) -> list[Pick]:
    """Picks carrying their text's fingerprint (the evidence later days match on) and, for a
    repost of an earlier pick, the day the job was first seen and how many times it has come
    back under a new URL, this time included."""
    by_id = {job.id: job for job in jobs}
    out = []
    for pick in picks:
        job = by_id.get(pick.id)
        if job is None:
            out.append(pick)
            continue
        update: dict[str, object] = {"fingerprint": _fingerprint(own_text(job))}
        earlier = shown.earlier(job)
        if earlier:
            update["first_seen"] = min(e.pick.first_seen or e.date for e in earlier)
            update["reposts"] = max(len(earlier), 1 + max(e.pick.reposts for e in earlier))
        out.append(pick.model_copy(update=update))
    return out
