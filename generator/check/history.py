"""The check's page I/O: which picks are due today, and what the check found, written back.

Schedule (by the age of a pick's day page): the `liveness.days` days before today every
check; then once a week (`checked` at least 7 days ago) up to `liveness.weekly_until` days;
then once a month up to `liveness.monthly_until` days; older picks are not checked again, and
their `checked` date says since when. A pick with no clear answer yet is due every check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from generator import pages
from generator.check.classify import Verdict
from generator.config import LivenessConfig
from generator.models import DayPage, Pick

WEEK = 7
MONTH = 30


def horizon(settings: LivenessConfig) -> int:
    """How many days back any pick is still checked."""
    return max(settings.days, settings.weekly_until, settings.monthly_until)


def window(picks_dir: Path, today: dt.date, days: int) -> list[tuple[Path, DayPage]]:
    """The pages of the `days` days before `today`, newest first. Today's own page is left
    out: its picks were in today's feeds a moment ago."""
    first = today - dt.timedelta(days=days)
    found = []
    for path in pages.iter_page_paths(picks_dir):
        date = pages.page_date(path)
        if date is not None and first <= date < today:
            found.append((path, pages.read(path)))
    return sorted(found, key=lambda item: item[1].date, reverse=True)


def interval(age: int, settings: LivenessConfig) -> int | None:
    """Days between checks of a pick whose page is `age` days old; None: no longer checked."""
    if age <= settings.days:
        return 1
    if age <= settings.weekly_until:
        return WEEK
    if age <= settings.monthly_until:
        return MONTH
    return None


def is_due(pick: Pick, age: int, today: dt.date, settings: LivenessConfig) -> bool:
    every = interval(age, settings)
    if every is None or pick.closed is not None:
        return False
    return pick.checked is None or (today - pick.checked).days >= every


def record(
    picks_dir: Path, paths: Iterable[Path], verdicts: Mapping[str, Verdict], today: dt.date
) -> list[Path]:
    """Write what the check found: `checked` is today for every clear answer, and a pick
    first seen closed gets `closed` today (a pick closed earlier keeps its date). Returns
    the pages written; an unchanged page is not rewritten."""
    written = []
    for path in paths:
        day = pages.read(path)
        picks = tuple(_updated(pick, verdicts.get(pick.id), today) for pick in day.picks)
        if picks != day.picks:
            written.append(pages.write(day.model_copy(update={"picks": picks}), picks_dir))
    return written


def _updated(pick: Pick, verdict: Verdict | None, today: dt.date) -> Pick:
    if verdict is None or verdict.status == "unknown":
        return pick
    update: dict[str, object] = {"checked": max(today, pick.checked or today)}
    if verdict.status == "closed" and pick.closed is None:
        update["closed"] = today
    return pick.model_copy(update=update)
