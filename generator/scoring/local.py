"""The local scorer: deterministic keyword matching against the profile, no network.

Its reason names what matched and what is missing, so a reader can see why a job ranks where
it does. Points: title fit 40, must-have skills 30, nice-to-have skills 10, place 10,
seniority 10; avoided skills cost 10 each, avoided companies score 0.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.models import Job, Score
from generator.profile import Profile
from generator.text import first_sentences

_STOPWORDS = frozenset({"and", "or", "of", "the", "a", "an", "for", "in", "to", "with", "-", "&"})
_LEVEL_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("intern", ("intern", "internship", "co-op", "werkstudent", "trainee")),
    ("junior", ("junior", "jr", "graduate", "entry level", "entry-level", "new grad")),
    ("manager", ("manager", "head of", "director", "vp")),
    ("principal", ("principal",)),
    ("staff", ("staff",)),
    ("lead", ("lead", "tech lead")),
    ("senior", ("senior", "sr")),
)


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


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[\w+#]+", text.casefold()) if w not in _STOPWORDS}


def job_level(title: str) -> str:
    """The seniority a title asks for; "mid" when it names none."""
    tokens = re.findall(r"[\w+#-]+", title.casefold())
    folded = f" {' '.join(tokens)} "
    for level, markers in _LEVEL_WORDS:
        if any(f" {m} " in folded for m in markers):
            return level
    return "mid"


class LocalScorer:
    """Registered as "local"; the default when no API key is set."""

    name = "local"
    model = ""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self._titles = [(t, _words(t)) for t in profile.titles if _words(t)]
        self._must = _Terms(profile.must_have)
        self._nice = _Terms(profile.nice_to_have)
        self._avoid = _Terms(profile.avoid_skills)
        self._avoid_companies = {c.casefold() for c in profile.avoid_companies}
        self._places = [p for p in profile.locations if p.casefold() != "remote"]

    @property
    def can_score(self) -> bool:
        """Whether the profile names anything to match; without it every job scores alike."""
        return bool(self._titles or self._must.terms or self._nice.terms)

    def score(self, jobs: Sequence[Job]) -> list[Score]:
        return [self.score_one(job) for job in jobs]

    def report(self) -> str:
        return ""

    def score_one(self, job: Job) -> Score:
        summary = first_sentences(job.description) or job.title
        if job.company.casefold() in self._avoid_companies:
            return Score(job.id, 0, f"{job.company} is on the avoid list.", summary)
        text = f"{job.title}\n{job.description}"
        folded = text.casefold()
        matched: list[str] = []
        points = 0.0

        title_words = _words(job.title)
        best_title, best_fit = "", 0.0
        for title, words in self._titles:
            fit = len(words & title_words) / len(words)
            if fit > best_fit:
                best_title, best_fit = title, fit
        points += 40 * best_fit
        if best_fit >= 0.5:
            matched.append(f"{best_title} title" if best_fit == 1 else f"part of {best_title}")

        must = self._must.found(text, folded)
        missing = [t for t in self._must.terms if t not in must]
        if self._must.terms:
            points += 30 * len(must) / len(self._must.terms)
        else:
            points += 30
        nice = self._nice.found(text, folded)
        if self._nice.terms:
            points += 10 * min(1.0, len(nice) / max(1, len(self._nice.terms) / 2))
        matched += must + nice

        place, place_points = self._place(job)
        points += place_points
        if place:
            matched.append(place)

        level = job_level(job.title)
        if not self.profile.seniority or level in self.profile.seniority:
            points += 10
            if self.profile.seniority:
                matched.append(f"{level} level")
        else:
            points -= 15

        avoided = self._avoid.found(text, folded)
        points -= 10 * len(avoided)
        score = max(0, min(100, round(points)))

        reason = f"Matches {', '.join(matched)}" if matched else "Matches none of the profile"
        notes = []
        if missing:
            notes.append(f"missing {', '.join(missing)}")
        if level not in self.profile.seniority and self.profile.seniority:
            notes.append(f"{level} role")
        if place_points < 0:
            notes.append("not remote")
        if avoided:
            notes.append(f"mentions {', '.join(avoided)}")
        if notes:
            reason += f"; {'; '.join(notes)}"
        return Score(job.id, score, f"{reason}.", summary)

    def _place(self, job: Job) -> tuple[str, int]:
        """What about the job's place matched, and its points (negative: a hard mismatch)."""
        remote = bool(job.remote) or "remote" in f"{job.location} {job.title}".casefold()
        wanted = self.profile.remote
        if remote and wanted != "onsite":
            return "remote", 10
        if wanted == "required":
            return "", -20
        location = job.location.casefold()
        for place in self._places:
            if place.casefold() in location:
                return place, 10
        return "", 0
