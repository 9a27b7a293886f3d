"""The check itself: boards first (one fetch each), then posting pages; one verdict per
pick, whatever its host sends; the verdicts written under the docs lock."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.check import history
from generator.check.classify import Verdict, classify
from generator.check.listings import Listing, board_bases, board_of, listed, verdict_from
from generator.check.polite import Clock, Polite
from generator.config import Config
from generator.files import exclusive_lock
from generator.models import Pick
from generator.sources.boards import api_base, lever_pages, listing_url
from generator.text import plural

log = logging.getLogger(__name__)

MAX_PAGE_BYTES = 2_000_000
"""A posting page is read up to here: every closed banner and title sits well before it."""
_GRACE = 5.0
"""Seconds past the deadline before unfinished checks are abandoned (DNS lookups run in
threads that a timeout cannot interrupt)."""


class Checker:
    """Verdicts for a set of picks: boards first (one fetch each), then posting pages."""

    def __init__(
        self,
        polite: Polite,
        today: dt.date,
        bases: dict[tuple[str, str], str],
        board_max_bytes: int,
    ) -> None:
        self.polite = polite
        self.today = today
        self.bases = bases
        self.board_max_bytes = board_max_bytes
        self.boards: dict[tuple[str, str], asyncio.Task[Listing | None]] = {}

    async def verdict(self, pick: Pick) -> Verdict:
        """One pick's verdict; whatever its host or page trips is "unknown" for this pick
        alone, with a warning naming it."""
        try:
            return await self._verdict(pick)
        except Exception as exc:
            log.warning(
                "check: %s - %s <%s>: %s: %s; left unknown",
                pick.company,
                pick.title,
                pick.url,
                type(exc).__name__,
                exc,
            )
            return Verdict("unknown", f"the check failed: {type(exc).__name__}: {exc}")

    async def _verdict(self, pick: Pick) -> Verdict:
        key = board_of(pick)
        if key is not None:
            if key not in self.boards:
                self.boards[key] = asyncio.create_task(self._listing(*key))
            listing = await self.boards[key]
            if listing is not None:
                return verdict_from(pick, *key, listing, self.today)
        if not pick.url:
            return Verdict("unknown", "the pick has no link")
        answer = await self.polite.get(pick.url, MAX_PAGE_BYTES)
        if isinstance(answer, Verdict):
            return answer
        return classify(pick.url, answer.status, answer.url, answer.text(), pick.title)

    async def _listing(self, kind: str, board: str) -> Listing | None:
        """The board's listing, or None when it cannot be trusted (failed, empty, cut short):
        then its picks are checked by their pages like any other."""
        base = self.bases.get((kind, board), api_base(kind))
        if kind != "lever":
            payload = await self._json(kind, board, listing_url(kind, base, board, details=False))
            listing = listed(kind, payload) if payload is not None else None
            return self._usable(kind, board, listing)
        # A listing cut short would call every pick on the pages not read closed.
        payloads, complete = await lever_pages(
            base,
            board,
            lambda url: self._json(kind, board, url),
            details=False,
            cut_short="not used: its picks are checked by their pages",
        )
        if not complete:
            return None
        ids: set[str] = set()
        for payload in payloads:
            part = listed(kind, payload) if isinstance(payload, list) else None
            if part is None:
                return None
            ids |= part.ids
        return self._usable(kind, board, Listing(frozenset(ids)))

    async def _json(self, kind: str, board: str, url: str) -> Any:
        # The owner configured the board: its API is trusted (no robots.txt, no guard).
        answer = await self.polite.get(url, self.board_max_bytes, trusted=True)
        if isinstance(answer, Verdict) or answer.status != 200:
            reason = answer.reason if isinstance(answer, Verdict) else f"HTTP {answer.status}"
            log.info("%s board %s: %s; its picks are checked by their pages", kind, board, reason)
            return None
        try:
            return json.loads(answer.body)
        except ValueError:
            log.info("%s board %s: not JSON; its picks are checked by their pages", kind, board)
            return None

    @staticmethod
    def _usable(kind: str, board: str, listing: Listing | None) -> Listing | None:
        # An empty board is as likely a glitch as a company that closed every job at once.
        if listing is None or not listing.ids:
            log.info(
                "%s board %s: no jobs listed; its picks are checked by their pages", kind, board
            )
            return None
        return listing


async def check_all(
    picks: Sequence[Pick], config: Config, today: dt.date, clock: Clock | None = None
) -> tuple[dict[str, Verdict], int]:
    """A verdict for each pick (by id) and the number of HTTP requests made."""
    settings = config.liveness
    async with Polite(settings, config.fetch.user_agent, clock) as polite:
        checker = Checker(polite, today, board_bases(config.sources), config.fetch.max_bytes)
        tasks = {pick.id: asyncio.create_task(checker.verdict(pick)) for pick in picks}
        if tasks:
            await asyncio.wait(tasks.values(), timeout=settings.deadline + _GRACE)
        verdicts: dict[str, Verdict] = {}
        for pick_id, task in tasks.items():
            if task.done():
                verdicts[pick_id] = task.result()  # `verdict` turns every failure into one
            else:
                task.cancel()
                verdicts[pick_id] = Verdict("unknown", "deadline reached", skipped="deadline")
        for board_task in checker.boards.values():
            board_task.cancel()
        return verdicts, polite.requests


@dataclass
class CheckResult:
    date: dt.date
    days: int
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    already_closed: int = 0
    older: int = 0
    """Picks past the daily window that were due for their weekly or monthly check."""
    requests: int = 0
    written: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    def counts(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for verdict in self.verdicts.values():
            counts[f"skipped_{verdict.skipped}" if verdict.skipped else verdict.status] += 1
        return counts

    def summary(self) -> str:
        c = self.counts()
        checked = c["open"] + c["closed"] + c["unknown"]
        older = f" and {self.older} older ones due" if self.older else ""
        pages_part = f"; {plural(len(self.written), 'page')} updated" if self.written else ""
        return (
            f"Checked {checked} picks of the {self.days} days before {self.date}{older}: "
            f"{c['open']} open, {c['closed']} closed (new), {c['unknown']} unknown; "
            f"skipped {c['skipped_cap']} by the request cap, {c['skipped_deadline']} by the "
            f"deadline; {self.already_closed} closed earlier; {self.requests} requests in "
            f"{self.seconds:.1f} s{pages_part}"
        )


def check_picks(config: Config, *, today: dt.date, clock: Clock | None = None) -> CheckResult:
    """Check the picks that are due (see `history`) and record on their pages what was found.

    The docs lock is taken first and held to the end: a second command learns at once that
    it cannot run, instead of a check learning it after its network work.
    """
    started = time.perf_counter()
    settings = config.liveness
    result = CheckResult(date=today, days=settings.days)
    with exclusive_lock(config.docs_dir, "running"):
        pages_read = history.window(config.picks_dir, today, history.horizon(settings))
        todo: dict[str, Pick] = {}
        for _, day in pages_read:
            age = (today - day.date).days
            for pick in day.picks:
                if pick.closed is not None:
                    result.already_closed += age <= settings.days
                elif pick.id not in todo and history.is_due(pick, age, today, settings):
                    todo[pick.id] = pick
                    result.older += age > settings.days
        result.verdicts, result.requests = asyncio.run(
            check_all(list(todo.values()), config, today, clock)
        )
        for pick_id, verdict in result.verdicts.items():
            pick = todo[pick_id]
            if verdict.status == "closed":
                log.info(
                    "closed: %s - %s <%s> (%s)", pick.company, pick.title, pick.url, verdict.reason
                )
            else:
                log.debug("%s: %s (%s)", verdict.skipped or verdict.status, pick_id, verdict.reason)
        if any(v.status != "unknown" for v in result.verdicts.values()):
            paths = [path for path, _ in pages_read]
            result.written = history.record(config.picks_dir, paths, result.verdicts, today)
    result.seconds = time.perf_counter() - started
    return result
