"""Cheap filters before scoring, from `filters:` in the config.

They run before any scorer, so a reader who never wants senior roles or PHP shops pays no
API calls for them; the run says how many postings each filter removed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from generator.config import FilterConfig
from generator.facts import is_remote
from generator.models import LEVELS, Job
from generator.text import fold_key


@dataclass
class Filtered:
    jobs: list[Job]
    removed: Counter[str]

    def summary(self) -> str:
        return ", ".join(f"{name} {count}" for name, count in self.removed.items() if count)


def _any(patterns: Sequence[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


def _in_any(text: str, parts: Sequence[str]) -> bool:
    return any(part in text for part in parts)


def build_filters(config: FilterConfig, today: dt.date) -> list[tuple[str, Callable[[Job], bool]]]:
    """(name, keep) pairs, in the order they run; a job must pass every one."""
    checks: list[tuple[str, Callable[[Job], bool]]] = []
    checks.append(("past_deadline", lambda j: j.deadline is None or j.deadline >= today))
    if include := _any(config.title_include):
        checks.append(("title_include", lambda j: bool(include.search(j.title))))
    if exclude := _any(config.title_exclude):
        checks.append(("title_exclude", lambda j: not exclude.search(j.title)))
    if config.exclude_companies:
        banned = {fold_key(c) for c in config.exclude_companies}
        checks.append(
            (
                "exclude_companies",
                lambda j: fold_key(j.company) not in banned and fold_key(j.poster) not in banned,
            )
        )
    if config.skip_seniority:
        # Lookarounds, not \b, so "staff+" ends where its "+" does.
        words = _any([rf"(?<!\w){re.escape(w)}(?!\w)" for w in config.skip_seniority])
        assert words is not None
        # A level's own name also skips postings at that level ("Sr. Engineer", a board's
        # stated level), as the card would label them.
        levels = {w.strip().casefold() for w in config.skip_seniority} & set(LEVELS)
        checks.append(
            (
                "skip_seniority",
                lambda j: j.level not in levels and not words.search(j.title),
            )
        )
    if config.remote_only:
        checks.append(("remote_only", is_remote))
    if config.locations:
        places = [fold_key(p) for p in config.locations]
        checks.append(
            (
                "locations",
                lambda j: (
                    (config.remote_ok and is_remote(j)) or _in_any(fold_key(j.location), places)
                ),
            )
        )
    if config.work_modes:
        modes = set(config.work_modes)
        checks.append(("work_modes", lambda j: j.work_mode is None or j.work_mode in modes))
    if config.require_pay:
        checks.append(("require_pay", lambda j: j.pay is not None))
    if (least := config.min_pay) is not None:
        # Only a posting whose pay is known to fall short goes; unstated pay passes.
        checks.append(("min_pay", lambda j: least.reaches(j.pay) is not False))
    if config.visa == "required":
        checks.append(("visa", lambda j: j.visa != "not_offered"))
    if config.max_age_days is not None:
        oldest = today - dt.timedelta(days=config.max_age_days)
        checks.append(("max_age_days", lambda j: j.posted is None or j.posted >= oldest))
    return checks


def apply_filters(jobs: Sequence[Job], config: FilterConfig, today: dt.date) -> Filtered:
    removed: Counter[str] = Counter()
    checks = build_filters(config, today)
    kept = []
    for job in jobs:
        for name, keep in checks:
            if not keep(job):
                removed[name] += 1
                break
        else:
            kept.append(job)
    return Filtered(kept, removed)
