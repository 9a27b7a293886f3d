"""Stage 3: from scored jobs to the day's picks.

Highest score first; equal scores by the local scorer's score (when a model scored), then
the posting date, company and title, so the same inputs always give the same page. Jobs
already shown on another day never come back; no company takes more than its share. A model
scorer describes the picks (reason, summary, the employer behind an aggregator) as they are
chosen, so only the day's picks cost a second call; the employer it names is taken only for
an aggregator's posting and only when it looks like a company's name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from generator.config import SelectionConfig
from generator.dedupe import is_aggregator
from generator.models import Job, Pick, Score
from generator.text import clean_text

Describe = Callable[[Sequence[tuple[Job, Score]]], list[Score]]
"""Gives scores their details for the pairs given, in order (`LLMScorer.describe`)."""

EMPLOYER_MAX_CHARS = 60
EMPLOYER_MAX_WORDS = 8
_EMPLOYER = re.compile(r"^\w[\w .,&'’()+/:-]*$")
_NO_NAME_WORDS = """
    not no non un specified unspecified mentioned unmentioned disclosed undisclosed stated
    unstated given provided known unknown named unnamed listed unlisted available applicable
    revealed identified unidentified confidential anonymous stealth various multiple several
    hidden withheld private redacted none null nil na n tbd tba tbc
    the a an our their client clients company companies employer employers startup mode name
    firm organisation organization in this posting job ad listing hiring end direct recruiter
    agency spécifié précisé communiqué confidentiel nicht angegeben genannt unbekannt
    vertraulich especificado confidencial desconocido
"""
_NOT_A_NAME = frozenset(_NO_NAME_WORDS.split())
"""The words a model fills the employer with when the posting names none ("Not specified",
"Undisclosed", "Stealth startup", "N/A", "Various employers"): a name made of them alone is
no name."""


def _rank_key(item: tuple[Job, Score]) -> tuple[int, float, int, str, str, str]:
    job, score = item
    posted = -(job.posted or dt.date.min).toordinal()
    return (
        -score.score,
        -score.tiebreak,
        posted,
        job.company.casefold(),
        job.title.casefold(),
        job.id,
    )


def plausible_employer(name: str, job: Job, aggregators: Sequence[str] = ()) -> str:
    """The model's employer for `job` when it may replace the company, else "".

    Only a known aggregator's posting that deduplication did not already resolve, and only a
    name a company could have: short, of letters, digits and ordinary punctuation, not the
    aggregator or another aggregator, and not the model saying there is none ("Not
    specified"). Anything else is text the model (or a posting that steered it) wrote, not a
    fact it was asked for.
    """
    if job.poster or not is_aggregator(job.company, aggregators):
        return ""
    name = clean_text(name).strip(" .,;:")
    if not (2 <= len(name) <= EMPLOYER_MAX_CHARS) or len(name.split()) > EMPLOYER_MAX_WORDS:
        return ""
    if not _EMPLOYER.match(name) or not re.search(r"[^\W\d_]", name):
        return ""
    folded = name.casefold()
    said = re.sub(r"\(.*?\)", " ", folded)  # "Not specified (Lensa)" says no name either
    if all(word in _NOT_A_NAME for word in re.findall(r"[^\W_]+", said)):
        return ""
    if "http" in folded or "www." in folded:
        return ""
    if folded == job.company.casefold() or is_aggregator(name, aggregators):
        return ""
    return name


def select(
    jobs: Sequence[Job],
    scores: Sequence[Score],
    config: SelectionConfig,
    *,
    aggregators: Sequence[str] = (),
    describe: Describe | None = None,
    placed: Sequence[Pick] = (),
) -> list[Pick]:
    """The day's picks: best first, at most `max_per_company` each, at least `min_score`.

    With `describe`, candidates are described in rounds of as many as are still needed, so
    a pick dropped by the company cap (its employer found by the description) is replaced
    by the next one, described in turn. `placed` are picks already on the page (a re-run
    keeps those the reader gave a verdict): they take their places and their companies'
    shares, and only the new picks are returned.
    """
    by_id = {s.job_id: s for s in scores}
    ranked = sorted(((j, by_id[j.id]) for j in jobs if j.id in by_id), key=_rank_key)
    eligible = [(job, score) for job, score in ranked if score.score >= config.min_score]
    per_company: Counter[str] = Counter(pick.company.casefold() for pick in placed)
    room = config.picks_per_day - len(placed)
    picks: list[Pick] = []
    start = 0
    while len(picks) < room and start < len(eligible):
        window: list[tuple[Job, Score]] = []
        while start < len(eligible) and len(window) < room - len(picks):
            job, score = eligible[start]
            start += 1
            taken = per_company[job.company.casefold()] + sum(
                j.company.casefold() == job.company.casefold() for j, _ in window
            )
            if taken >= config.max_per_company and not is_aggregator(job.company, aggregators):
                continue  # its company cannot change, so its share is spent: no call for it
            window.append((job, score))
        if describe is not None:
            window = list(zip((job for job, _ in window), describe(window), strict=True))
        for job, score in window:
            employer = plausible_employer(score.employer, job, aggregators)
            company = employer or job.company
            if per_company[company.casefold()] >= config.max_per_company:
                continue
            per_company[company.casefold()] += 1
            picks.append(
                _pick(job, score, company, poster=job.poster or (job.company if employer else ""))
            )
    return picks


def _pick(job: Job, score: Score, company: str, *, poster: str) -> Pick:
    return Pick(
        id=job.id,
        title=job.title,
        company=company,
        location=job.location,
        url=job.url,
        score=score.score,
        reason=score.reason,
        summary=score.summary,
        source=job.source,
        posted=job.posted,
        poster=poster,
        # The source's structured fields first; the scorer's reading of the text
        # only fills what the source left unstated.
        work_mode=job.work_mode or score.work_mode,
        pay=job.pay or score.pay,
        visa=job.visa or score.visa,
        level=job.level or score.level,
        employment=job.employment or score.employment,
        source_kind=job.source_kind,
        board=job.board,
    )


# -- the honest day's bar ---------------------------------------------------------------------


@dataclass(frozen=True)
class DayBar:
    """How the day measured up: the bar, the best score any posting reached, and whether too
    few cleared the bar to fill the page."""

    bar: int
    best: int | None
    """None when nothing was scored."""
    quiet: bool


def day_bar(scores: Sequence[Score], config: SelectionConfig) -> DayBar:
    """The bar is `min_score`, never lowered to fill the page: a day whose best posting
    scored 53 shows no picks rather than twenty that lack every must-have. A day is quiet
    when fewer postings cleared the bar than half the page (`picks_per_day`): a reader with
    a few sources, whose every day holds ten strong picks, is not told each day that it was
    quiet (a company's cap alone does not make a day quiet either)."""
    best = max((s.score for s in scores), default=None)
    cleared = sum(1 for s in scores if s.score >= config.min_score)
    return DayBar(config.min_score, best, cleared * 2 < config.picks_per_day)
