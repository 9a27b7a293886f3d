"""`jobpicks check`: are recent picks still open? The first day a pick is seen closed is
recorded on its day page (`Pick.closed`), so the archive stops sending readers to dead links.

Signals, strongest first, and never "closed" on ambiguity:

1. A pick from a company board (Greenhouse, Lever, Ashby) missing from the board's payload
   today is closed; each board is fetched once per check, however many of its picks there are.
   A listed Greenhouse job whose `application_deadline` has passed is closed too.
2. Otherwise the posting's URL: 404 or 410, a redirect to the board's listing or search page,
   or a page that says so ("no longer accepting applications") is closed; a page that shows
   the posting is open. 403, 429, 999, 5xx, timeouts, bot walls and anything else are unknown,
   and unknown picks are simply checked again on a later day.

Checks are polite and bounded: at most `per_host` requests in flight per host, `Retry-After`
honoured while it fits in the deadline, one cap on requests and one deadline for the whole
check, so a slow or hostile host costs its own picks "unknown", never the run.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import html
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

import aiohttp

from generator import pages
from generator.config import BoardSource, Config, LivenessConfig
from generator.files import exclusive_lock
from generator.models import DayPage, Pick
from generator.sources.boards import API, LEVER_MAX_PAGES, LEVER_PAGE
from generator.text import html_to_text

log = logging.getLogger(__name__)

Status = Literal["open", "closed", "unknown"]
Skipped = Literal["", "cap", "deadline"]

_MAX_PAGE_BYTES = 2_000_000
"""A posting page is read up to here: every closed banner and title sits well before it."""
_MAX_OPEN = 64
"""Requests in flight at once over all hosts, so a history of many hosts never runs out of
sockets."""
_ATTEMPTS = 3
"""Tries per URL when a host answers 429 or 503 with a Retry-After that fits the deadline."""
_MAX_REDIRECTS = 5
_GRACE = 5.0
"""Seconds past the deadline before unfinished checks are abandoned (DNS lookups run in
threads that a timeout cannot interrupt)."""


@dataclass(frozen=True)
class Verdict:
    """What one check found, and why: the reason is what `-v` prints next to the pick."""

    status: Status
    reason: str
    skipped: Skipped = ""
    """Not checked at all: the request cap or the deadline came first."""


# --- Reading a posting page --------------------------------------------------------------

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})


def _normal(text: str) -> str:
    """Casefolded, ASCII quotes, single spaces: the alphabet every pattern below is spelt in."""
    return " ".join(text.translate(_QUOTES).casefold().split())


def _phrases(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


_NOUN = r"(?:job|position|role|posting|vacancy|opening|requisition)"
_GENERIC_CLOSED = _phrases(
    r"no longer accepting applications",
    rf"\b{_NOUN}(?: posting| listing)?(?: you are looking for| you're looking for)?"
    r" (?:is|has been) no longer (?:available|open|active|listed)",
    rf"\bthis {_NOUN}(?: posting| listing)? (?:has expired|has been closed|has been filled"
    r"|is closed\b(?!-))",
    r"\bjob posting has expired\b",
)
# A live posting often says how it will end: "applications are accepted until the position
# has been filled". A time or condition word just before a phrase makes it no banner.
_CONDITION = re.compile(r"\b(?:until|till|once|when|whenever|after|before|unless|if)\b")
# Anti-bot interstitials are short pages without the posting: never evidence of anything.
_BOT_WALL = _phrases(
    r"just a moment\.\.\.",
    r"checking your browser before",
    r"verify (?:that )?you are (?:a )?human",
    r"enable javascript and cookies to continue",
    r"attention required! \| cloudflare",
)
_LISTING_PATH = re.compile(r"/(?:search|jobs/search|job-search|jobs|careers|openings)$")


@dataclass(frozen=True)
class Site:
    """What one job site says on a closed posting, and whether its redirects mean anything."""

    name: str
    hosts: tuple[str, ...]
    """Host names ending in any of these are this site."""
    closed: tuple[re.Pattern[str], ...] = ()
    redirect_closes: bool = True
    """False where live postings redirect guests too (LinkedIn to its search or login,
    Indeed to its search), so a redirect alone is no evidence."""


SITES = (
    Site(
        "Greenhouse",
        ("greenhouse.io",),
        _phrases(r"the job you are looking for is no longer open"),
    ),
    Site(
        "Lever",
        ("lever.co",),
        _phrases(
            r"sorry, we couldn't find anything here",
            r"the job posting you're looking for might have closed",
        ),
    ),
    Site(
        "Ashby", ("ashbyhq.com",), _phrases(r"\bjob not found\b", r"\bthis job is no longer listed")
    ),
    Site(
        "Workday",
        ("myworkdayjobs.com", "myworkdaysite.com"),
        _phrases(r"the page you are looking for doesn't exist", r"this job posting is no longer"),
    ),
    Site(
        "LinkedIn",
        ("linkedin.com",),
        _phrases(r"no longer accepting applications", r"this job is no longer available"),
        redirect_closes=False,
    ),
    Site(
        "Indeed",
        ("indeed.com",),
        _phrases(r"this job has expired on indeed", r"this job has expired"),
        redirect_closes=False,
    ),
)
_ANY_SITE = Site("any site", ())


def site_for(url: str) -> Site:
    host = (urlsplit(url).hostname or "").lower()
    for site in SITES:
        if any(host == h or host.endswith("." + h) for h in site.hosts):
            return site
    return _ANY_SITE


def _closing_phrase(text: str, patterns: Iterable[re.Pattern[str]]) -> str:
    """The first phrase that announces a closure, "" when none does."""
    for pattern in patterns:
        for match in pattern.finditer(text):
            clause = re.split(r"[.!?;:|]", text[max(0, match.start() - 60) : match.start()])[-1]
            if not _CONDITION.search(clause):
                return match.group(0)
    return ""


def _same_site(a: str, b: str) -> bool:
    """Same host or the same last two labels (boards.greenhouse.io, job-boards.greenhouse.io)."""
    return a == b or a.split(".")[-2:] == b.split(".")[-2:]


def is_listing_redirect(url: str, final_url: str) -> bool:
    """True when asking for a posting landed on its board's listing or search page instead:
    Greenhouse's `?error=true`, or a page of the same site above the posting in the path."""
    if not site_for(url).redirect_closes:
        return False
    asked, landed = urlsplit(url), urlsplit(final_url)
    if ("error", "true") in parse_qsl(landed.query):
        return True
    if not _same_site((asked.hostname or "").lower(), (landed.hostname or "").lower()):
        return False
    asked_path, landed_path = asked.path.rstrip("/"), landed.path.rstrip("/")
    if not landed_path or landed_path == asked_path:
        return False
    return asked_path.startswith(landed_path + "/") or bool(_LISTING_PATH.search(landed_path))


def classify(url: str, status: int, final_url: str, markup: str, title: str) -> Verdict:
    """The verdict on one posting from its HTTP answer; pure, so every rule is testable alone.

    `url` is the pick's link, `final_url` where redirects ended, `markup` the page (for a
    2xx answer) and `title` the pick's title, which an open posting's page shows.
    """
    if status in (404, 410):
        return Verdict("closed", f"HTTP {status}")
    if not 200 <= status < 300:
        return Verdict("unknown", f"HTTP {status}")
    if final_url != url and is_listing_redirect(url, final_url):
        return Verdict("closed", f"redirected to the listing {final_url}")
    text = _normal(html_to_text(markup))
    if any(p.search(text) for p in _BOT_WALL):
        return Verdict("unknown", "a bot check instead of the page")
    site = site_for(final_url)
    phrase = _closing_phrase(text, (*site.closed, *_GENERIC_CLOSED))
    if phrase:
        return Verdict("closed", f"the page says {phrase!r}")
    wanted = _normal(title)
    if wanted and (wanted in text or wanted in _normal(html.unescape(markup))):
        return Verdict("open", "the posting is there")
    return Verdict("unknown", "the page does not show the posting")


# --- Boards -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    """What one board lists today: its jobs' ids (as `boards.py` writes them) and deadlines."""

    ids: frozenset[str]
    deadlines: dict[str, dt.date] = field(default_factory=dict)


def board_of(pick: Pick) -> tuple[str, str] | None:
    """(kind, board) for a pick that came from a company board: its id names the vendor and
    its source (`"greenhouse stripe"`) the board."""
    kind = pick.id.partition(":")[0]
    source_kind, _, board = pick.source.partition(" ")
    if kind not in API or source_kind != kind or not board or " " in board:
        return None
    return kind, board


def _deadline(value: object) -> dt.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def listed(kind: str, payload: Any) -> Listing | None:
    """The listing in a board's JSON; None for a shape this code does not know."""
    items = payload.get("jobs") if isinstance(payload, dict) else payload
    if not isinstance(items, list):
        return None
    jobs = [item for item in items if isinstance(item, dict) and item.get("id") is not None]
    if kind == "ashby":  # an unlisted Ashby job is no longer advertised
        jobs = [item for item in jobs if item.get("isListed") is not False]
    ids = frozenset(f"{kind}:{item['id']}" for item in jobs)
    deadlines = {
        f"{kind}:{item['id']}": day
        for item in jobs
        if (day := _deadline(item.get("application_deadline"))) is not None
    }
    return Listing(ids, deadlines)


def board_bases(sources: Sequence[object]) -> dict[tuple[str, str], str]:
    """The API base URL of each configured board (a source's `api_url` or the vendor's)."""
    bases: dict[tuple[str, str], str] = {}
    for source in sources:
        if isinstance(source, BoardSource):
            for board in source.boards:
                bases[(source.type, board)] = (source.api_url or API[source.type]).rstrip("/")
    return bases


# --- Polite HTTP ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One HTTP answer, read no further than the check needs."""

    url: str
    """The URL asked for; after redirects, the last one."""
    status: int
    body: bytes = b""
    encoding: str = "utf-8"
    location: str = ""
    retry_after: str = ""

    def text(self) -> str:
        try:
            return self.body.decode(self.encoding, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


def retry_after_seconds(value: str, now: dt.datetime) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None if absent
    or unreadable."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


@dataclass
class _Lane:
    """One host's share of a check: its slots and its own connections (at most `per_host`)."""

    slot: asyncio.Semaphore
    session: aiohttp.ClientSession


class Polite:
    """HTTP for one check: per-host slots, Retry-After pauses, a request cap and a deadline.

    Every refusal is a `Verdict` (unknown, or skipped) rather than an exception, because a
    host that fails is an answer about its own picks, never a reason to stop the check.
    Use it as an async context manager: leaving closes every host's connections.
    """

    def __init__(self, config: LivenessConfig, user_agent: str) -> None:
        self.config = config
        self.headers = {
            "User-Agent": user_agent,
            "Accept": "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8",
            "Accept-Encoding": "gzip, deflate",
        }
        self.ends = time.monotonic() + config.deadline
        self.budget = config.max_requests
        self.requests = 0
        self._open = asyncio.Semaphore(_MAX_OPEN)
        self._lanes: dict[str, _Lane] = {}
        self._paused_until: dict[str, float] = {}
        self._refused: dict[str, str] = {}

    async def __aenter__(self) -> Polite:
        return self

    async def __aexit__(self, *exc: object) -> None:
        for lane in self._lanes.values():
            await lane.session.close()

    def _lane(self, host: str) -> _Lane:
        if host not in self._lanes:
            session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.config.per_host),
                headers=self.headers,
                timeout=aiohttp.ClientTimeout(total=self.config.timeout),
            )
            self._lanes[host] = _Lane(asyncio.Semaphore(self.config.per_host), session)
        return self._lanes[host]

    async def get(self, url: str, max_bytes: int) -> Answer | Verdict:
        """GET `url`, following redirects hop by hop so each hop waits for its own host."""
        for _ in range(_MAX_REDIRECTS + 1):
            answer = await self._get_once(url, max_bytes)
            if isinstance(answer, Verdict) or not answer.location:
                return answer
            url = urljoin(url, answer.location)
            if urlsplit(url).scheme not in ("http", "https"):
                return Verdict("unknown", f"redirected to {url}")
        return Verdict("unknown", "too many redirects")

    async def _get_once(self, url: str, max_bytes: int) -> Answer | Verdict:
        host = urlsplit(url).netloc.lower()
        if not host:
            return Verdict("unknown", f"not a web address: {url!r}")
        lane = self._lane(host)
        async with lane.slot:
            answer: Answer | None = None
            for _ in range(_ATTEMPTS):
                refusal = await self._wait_turn(host)
                if refusal is not None:
                    return refusal
                self.budget -= 1
                self.requests += 1
                limit = min(self.config.timeout, self.ends - time.monotonic())
                try:
                    async with self._open, asyncio.timeout(limit):
                        answer = await self._request(lane.session, url, max_bytes)
                except TimeoutError:
                    return Verdict("unknown", f"{host}: no answer within {limit:.3g} s")
                except (aiohttp.ClientError, ValueError) as exc:
                    return Verdict("unknown", f"{host}: {exc or type(exc).__name__}")
                if answer.status == 999:  # LinkedIn's "go away": asking again only annoys it
                    self._refused[host] = "HTTP 999 (the site refuses automated requests)"
                if answer.status not in (429, 503):
                    return answer
                delay = retry_after_seconds(answer.retry_after, dt.datetime.now(dt.UTC))
                if delay is None:
                    if answer.status == 429:
                        self._refused[host] = "HTTP 429 without Retry-After"
                    return Verdict("unknown", f"HTTP {answer.status}")
                resume = time.monotonic() + delay
                if resume >= self.ends:
                    self._refused[host] = (
                        f"HTTP {answer.status}, Retry-After {delay:g} s is past the deadline"
                    )
                    return Verdict("unknown", self._refused[host])
                self._paused_until[host] = max(self._paused_until.get(host, 0.0), resume)
            assert answer is not None
            return Verdict("unknown", f"HTTP {answer.status} after {_ATTEMPTS} tries")

    async def _wait_turn(self, host: str) -> Verdict | None:
        """None when a request to `host` may go now; else why not."""
        pause = self._paused_until.get(host, 0.0) - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)
        if host in self._refused:
            return Verdict("unknown", f"{host}: {self._refused[host]}")
        if self.budget <= 0:
            return Verdict("unknown", "request cap reached", skipped="cap")
        if time.monotonic() >= self.ends:
            return Verdict("unknown", "deadline reached", skipped="deadline")
        return None

    @staticmethod
    async def _request(session: aiohttp.ClientSession, url: str, max_bytes: int) -> Answer:
        async with session.get(url, allow_redirects=False) as response:
            redirect = response.status in (301, 302, 303, 307, 308)
            chunks: list[bytes] = []
            if 200 <= response.status < 300:
                size = 0
                async for chunk in response.content.iter_chunked(65536):
                    chunks.append(chunk)
                    size += len(chunk)
                    if size >= max_bytes:
                        break
            return Answer(
                url=url,  # as asked: the client's normalised form would look like a redirect
                status=response.status,
                body=b"".join(chunks)[:max_bytes],
                encoding=response.charset or "utf-8",
                location=response.headers.get("Location", "") if redirect else "",
                retry_after=response.headers.get("Retry-After", ""),
            )


# --- The check -----------------------------------------------------------------------------


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
        key = board_of(pick)
        if key is not None:
            if key not in self.boards:
                self.boards[key] = asyncio.create_task(self._listing(*key))
            listing = await self.boards[key]
            if listing is not None:
                return self._from_listing(pick, key, listing)
        if not pick.url:
            return Verdict("unknown", "the pick has no link")
        answer = await self.polite.get(pick.url, _MAX_PAGE_BYTES)
        if isinstance(answer, Verdict):
            return answer
        return classify(pick.url, answer.status, answer.url, answer.text(), pick.title)

    def _from_listing(self, pick: Pick, key: tuple[str, str], listing: Listing) -> Verdict:
        board = f"{key[0]} board {key[1]!r}"
        if pick.id not in listing.ids:
            return Verdict("closed", f"no longer on the {board}")
        deadline = listing.deadlines.get(pick.id)
        if deadline is not None and deadline < self.today:
            return Verdict("closed", f"its application deadline {deadline} has passed")
        return Verdict("open", f"listed on the {board}")

    async def _listing(self, kind: str, board: str) -> Listing | None:
        """The board's listing, or None when it cannot be trusted (failed, empty, cut short):
        then its picks are checked by their pages like any other."""
        base = self.bases.get((kind, board), API[kind].rstrip("/"))
        slug = quote(board, safe="")
        if kind == "lever":
            ids: set[str] = set()
            for page in range(LEVER_MAX_PAGES):
                url = f"{base}/{slug}?mode=json&skip={page * LEVER_PAGE}&limit={LEVER_PAGE}"
                payload = await self._json(kind, board, url)
                part = listed(kind, payload) if isinstance(payload, list) else None
                if part is None:
                    return None
                ids |= part.ids
                if len(payload) < LEVER_PAGE:
                    return self._usable(kind, board, Listing(frozenset(ids)))
            log.info("lever board %s: over %d pages; not used", board, LEVER_MAX_PAGES)
            return None
        url = f"{base}/{slug}/jobs" if kind == "greenhouse" else f"{base}/{slug}"
        if kind == "ashby":
            url += "?includeCompensation=false"
        payload = await self._json(kind, board, url)
        listing = listed(kind, payload) if payload is not None else None
        return self._usable(kind, board, listing)

    async def _json(self, kind: str, board: str, url: str) -> Any:
        answer = await self.polite.get(url, self.board_max_bytes)
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
    picks: Sequence[Pick], config: Config, today: dt.date
) -> tuple[dict[str, Verdict], int]:
    """A verdict for each pick (by id) and the number of HTTP requests made."""
    settings = config.liveness
    async with Polite(settings, config.fetch.user_agent) as polite:
        checker = Checker(polite, today, board_bases(config.sources), config.fetch.max_bytes)
        tasks = {pick.id: asyncio.create_task(checker.verdict(pick)) for pick in picks}
        if tasks:
            await asyncio.wait(tasks.values(), timeout=settings.deadline + _GRACE)
        verdicts: dict[str, Verdict] = {}
        for pick_id, task in tasks.items():
            if task.done():
                verdicts[pick_id] = task.result()  # a bug here surfaces; hosts cannot raise
            else:
                task.cancel()
                verdicts[pick_id] = Verdict("unknown", "deadline reached", skipped="deadline")
        for board_task in checker.boards.values():
            board_task.cancel()
        return verdicts, polite.requests


# --- Pages -----------------------------------------------------------------------------------


@dataclass
class CheckResult:
    date: dt.date
    days: int
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    already_closed: int = 0
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
        pages_part = f"; {len(self.written)} page(s) updated" if self.written else ""
        return (
            f"Checked {checked} picks of the {self.days} days before {self.date}: "
            f"{c['open']} open, {c['closed']} closed (new), {c['unknown']} unknown; "
            f"skipped {c['skipped_cap']} by the request cap, {c['skipped_deadline']} by the "
            f"deadline; {self.already_closed} closed earlier; {self.requests} requests in "
            f"{self.seconds:.1f} s{pages_part}"
        )


def recent_pages(picks_dir: Path, today: dt.date, days: int) -> list[tuple[Path, DayPage]]:
    """The pages of the `days` days before `today`, newest first. Today's own page is left
    out: its picks were in today's feeds a moment ago."""
    first = today - dt.timedelta(days=days)
    found = []
    for path in pages.iter_page_paths(picks_dir):
        date = pages.page_date(path)
        if date is not None and first <= date < today:
            found.append((path, pages.read(path)))
    return sorted(found, key=lambda item: item[1].date, reverse=True)


def check_picks(config: Config, *, today: dt.date) -> CheckResult:
    """Check the recent picks and record on their pages the ones first seen closed today.

    Pages are read, checked over the network without the lock, then each page that gains a
    closed date is read again and written under the docs lock, so a `jobpicks run` meanwhile
    is never overwritten and an unchanged page is never rewritten.
    """
    started = time.perf_counter()
    days = config.liveness.days
    result = CheckResult(date=today, days=days)
    window = recent_pages(config.picks_dir, today, days)
    todo: dict[str, Pick] = {}
    for _, day in window:
        for pick in day.picks:
            if pick.closed is not None:
                result.already_closed += 1
            else:
                todo.setdefault(pick.id, pick)
    result.verdicts, result.requests = asyncio.run(check_all(list(todo.values()), config, today))
    for pick_id, verdict in result.verdicts.items():
        if verdict.status == "closed":
            pick = todo[pick_id]
            log.info(
                "closed: %s - %s <%s> (%s)", pick.company, pick.title, pick.url, verdict.reason
            )
        else:
            log.debug("%s: %s (%s)", verdict.skipped or verdict.status, pick_id, verdict.reason)
    closed = {i for i, v in result.verdicts.items() if v.status == "closed"}
    if closed:
        with exclusive_lock(config.docs_dir, "running"):
            result.written = record_closed(
                config.picks_dir, [path for path, _ in window], closed, today
            )
    result.seconds = time.perf_counter() - started
    return result


def record_closed(
    picks_dir: Path, paths: Iterable[Path], closed: set[str], today: dt.date
) -> list[Path]:
    """Give each still-open pick in `closed` the closed date `today`; returns the pages
    written. A pick closed earlier keeps its date: `closed` is the first day seen closed."""
    written = []
    for path in paths:
        day = pages.read(path)
        picks = tuple(
            pick.model_copy(update={"closed": today})
            if pick.id in closed and pick.closed is None
            else pick
            for pick in day.picks
        )
        if picks != day.picks:
            written.append(pages.write(day.model_copy(update={"picks": picks}), picks_dir))
    return written
