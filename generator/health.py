"""What the owner of an unattended job must hear about, read from the day pages' history.

Each run records its sources' outcomes, its new postings, the scorer's fallback and (after
`jobpicks check`) what the checker reached on the day's page, so the history lives in the
repository. From it come the findings: sources or profile still the bundled samples, a
source failing run after run, days without a new posting, a model given up, a checker that
reached nothing. The run logs them as warnings; `jobpicks notify` sends them.
"""

from __future__ import annotations

import datetime as dt
import logging
import shlex
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from generator import pages
from generator.config import Config, CsvSource, FeedSource
from generator.errors import ConfigError, PageError
from generator.files import exclusive_lock
from generator.models import DayPage, LinkCheck
from generator.profile import load_profile, profile_origin
from generator.text import plural

log = logging.getLogger(__name__)

RUNS = 3
"""A source failing on this many runs in a row, or this many runs without a new posting,
is a finding; once or twice is weather."""
MAX_HISTORY = 366
"""Pages read back at most to find when a streak began."""
FALLBACK_SCORER = "local (openai unreachable)"
"""The scorer name a run records when the model was given up for the local scorer."""
SAMPLE_PROFILE_NAME = "Sample Candidate"
_BUNDLED_FEEDS = Path(__file__).resolve().parent.parent / "samples" / "feeds"


# -- the bundled samples ----------------------------------------------------------------------


def _is_sample_file(path: Path) -> bool:
    """A bundled sample feed wherever the config lives: a file in a `samples/feeds` folder,
    or a copy of one byte for byte."""
    if path.parent.name == "feeds" and path.parent.parent.name == "samples":
        return True
    try:
        size = path.stat().st_size
        alike = [b for b in _BUNDLED_FEEDS.glob("*") if b.is_file() and b.stat().st_size == size]
        return any(b.read_bytes() == path.read_bytes() for b in alike)
    except OSError:
        return False


def sample_sources(config: Config) -> list[str]:
    """The labels of the sources that are bundled sample feeds (or copies of one)."""
    return [
        source.label
        for source in config.sources
        if isinstance(source, FeedSource | CsvSource)
        and not source.url.startswith(("http://", "https://"))
        and _is_sample_file(Path(source.url))
    ]


def on_samples(config: Config) -> bool:
    """Every source is a bundled sample feed, as in the quick start: every job the run
    reads is invented, so its page holds nothing of the reader's (`allow_samples` or not)."""
    return len(sample_sources(config)) == len(config.sources)


def sample_pages(config: Config, days: Iterable[DayPage]) -> list[Path]:
    """The sample days (`DayPage.sample`) among `days`, when the config is the reader's own:
    left from the quick start, they would show invented jobs as the reader's picks. On the
    samples themselves (the quick start's own build) they are the site."""
    if on_samples(config):
        return []
    return [pages.page_path(config.picks_dir, day.date) for day in days if day.sample]


def sample_pages_warning(found: Sequence[Path]) -> str:
    """What `build` says of `sample_pages`: which files, and how to remove them."""
    names = ", ".join(str(path) for path in found)
    command = " ".join(shlex.quote(str(path)) for path in found)
    return (
        f"{plural(len(found), 'day page')} written from the bundled samples, of invented "
        f"jobs, {'is' if len(found) == 1 else 'are'} still in the site: {names}. "
        f"Delete {'it' if len(found) == 1 else 'them'} (`rm {command}`, or `git rm` once "
        "committed) so the site shows only your picks"
    )


def sample_problems(config: Config, config_path: Path) -> list[str]:
    """What in the project is still the bundled samples: its sources, its profile, or both.

    Told by content, not by where the files are: sample feeds are the files of
    `samples/feeds/` (or copies), the sample profile is the one named "Sample Candidate".
    """
    if config.allow_samples:
        return []
    problems = []
    samples = sample_sources(config)
    if samples:
        problems.append(
            f"{config_path}: {plural(len(samples), 'source')} of {len(config.sources)} "
            f"{'is' if len(samples) == 1 else 'are'} the bundled sample feeds of invented jobs "
            f"({', '.join(samples)}): put your own under `sources:`"
        )
    try:
        profile = load_profile(config.profile)
    except ConfigError:
        profile = None  # the run reports a broken profile itself
    if profile is not None and profile.name == SAMPLE_PROFILE_NAME:
        problems.append(
            f"{profile_origin(config.profile)}: the profile is the bundled sample "
            f"({SAMPLE_PROFILE_NAME}): "
            "write what you are looking for"
        )
    return problems


SAMPLES_FIX = (
    "run `jobpicks init` to set up your own, or edit the files named; set `allow_samples: "
    "true` in the config to publish the samples on purpose"
)


def require_own_data(config: Config, config_path: Path, *, in_actions: bool) -> list[str]:
    """The sample problems as warnings; in GitHub Actions an error, so a fork left on the
    samples fails its first scheduled run instead of publishing invented jobs every day."""
    problems = sample_problems(config, config_path)
    if problems and in_actions:
        raise ConfigError(
            "refusing to publish the bundled samples from GitHub Actions: "
            + "; ".join(problems)
            + f". To fix: {SAMPLES_FIX}"
        )
    return [f"{problem} ({SAMPLES_FIX})" for problem in problems]


# -- the history ------------------------------------------------------------------------------


def earlier_days(picks_dir: Path, before: dt.date) -> Iterator[DayPage]:
    """The pages before `before`, newest first, read one at a time as the caller asks.

    A broken page ends the history there: health is worth less than a run.
    """
    paths = [
        path
        for path in pages.iter_page_paths(picks_dir)
        if (date := pages.page_date(path)) is not None and date < before
    ]
    for path in reversed(paths[-MAX_HISTORY:]):
        try:
            yield pages.read(path)
        except PageError as exc:
            log.info("health: history stops at %s (%s)", path, exc)
            return


def _runs(day: DayPage, earlier: Iterator[DayPage]) -> Iterator[DayPage]:
    """`day` then the earlier pages written by a run that recorded its sources (imported
    legacy pages and pages from before the record have none)."""
    yield day
    for page in earlier:
        if page.sources:
            yield page


def history_findings(day: DayPage, earlier: Iterator[DayPage]) -> list[str]:
    """Sources failing on each of the last `RUNS` runs, and `RUNS` runs with no new posting,
    each with the day it began. `day` is the newest run; `earlier` its predecessors, newest
    first (`earlier_days`)."""
    failing = {s.name: s.error for s in day.sources if s.postings is None}
    streaks: dict[str, list[dt.date]] = {name: [] for name in failing}
    quiet: list[dt.date] = []
    open_streaks = set(failing)
    counting_quiet = True
    for run in _runs(day, earlier):
        outcomes = {s.name: s for s in run.sources}
        for name in list(open_streaks):
            outcome = outcomes.get(name)
            if outcome is not None and outcome.postings is None:
                streaks[name].append(run.date)
            else:
                open_streaks.discard(name)
        if counting_quiet and run.new_postings == 0:
            quiet.append(run.date)
        else:
            counting_quiet = False
        if not open_streaks and not counting_quiet:
            break
    findings = [
        f"source {name} has failed on each of the last {len(dates)} runs, since "
        f"{dates[-1].isoformat()}: {failing[name]}"
        for name, dates in streaks.items()
        if len(dates) >= RUNS
    ]
    if len(quiet) >= RUNS:
        findings.append(
            f"no new posting on the last {len(quiet)} runs, since {quiet[-1].isoformat()}: "
            "check that the sources still list jobs and that the filters let some through"
        )
    return findings


def fallback_of(scorer: object) -> str:
    """Why a scorer gave the model up for the local scorer, or "" when it did not: its
    `fallback` line, or its name when it only says so there."""
    reason = getattr(scorer, "fallback", "") or ""
    if not reason and getattr(scorer, "name", "") == FALLBACK_SCORER:
        reason = "the model could not be reached"
    return str(reason)


def day_findings(day: DayPage) -> list[str]:
    """What the day's own record says: a model given up, a checker that reached nothing."""
    findings = []
    if day.fallback or day.scorer == FALLBACK_SCORER:
        why = day.fallback or "the model could not be reached"
        findings.append(
            f"the model was given up on {day.date.isoformat()} and the day was scored by the "
            f"local scorer: {why}"
        )
    if day.link_check is not None and check_reached_nothing(day.link_check):
        findings.append(check_finding(day.date, day.link_check))
    return findings


# -- what `jobpicks check` reached ------------------------------------------------------------


def check_reached_nothing(check: LinkCheck) -> bool:
    return check.tried > 0 and check.reached == 0


def check_finding(date: dt.date, check: LinkCheck) -> str:
    return (
        f"`jobpicks check` on {date.isoformat()} could reach none of the "
        f"{plural(check.tried, 'posting')} it tried: the job sites may be blocking it, or "
        "the network is down"
    )


def record_check(picks_dir: Path, docs_dir: Path, date: dt.date, check: LinkCheck) -> bool:
    """Keep what the check reached on `date`'s page, where `notify` reads it; False when
    the day has no page (a check on a day without a run). A second check that day which
    tried nothing (everything already checked) leaves the first one's record, so a re-run
    neither hides a check that reached nothing nor says 0 of 0."""
    path = pages.page_path(picks_dir, date)
    with exclusive_lock(docs_dir, "running"):
        if not path.exists():
            return False
        day = pages.read(path)
        if check.tried == 0 and day.link_check is not None:
            return True
        if day.link_check != check:
            pages.write(day.model_copy(update={"link_check": check}), picks_dir)
    return True


def all_findings(
    config: Config, config_path: Path, day: DayPage, earlier: Iterator[DayPage]
) -> list[str]:
    """Every finding for the day, samples first: the health section of its message."""
    return [
        *require_own_data(config, config_path, in_actions=False),
        *day_findings(day),
        *history_findings(day, earlier),
    ]
