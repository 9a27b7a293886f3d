"""The daily run: sources -> dedupe -> scoring -> selection -> page, reading everything first.

Nothing is written until every stage has succeeded, and then only the one page, atomically, so
a failed run leaves yesterday's state as it was.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from generator import health, pages, sources
from generator.config import BoardSource, Config, Source
from generator.dedupe import ShownJobs, by_id, collapse, resolve_aggregators, with_history
from generator.errors import ConfigError, PageError, SourceError
from generator.facts import fill_all
from generator.feedback import Verdicts, load_verdicts
from generator.files import exclusive_lock
from generator.filters import Filtered, apply_filters
from generator.models import DayPage, Job, Pick, Score, SourceOutcome
from generator.profile import load_profile, require_usable
from generator.scoring import LearnsVerdicts, Scorer, make_scorer
from generator.selection import day_bar, select
from generator.text import plural

log = logging.getLogger(__name__)


class _Stage:
    """Logs one stage's count and time at INFO, which `jobpicks -v` shows."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.started = time.perf_counter()

    def done(self, detail: str) -> None:
        seconds = time.perf_counter() - self.started
        log.info("%s: %s in %.2f s", self.name, detail, seconds)


@dataclass
class RunResult:
    date: dt.date
    path: Path
    day: DayPage | None = None
    written: bool = False
    existed: bool = False
    sources: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    postings: int = 0
    duplicates: int = 0
    new: int = 0
    seconds: float = 0.0
    usage: str = ""
    merged: int = 0
    resolved: int = 0
    shown: int = 0
    reposts: int = 0
    """Picks that are an earlier pick's job again under a new URL, after it closed or aged."""
    filtered: str = ""
    later: int = 0
    """Postings dated after the run's day: a backfill must not see the future."""
    ruled_out: dict[str, int] = field(default_factory=dict)
    """Postings the reader's verdicts kept out, by why: applied, dismissed, company."""
    judged: int = 0
    """Picks of the replaced page the reader gave a verdict: kept on their day as they were."""
    held: int = 0
    """The day's postings of those picks, kept out of scoring: the picks stand as they were."""
    warnings: int | None = None
    """Warnings logged by the command so far, when the caller counts them."""
    replaced_sample: bool = False
    """The date's page was a sample day (`DayPage.sample`) and this run, on the reader's
    own sources, replaces it without --force."""

    def details(self) -> str:
        """What deduplication and the filters did, or "" when they did nothing."""
        parts = []
        if self.duplicates:
            parts.append(f"{self.duplicates} repeated ids dropped")
        if self.merged:
            parts.append(f"{self.merged} postings of the same job merged")
        if self.resolved:
            parts.append(f"{self.resolved} aggregator postings given their real employer")
        if self.shown:
            parts.append(f"{self.shown} already shown on other days")
        if self.reposts:
            parts.append(
                f"{plural(self.reposts, 'pick')} reposted after an earlier pick closed or aged"
            )
        if self.filtered:
            parts.append(f"filters removed: {self.filtered}")
        if self.later:
            parts.append(f"{self.later} posted after {self.date.isoformat()} left out")
        if self.ruled_out:
            parts.append(f"{self.kept_out()} kept out by your verdicts ({self._why()})")
        if self.judged:
            parts.append(f"{plural(self.judged, 'pick')} with your verdicts kept as they were")
        return "; ".join(parts)

    def kept_out(self) -> int:
        return sum(self.ruled_out.values())

    def _why(self) -> str:
        return ", ".join(f"{kind} {n}" for kind, n in sorted(self.ruled_out.items()))

    def removed(self, filtered: Filtered) -> str:
        """What took postings out between dedupe and scoring, so `-v`'s counts add up."""
        parts = []
        if removed := sum(filtered.removed.values()):
            parts.append(f"{removed} by the filters: {filtered.summary()}")
        if self.ruled_out:
            parts.append(f"{self.kept_out()} kept out by your verdicts: {self._why()}")
        if self.held:
            parts.append(f"{self.held} of the day's picks with your verdicts, kept as they were")
        return "; ".join(parts) or "none removed"

    def summary(self) -> str:
        warned = "" if self.warnings is None else f", {plural(self.warnings, 'warning')}"
        if self.existed:
            return (
                f"{self.path} already exists; left untouched (use --force to replace it)"
                f"{warned.replace(',', ';', 1)}"
            )
        picks = len(self.day.picks) if self.day else 0
        target = str(self.path) if self.written else "(dry run, nothing written)"
        failed = f" ({len(self.failed)} failed)" if self.failed else ""
        after = "; next: `jobpicks build`, then `jobpicks serve` to preview" if self.written else ""
        if self.written and self.replaced_sample:
            target += " (replacing the sample day of invented jobs written there before)"
        return (
            f"Done: {plural(self.sources, 'source')}{failed}, {plural(self.postings, 'posting')}, "
            f"{self.new:,} new, {plural(picks, 'pick')}{warned} -> {target} in {self.seconds:.1f} s"
            f"{after}"
        )


def run_day(
    config: Config,
    *,
    date: dt.date,
    api_key: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
    today: dt.date | None = None,
    warnings: Callable[[], int] | None = None,
) -> RunResult:
    """Write the page for `date`; with `dry_run` compute it and write nothing.

    `date` may be a past day (a backfill) but not after `today` (default: today in the
    configured time zone). The whole run holds the docs lock, so a second run at the same
    time stops with a clear message instead of racing this one. `warnings` counts the
    warnings logged so far (the CLI's log handler); the page records the count.
    """
    today = today or config.today()
    if date > today:
        raise ConfigError(
            f"--date {date.isoformat()} is after today ({today.isoformat()} in {config.timezone}, "
            "the configured `timezone`): a day's page can only be written on or after that day"
        )
    lock = nullcontext() if dry_run else exclusive_lock(config.docs_dir, "running")
    with lock:
        return _run_day(config, date, api_key, dry_run, force, progress, warnings)


def _run_day(
    config: Config,
    date: dt.date,
    api_key: str | None,
    dry_run: bool,
    force: bool,
    progress: Callable[[str], None] | None,
    warnings: Callable[[], int] | None = None,
) -> RunResult:
    started = time.perf_counter()
    path = pages.page_path(config.picks_dir, date)
    result = RunResult(date=date, path=path)
    sample = health.on_samples(config)
    replaced = _replaced_page(path)
    # A sample day holds nothing of the reader's: their own sources replace it, and keep
    # nothing `check` or `notify` recorded on it.
    result.replaced_sample = replaced is not None and replaced.sample and not sample
    if result.replaced_sample:
        replaced = None
    elif path.exists() and not force and not dry_run:
        result.existed = True
        return result

    closed = {p.id: p.closed for p in replaced.picks if p.closed} if replaced else {}
    profile = load_profile(config.profile)
    scorer = make_scorer(config.scoring, profile, api_key, today=date)
    require_usable(profile, config.profile, scorer.name)
    verdicts = _verdicts(config)
    judged = _judged(replaced, verdicts)
    result.judged = len(judged)
    shown = ShownJobs.from_pages(
        config.picks_dir,
        today=date,
        window_days=config.dedupe.shown_days,
        threshold=config.dedupe.title_similarity,
    )

    stage = _Stage("sources")
    collected = sources.collect(config.sources, config.fetch, on_done=progress)
    stage.done(f"{len(collected.jobs)} postings from {collected.sources} sources")
    result.sources, result.failed = collected.sources, collected.failures
    if len(collected.failures) == collected.sources:
        raise SourceError(
            f"all {collected.sources} sources failed; nothing written (see the warnings above)"
        )
    stage = _Stage("dedupe")
    known = [job for job in collected.jobs if job.posted is None or job.posted <= date]
    result.later = len(collected.jobs) - len(known)
    unique = by_id(known)
    resolved, result.resolved = resolve_aggregators(unique.jobs, config.dedupe.aggregators)
    # Shown before is decided per posting, then the rest collapse: a closed pick's old URL
    # still in a feed must not stand in for the job's new posting.
    unshown = [job for job in resolved if job not in shown]
    result.shown = len(resolved) - len(unshown)
    collapsed = collapse(
        unshown, threshold=config.dedupe.title_similarity, aggregators=config.dedupe.aggregators
    )
    stage.done(
        f"{len(collected.jobs)} -> {len(collapsed.jobs)} postings ({unique.duplicates} repeated "
        f"ids, {result.shown} shown before, {collapsed.merged} merged, {result.resolved} "
        "aggregators resolved)"
    )
    stage = _Stage("filters")
    # Facts the sources left unknown, read from the text, before filters and every scorer.
    filtered = apply_filters(fill_all(collapsed.jobs), config.filters, date)
    result.postings, result.duplicates = len(collected.jobs), unique.duplicates
    result.merged, result.filtered = collapsed.merged, filtered.summary()
    # A judged pick's own posting first: it stays on its day and is not "kept out".
    unjudged = _without(judged, filtered.jobs, config.dedupe.title_similarity)
    result.held = len(filtered.jobs) - len(unjudged)
    fresh, ruled_out = verdicts.keep(unjudged)
    result.ruled_out = dict(ruled_out)
    result.new = len(fresh) + result.held
    stage.done(f"{len(collapsed.jobs)} -> {len(fresh)} postings ({result.removed(filtered)})")

    if progress is not None:
        progress(f"scoring {len(fresh)} postings with the {scorer.name} scorer")
    stage = _Stage("scoring")
    used = _learn(scorer, verdicts)
    scores = scorer.score(fresh)
    stage.done(f"{len(scores)} of {len(fresh)} postings scored by the {scorer.name} scorer")
    stage = _Stage("selection")
    chosen = select(
        fresh,
        scores,
        config.selection,
        aggregators=config.dedupe.aggregators,
        describe=getattr(scorer, "describe", None),  # a model writes its picks' details
        placed=judged,
    )
    new_picks = [
        pick.model_copy(update={"closed": closed[pick.id]}) if pick.id in closed else pick
        for pick in with_history(chosen, fresh, shown)
    ]
    result.reposts = sum(1 for pick in new_picks if pick.first_seen is not None)
    picks = _placed(judged, new_picks, replaced)
    stage.done(plural(len(picks), "pick"))
    result.usage = scorer.report()
    # A judged pick kept counts as scored that day, at its score then.
    kept_scores = [Score(p.id, p.score, p.reason, p.summary) for p in judged]
    bar = day_bar([*scores, *kept_scores], config.selection)
    day = DayPage(
        date=date,
        picks=tuple(picks),
        scorer=scorer.name,
        model=scorer.model,
        sources=source_outcomes(config.sources, collected),
        usage=scorer.usage_record(),
        new_postings=result.new,
        feedback=used,
        kept_out=result.kept_out() if verdicts.marks else None,
        best_score=bar.best,
        bar=bar.bar,
        quiet=bar.quiet,
        fallback=health.fallback_of(scorer),
        # What `check` and `notify` recorded for the day stays true when --force replaces it.
        link_check=replaced.link_check if replaced else None,
        notified=replaced.notified if replaced else None,
        sample=sample,
    )
    for finding in health.history_findings(day, health.earlier_days(config.picks_dir, date)):
        log.warning("%s", finding)
    result.warnings = warnings() if warnings is not None else None
    day = day.model_copy(update={"warnings": result.warnings})
    result.day = day
    if not dry_run:
        pages.write(day, config.picks_dir)
        result.written = True
    result.seconds = time.perf_counter() - started
    return result


def _verdicts(config: Config) -> Verdicts:
    """The reader's verdicts, read before anything is fetched: a bad entry stops the run."""
    verdicts = load_verdicts(config.feedback, config.picks_dir, config.dedupe.title_similarity)
    if verdicts.unknown:
        log.warning(
            "%s: %s name no pick on any day page (%s): they still keep those "
            "jobs out, but teach the scorer nothing",
            config.feedback,
            plural(len(verdicts.unknown), "verdict"),
            ", ".join(verdicts.unknown[:5]),
        )
    return verdicts


def _learn(scorer: Scorer, verdicts: Verdicts) -> int | None:
    """How many verdicts the day's scores use; None while there are none."""
    if not verdicts.marks:
        return None
    return scorer.learn(verdicts.examples) if isinstance(scorer, LearnsVerdicts) else 0


def _judged(replaced: DayPage | None, verdicts: Verdicts) -> list[Pick]:
    """The picks of the page --force replaces that the reader gave a verdict. They stay on
    their day as they were: a verdict keeps its job off later days, not off the day it was
    picked, where it still names a pick (Applications links it, the scorer learns from it)."""
    if replaced is None:
        return []
    return [pick for pick in replaced.picks if pick.id in verdicts.marks]


def _without(judged: list[Pick], jobs: list[Job], threshold: int) -> list[Job]:
    """`jobs` but the judged picks' own postings: the same id, or the same job by its text."""
    if not judged:
        return jobs
    ids = {pick.id for pick in judged}
    same = ShownJobs.for_good(judged, threshold=threshold)
    return [job for job in jobs if job.id not in ids and job not in same]


def _placed(judged: list[Pick], picks: list[Pick], replaced: DayPage | None) -> list[Pick]:
    """The judged picks among the new ones, best score first; equal scores in the replaced
    page's order, then the new picks' own, so an unchanged day is written as it was."""
    if not judged:
        return picks
    before = {pick.id: n for n, pick in enumerate(replaced.picks)} if replaced else {}
    order = [*judged, *picks]
    ranked = sorted(
        range(len(order)),
        key=lambda n: (-order[n].score, before.get(order[n].id, len(before)), n),
    )
    return [order[n] for n in ranked]


def _replaced_page(path: Path) -> DayPage | None:
    """The page --force is about to replace, for what `jobpicks check` and `notify` recorded
    on it: a posting seen closed stays closed, whatever the new run scores, and a day sent
    is not sent again."""
    if not path.exists():
        return None
    try:
        return pages.read(path)
    except PageError:
        return None  # --force replaces a broken page; it has nothing to keep


def source_outcomes(
    configured: list[Source], collected: sources.Collected
) -> tuple[SourceOutcome, ...]:
    """Each source unit's outcome (a feed, or one board of a board source): the postings it
    gave, or its error. A board's postings carry the unit's label as their source; a feed's,
    a CSV's and a search's carry the source's label."""
    counts = Counter(job.source for job in collected.jobs)
    outcomes = []
    for source in configured:
        for unit in sources.READERS[source.type](source):
            if unit.label in collected.failures:
                outcomes.append(
                    SourceOutcome(name=unit.label, error=collected.failures[unit.label])
                )
            else:
                label = unit.label if isinstance(source, BoardSource) else source.label
                outcomes.append(SourceOutcome(name=unit.label, postings=counts[label]))
    return tuple(outcomes)
