"""Stage 1: read every configured source into `Job` records.

Each source type is a reader function registered in `READERS`. A failing source is a warning
naming it and the reason; the run goes on with the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

from generator.config import FeedSource, FetchConfig, Source
from generator.errors import SourceError
from generator.models import Job
from generator.sources.feed import parse_feed
from generator.sources.fetch import fetch_bytes, make_client

log = logging.getLogger(__name__)

Reader = Callable[[FeedSource, FetchConfig, httpx.Client], list[Job]]


def read_feed(source: FeedSource, config: FetchConfig, client: httpx.Client) -> list[Job]:
    return parse_feed(fetch_bytes(source.url, config, client), source)


READERS: dict[str, Reader] = {"feed": read_feed, "rss": read_feed, "atom": read_feed}


@dataclass
class Collected:
    """What the sources gave: the jobs, in config order, and which sources failed and why."""

    jobs: list[Job] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    sources: int = 0


def collect(
    sources: Sequence[Source],
    config: FetchConfig,
    on_done: Callable[[str], None] | None = None,
) -> Collected:
    """Read all sources concurrently; results keep the config's order so runs are repeatable."""

    def read_one(source: Source) -> list[Job] | SourceError:
        try:
            return READERS[source.type](source, config, client)
        except SourceError as exc:
            return exc
        finally:
            if on_done is not None:
                on_done(source.label)

    result = Collected(sources=len(sources))
    with make_client(config) as client, ThreadPoolExecutor(config.concurrency) as pool:
        outcomes = list(pool.map(read_one, sources))
    for source, outcome in zip(sources, outcomes, strict=True):
        if isinstance(outcome, SourceError):
            result.failures[source.label] = outcome.message
            log.warning("%s %s: %s", source.type, source.label, outcome.message)
        else:
            result.jobs.extend(outcome)
    return result
