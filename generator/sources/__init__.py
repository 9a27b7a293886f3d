"""Stage 1: read every configured source into `Job` records.

Each source type is registered in `READERS`, which turns a configured source into one or
more units of work (a feed, or one board of a Greenhouse source). A failing unit is a warning
naming it and the reason; the run goes on with the others. Units run concurrently on one
event loop, each request bounded by `fetch.timeout` and the whole stage by `fetch.deadline`:
a unit not done by then is a warning too, and the day is written from the rest.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
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
from generator.sources.fetch import fetch_bytes, in_daemon_thread, make_client
from generator.sources.jobspy import read_csv, read_jobspy
from generator.text import plural

log = logging.getLogger(__name__)

ReadUnit = Callable[[FetchConfig, httpx.AsyncClient], Awaitable[list[Job]]]


@dataclass(frozen=True)
class Unit:
    """One fetch: a feed, a board or a search. Failures are counted and named per unit."""

    label: str
    read: ReadUnit
    where: str = ""
    """The URL or resolved path the unit reads, shown in its warnings."""


def _feed_units(source: Any) -> list[Unit]:
    feed: FeedSource = source

    async def read(config: FetchConfig, client: httpx.AsyncClient) -> list[Job]:
        data = await fetch_bytes(feed.url, config, client)
        # Parsing 10,000 entries takes a while: off the loop, so other units keep their pace.
        return await in_daemon_thread(lambda: parse_feed(data, feed))

    return [Unit(f"feed {feed.label}", read, feed.url)]


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
    outcomes, seconds = asyncio.run(_read_all(units, config, on_done))
    result = Collected(sources=len(units))
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


async def _read_all(
    units: Sequence[Unit], config: FetchConfig, on_done: Callable[[str], None] | None
) -> tuple[list[list[Job] | SourceError], dict[str, float]]:
    seconds: dict[str, float] = {}
    slots = asyncio.Semaphore(config.concurrency)

    async def read_one(client: httpx.AsyncClient, unit: Unit) -> list[Job] | SourceError:
        async with slots:
            started = time.perf_counter()
            try:
                return await unit.read(config, client)
            except SourceError as exc:
                return exc
            except Exception as exc:  # a stranger's payload met a bug: one source, one warning
                return SourceError(f"unexpected {type(exc).__name__}: {exc} (please report it)")
            finally:
                seconds[unit.label] = time.perf_counter() - started
                if on_done is not None:
                    on_done(unit.label)

    async with make_client(config) as client:
        tasks = [asyncio.create_task(read_one(client, unit)) for unit in units]
        if tasks:
            await asyncio.wait(tasks, timeout=config.deadline)
        outcomes: list[list[Job] | SourceError] = []
        for task in tasks:
            if task.done():
                outcomes.append(task.result())
            else:
                task.cancel()
                outcomes.append(
                    SourceError(
                        f"not finished within the sources' deadline of {config.deadline:g} s "
                        "(fetch.deadline); the day is written from the other sources"
                    )
                )
        await asyncio.gather(*tasks, return_exceptions=True)
    return outcomes, seconds
