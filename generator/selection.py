"""Stage 3: from scored jobs to the day's picks.

Highest score first with a stable tie-break, so the same inputs always give the same page;
jobs already shown on another day never come back; no company takes more than its share.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from generator.config import SelectionConfig
from generator.models import Job, Pick, Score


def _rank_key(item: tuple[Job, Score]) -> tuple[int, int, str, str, str]:
    job, score = item
    posted = -(job.posted or dt.date.min).toordinal()
    return (-score.score, posted, job.company.casefold(), job.title.casefold(), job.id)


def select(jobs: Sequence[Job], scores: Sequence[Score], config: SelectionConfig) -> list[Pick]:
    """The day's picks: best first, at most `max_per_company` each, at least `min_score`."""
    by_id = {s.job_id: s for s in scores}
    ranked = sorted(((j, by_id[j.id]) for j in jobs if j.id in by_id), key=_rank_key)
    per_company: Counter[str] = Counter()
    picks: list[Pick] = []
    for job, score in ranked:
        if score.score < config.min_score or len(picks) >= config.picks_per_day:
            break
        company = score.employer or job.company
        if per_company[company.casefold()] >= config.max_per_company:
            continue
        per_company[company.casefold()] += 1
        poster = job.poster or (
            job.company if score.employer and score.employer != job.company else ""
        )
        picks.append(
            Pick(
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
            )
        )
    return picks


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
    when fewer postings cleared the bar than `picks_per_day` had room for (a company's cap
    alone does not make a day quiet)."""
    best = max((s.score for s in scores), default=None)
    cleared = sum(1 for s in scores if s.score >= config.min_score)
    return DayBar(config.min_score, best, cleared < config.picks_per_day)
