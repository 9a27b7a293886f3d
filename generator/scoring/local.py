"""The local scorer: deterministic keyword matching against the profile, no network.

Points, out of 100: title fit 35 (without titles, the share of the skills named), must-have
skills 25, nice-to-have skills 15, place 10, seniority 15 (a level never stated fits); avoided
skills cost 10 each, avoided companies score 0. Fit is graded, not all-or-nothing (a title
that shares most words, a level next to the wanted one), so postings spread out instead of
tying. The reason says what the pick's card does not: the must-haves it lacks, skills to
avoid, a place or level that does not fit, the extra skills it names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from generator.facts import is_remote, level_from_title
from generator.models import LEVEL_RANK, WORK_MODES, Job, Level, Score, level_named
from generator.profile import Profile
from generator.text import first_sentences, fold_key

if TYPE_CHECKING:
    from generator.feedback import Example
    from generator.scoring.learned import Nearest, Neighbours

_STOPWORDS = frozenset({"and", "or", "of", "the", "a", "an", "for", "in", "to", "with", "-", "&"})
_TITLE_LEVELS: tuple[tuple[Level, tuple[str, ...]], ...] = (
    ("intern", ("intern", "internship", "co-op", "werkstudent", "trainee")),
    ("junior", ("junior", "jr", "graduate", "entry level", "entry-level", "new grad")),
    ("manager", ("head of", "director", "vp")),
    ("staff+", ("principal", "staff", "lead", "tech lead")),
    ("senior", ("senior", "sr")),
)
"""Title words for the levels of `models.LEVELS`, first match wins: the guess where
`facts.level_from_title`, which labels a card and must be sure, names none (a guess here only
moves a score). Not a bare "manager": a marketing, product or account manager is a role at any
level; the people managers ("Engineering Manager") are the card's."""
TITLE_POINTS, MUST_POINTS, NICE_POINTS, PLACE_POINTS, LEVEL_POINTS = 35, 25, 15, 10, 15
NOTABLE_MOVE = 5
"""Points a verdict must move a score by before the reason names it."""
_SAID = {
    "dismissed": "marked Not for me",
    "liked": "liked",
    "saved": "saved",
    "applied": "applied to",
}


_MATCHED = {
    "title": "like",
    "place": "in the same place as",
    "level": "at the same level as",
    "company": "at the same employer as",
    "employer": "at the same employer as",
}
"""How a posting met the example that moved its score, as its reason says it."""


def _learned_reason(near: Nearest) -> str:
    """Which verdict moved a score and why: "like X at Acme, which you marked Not for me", or
    for a place, level or employer alone, that ("in the same place as X at Acme, which you
    marked Not for me (place)"), so an unrelated title does not read as a likeness."""
    pick, mark = near.example.pick, near.example.mark
    said = _SAID[mark.verdict]
    why = f" ({mark.reason})" if near.by in ("place", "level", "company") else ""
    return f"{_MATCHED[near.by]} {pick.title} at {pick.company}, which you {said}{why}"


class _Terms:
    """Profile terms matched on word boundaries.

    Short terms such as "Go" or "R" only count when written as the profile writes them;
    longer ones ignore case. A substring test first keeps the regex off most texts.
    """

    def __init__(self, terms: Sequence[str]) -> None:
        self.terms = [t.strip() for t in terms if t.strip()]
        self._checks: list[tuple[str, bool, re.Pattern[str]]] = []
        for term in self.terms:
            exact = len(term) <= 3
            flags = 0 if exact else re.IGNORECASE
            pattern = re.compile(rf"(?<![\w+#]){re.escape(term)}(?![\w+#])", flags)
            self._checks.append((term if exact else term.casefold(), exact, pattern))

    def found(self, text: str, folded: str) -> list[str]:
        """The terms in `text`; `folded` is `text.casefold()`, computed once per job."""
        return [
            term
            for term, (needle, exact, pattern) in zip(self.terms, self._checks, strict=True)
            if needle in (text if exact else folded) and pattern.search(text)
        ]


def _stem(word: str) -> str:
    """A crude stem, so "Engineering" meets "Engineer" and "Science" meets "Scientist"."""
    return word[:5] if len(word) > 5 else word


def _words(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[\w+#]+", text.casefold()) if w not in _STOPWORDS}


_LEVEL_STEMS = frozenset(
    _stem(word) for _, markers in _TITLE_LEVELS for marker in markers for word in marker.split()
)


def job_level(title: str) -> Level | None:
    """The seniority a title asks for; None when it names none: a title without a level word
    says nothing about the level, so it is not read as "mid". The card's level where it names
    one, so a score never holds against a posting a level its card does not show."""
    card = level_from_title(title)
    if card is not None:
        return card
    tokens = re.findall(r"[\w+#-]+", title.casefold())
    folded = f" {' '.join(tokens)} "
    for level, markers in _TITLE_LEVELS:
        if any(f" {m} " in folded for m in markers):
            return level
    return None


def posting_level(title: str, stated: str | None) -> str | None:
    """The level a posting asks for (a `models.Level`): the source's field, else the title's
    words; None when neither states one."""
    return stated or job_level(title)


def _title_words(title: str) -> set[str]:
    """A title's words without its level: what kind of work it is."""
    return _words(title) - _LEVEL_STEMS


def _listing(terms: Sequence[str]) -> str:
    if len(terms) <= 2:
        return " and ".join(terms)
    return f"{', '.join(terms[:-1])} and {terms[-1]}"


def _all_of(must: Sequence[str]) -> str:
    """Every must-have named, as a reader would say it: "has Go", "both must-haves", "all 3
    must-haves"."""
    if len(must) == 1:
        return f"has {must[0]}"
    return "both must-haves" if len(must) == 2 else f"all {len(must)} must-haves"


class LocalScorer:
    """Registered as "local"; the default when no API key is set."""

    name = "local"
    model = ""
    fallback = ""
    """Never set: the local scorer is what others fall back on."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self._neighbours: Neighbours | None = None
        self._titles = [(t, _words(t)) for t in profile.titles if _words(t)]
        self._must = _Terms(profile.must_have)
        self._nice = _Terms(profile.nice_to_have)
        self._avoid = _Terms(profile.avoid_skills)
        self._avoid_companies = {fold_key(c) for c in profile.avoid_companies}
        self._places = _Terms([fold_key(p) for p in profile.locations if p.casefold() != "remote"])
        self._wanted = {w for w in map(level_named, profile.seniority) if w is not None}
        if self._wanted:  # a level the reader's own titles name is one they look for
            self._wanted |= {w for w in map(job_level, profile.titles) if w is not None}

    @property
    def can_score(self) -> bool:
        """Whether the profile names anything to match; without it every job scores alike."""
        return bool(self._titles or self._must.terms or self._nice.terms)

    def learn(self, examples: Sequence[Example]) -> int:
        """Score like the reader judged: postings like the picks they dismissed lower, like
        those they liked, saved or applied to higher (`scoring/learned.py`). Returns how
        many verdicts the scores use."""
        from generator.scoring.learned import Neighbours  # it needs this module's words

        self._neighbours = Neighbours(examples, _title_words, posting_level) if examples else None
        return len(self._neighbours.labelled) if self._neighbours else 0

    def score(self, jobs: Sequence[Job]) -> list[Score]:
        if self._neighbours is not None:
            self._neighbours.fit(jobs)
        return [self.score_one(job) for job in jobs]

    def report(self) -> str:
        return ""

    def usage_record(self) -> None:
        """No model, no cost."""
        return None

    def score_one(self, job: Job) -> Score:
        summary = first_sentences(job.description) or job.title
        if fold_key(job.company) in self._avoid_companies:
            return Score(job.id, 0, f"{job.company} is on the avoid list.", summary)
        text = f"{job.title}\n{job.description}"
        folded = text.casefold()

        best_title, title_fit = self._title_fit(job.title)
        must = self._must.found(text, folded)
        missing = [t for t in self._must.terms if t not in must]
        nice = self._nice.found(text, folded)
        place, place_points = self._place(job)
        level, level_fit = self._level(job)
        avoided = self._avoid.found(text, folded)

        must_share = len(must) / len(self._must.terms) if self._must.terms else 1.0
        nice_share = min(1.0, len(nice) / max(1, len(self._nice.terms) / 2))
        if not self._titles:
            title_fit = self._skill_share(must_share, nice_share)
        points = TITLE_POINTS * title_fit + MUST_POINTS * must_share
        if self._nice.terms:
            points += NICE_POINTS * nice_share
        points += place_points + LEVEL_POINTS * level_fit - 10 * len(avoided)
        if level_fit == 0:
            points -= 10
        score = max(0, min(100, round(points)))
        learned = ""
        if self._neighbours is not None:
            moved, near = self._neighbours.adjust(job, score)
            if near is not None and abs(round(moved) - score) >= NOTABLE_MOVE:
                learned = _learned_reason(near)
            score = max(0, min(100, round(moved)))
        reason = self._reason(
            job,
            best_title,
            title_fit,
            must,
            missing,
            nice,
            (place, place_points),
            (level, level_fit),
            avoided,
        )
        if learned:
            reason = f"{learned[0].upper()}{learned[1:]}; {reason[0].lower()}{reason[1:]}"
        return Score(job.id, score, reason, summary)

    def _skill_share(self, must_share: float, nice_share: float) -> float:
        """What stands in for title fit when the profile names no titles: how much of its
        skills the posting names, weighted as their points are. Full title points for free
        would put every posting that lacks every must-have at the default bar."""
        parts = [(MUST_POINTS, must_share)] if self._must.terms else []
        parts += [(NICE_POINTS, nice_share)] if self._nice.terms else []
        if not parts:  # cannot happen while `can_score`; then nothing tells postings apart
            return 1.0
        return sum(weight * share for weight, share in parts) / sum(w for w, _ in parts)

    def _title_fit(self, title: str) -> tuple[str, float]:
        """The closest profile title and how close, 0-1: shared words, then spelling."""
        words = _words(title)
        best, fit = "", 0.0
        for wanted, wanted_words in self._titles:
            shared = len(wanted_words & words) / len(wanted_words)
            similar = fuzz.token_set_ratio(wanted.casefold(), title.casefold()) / 100
            value = 0.75 * shared + 0.25 * similar
            if value > fit:
                best, fit = wanted, value
        return best, fit

    def _level(self, job: Job) -> tuple[Level | None, float]:
        """The posting's level (the source's field, else the title's words) and its fit, 0-1:
        1 for a wanted level (the profile's seniority, and any its titles name), 0.5 for one
        next to it, 0 further away. A posting that states no level is not held against: it
        fits, and its level stays unknown (None)."""
        level = job.level or job_level(job.title)
        wanted = self._wanted
        if level is None or not wanted or level in wanted:
            return level, 1.0
        distance = min(abs(LEVEL_RANK[level] - LEVEL_RANK[w]) for w in wanted)
        return level, 0.5 if distance == 1 else 0.0

    def _place(self, job: Job) -> tuple[str, int]:
        """What about the job's place fits, and its points (negative: a hard mismatch)."""
        remote = is_remote(job)
        wanted = self.profile.remote
        where = job.location.strip()
        if remote and wanted != "onsite":
            if not where or "remote" in where.casefold():
                return where or "remote", PLACE_POINTS
            return f"remote, {where}", PLACE_POINTS
        if self._places.found(place := fold_key(job.location), place):
            stated = job.work_mode if job.work_mode != "remote" else None
            mode = f"{WORK_MODES[stated].lower()} " if stated else ""
            if wanted == "required":
                return f"{mode}in {where}, not remote", -PLACE_POINTS
            return f"{mode}in {where}", PLACE_POINTS
        if wanted == "required":
            return "", -20
        return "", 0

    def _reason(
        self,
        job: Job,
        best_title: str,
        title_fit: float,
        must: list[str],
        missing: list[str],
        nice: list[str],
        where: tuple[str, int],
        seniority: tuple[Level | None, float],
        avoided: list[str],
    ) -> str:
        """One sentence on what only the reason can say: a card shows it on one line, cut at
        the end, under the title, company, place and level. So its concerns come first (a
        missing must-have, a skill you avoid, a place or level that does not fit), then the
        extra skills and how the title fits; a matching title, place or level, which the
        card already shows, only when there is nothing else to say."""
        place, place_points = where  # what fits about the place, and its points
        level, level_fit = seniority
        concerns: list[str] = []
        if missing:
            concerns.append(f"lacks {_listing(missing)}")
        if avoided:
            concerns.append(f"mentions {_listing(avoided)}, which you avoid")
        if place and place_points < 0:
            concerns.append(place)
        elif not place and self.profile.remote == "required":
            concerns.append(f"not remote ({job.location or 'place not given'})")
        elif not place and job.location:
            concerns.append(f"in {job.location}, not a place you named")
        level_text = ""
        if self.profile.seniority and level is not None:
            level_text = f"{level} level" + {1.0: "", 0.5: ", one step from what you want"}.get(
                level_fit, ", not wanted"
            )
            if level_fit < 1.0:
                concerns.append(level_text)
        skills = [_all_of(must)] if must and not missing else []
        if nice:
            skills.append(f"plus {_listing(nice)}")
        parts = concerns + ([", ".join(skills)] if skills else [])
        if best_title and 0.5 <= title_fit < 0.95:
            parts.append(f"close to {best_title}")
        elif self._titles and title_fit < 0.5:
            parts.append("title unlike your targets")
        if not parts:
            fits = [
                f"{best_title} role" if best_title else "",
                place if place_points > 0 else "",
                level_text,
            ]
            parts = [fit for fit in fits if fit]
        sentence = "; ".join(parts) if parts else "Matches none of the profile"
        return sentence[0].upper() + sentence[1:] + "."
