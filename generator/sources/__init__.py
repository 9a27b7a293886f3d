"""Stage 1: read every configured source into `Job` records.

Each source type is registered in `READERS`, which turns a configured source into one or
more units of work (a feed, or one board of a Greenhouse source). A failing unit is a warning
naming it and the reason; the run goes on with the others.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

from generator.config import (
    BoardSource,
    CsvSource,
    FeedSource,
    FetchConfig,
    JobSpySource,
    Source,
)
from generator.errors import SourceError
from generator.models import Job
from generator.sources.boards import read_board
from generator.sources.feed import parse_feed
from generator.sources.fetch import fetch_bytes, make_client
from generator.sources.jobspy import read_csv, read_jobspy
from generator.text import plural

log = logging.getLogger(__name__)

ReadUnit = Callable[[FetchConfig, httpx.Client], list[Job]]


@dataclass(frozen=True)
class Unit:
    """One fetch: a feed, a board or a search. Failures are counted and named per unit."""

    label: str
    read: ReadUnit
    where: str = ""
    """The URL or resolved path the unit reads, shown in its warnings."""


def _feed_units(source: Any) -> list[Unit]:
    feed: FeedSource = source
    return [
        Unit(
            f"feed {feed.label}",
            lambda config, client: parse_feed(fetch_bytes(feed.url, config, client), feed),
            feed.url,
        )
    ]


def _board_units(source: Any) -> list[Unit]:
    boards: BoardSource = source

    def reader(board: str) -> ReadUnit:
        return lambda config, client: read_board(boards, board, config, client)

    return [Unit(f"{boards.type} {board}", reader(board)) for board in boards.boards]


def _csv_units(source: Any) -> list[Unit]:
    table: CsvSource = source
    return [
        Unit(
            f"csv {table.label}",
            lambda config, client: read_csv(table, config, client),
            table.url,
        )
    ]


def _jobspy_units(source: Any) -> list[Unit]:
    search: JobSpySource = source
    return [Unit(search.label, lambda config, client: read_jobspy(search, config, client))]


READERS: dict[str, Callable[[Any], list[Unit]]] = {
    "feed": _feed_units,
    "rss": _feed_units,
    "atom": _feed_units,
    "greenhouse": _board_units,
    "lever": _board_units,
    "ashby": _board_units,
    "csv": _csv_units,
    "jobspy": _jobspy_units,
}


@dataclass
class Collected:
    """What the sources gave: the jobs, in config order, and which units failed and why."""

    jobs: list[Job] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    sources: int = 0


def collect(
    sources: Sequence[Source],
    config: FetchConfig,
    on_done: Callable[[str], None] | None = None,
) -> Collected:
    """Read all units concurrently; results keep the config's order so runs repeat."""
    units = [unit for source in sources for unit in READERS[source.type](source)]

    seconds: dict[str, float] = {}

    def read_one(unit: Unit) -> list[Job] | SourceError:
        started = time.perf_counter()
        try:
            return unit.read(config, client)
        except SourceError as exc:
            return exc
        finally:
            seconds[unit.label] = time.perf_counter() - started
            if on_done is not None:
                on_done(unit.label)

    result = Collected(sources=len(units))
    with make_client(config) as client, ThreadPoolExecutor(config.concurrency) as pool:
        outcomes = list(pool.map(read_one, units))
    for unit, outcome in zip(units, outcomes, strict=True):
        if isinstance(outcome, SourceError):
            result.failures[unit.label] = outcome.message
            where = f" ({unit.where})" if unit.where and unit.where not in unit.label else ""
            log.warning("%s: %s%s", unit.label, outcome.message, where)
        else:
            result.jobs.extend(outcome)
            log.info(
                "  source %s: %s in %.2f s",
                unit.label,
                plural(len(outcome), "posting"),
                seconds[unit.label],
            )
    return result
