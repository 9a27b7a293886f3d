"""HTTP for one check: per-host slots, `robots.txt`, Retry-After and 429 pauses, a request
cap and one deadline, and no internal fetches for strangers' links.

Every refusal is a `Verdict` (unknown, or skipped) rather than an exception, because a host
that fails is an answer about its own picks, never a reason to stop the check.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from generator.check.classify import Verdict
from generator.check.guard import GuardedTransport
from generator.config import LivenessConfig
from generator.errors import InternalAddressError

_MAX_OPEN = 64
"""Requests in flight at once over all hosts, so a history of many hosts never runs out of
sockets."""
_ATTEMPTS = 3
"""Tries per URL when a host answers 429 or 503 and asks (or is given) a pause that fits."""
_MAX_REDIRECTS = 5
_PAUSE = 15.0
"""Seconds a host that answered 429 without Retry-After is left alone before it is asked
again; doubled at each further 429 from it."""
_ROBOTS_BYTES = 500_000
"""RFC 9309: a crawler must read at least 500 KiB of a robots.txt."""
_REDIRECTS = (301, 302, 303, 307, 308)
_REFUSED = "not fetched: "


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


@dataclass(frozen=True)
class Clock:
    """The check's time: real by default; tests pass one that jumps instead of waiting."""

    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


@dataclass
class _Lane:
    """One host's share of a check: its slots, its client, its pauses."""

    slot: asyncio.Semaphore
    client: httpx.AsyncClient
    paused_until: float = 0.0
    pauses: int = 0
    refused: str = ""
    """Set when the host asked to be left alone for the rest of the check."""


class Polite:
    """Use as an async context manager: leaving closes every host's connections."""

    def __init__(self, config: LivenessConfig, user_agent: str, clock: Clock | None = None):
        self.config = config
        self.clock = clock or Clock()
        self.headers = {
            "User-Agent": user_agent,
            "Accept": "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8",
            "Accept-Encoding": "gzip, deflate",
        }
        self.ends = self.clock.now() + config.deadline
        self.budget = config.max_requests
        self.requests = 0
        self._open = asyncio.Semaphore(_MAX_OPEN)
        self._ssl = httpx.create_ssl_context()
        self._lanes: dict[tuple[str, bool], _Lane] = {}
        self._robots: dict[str, asyncio.Task[Protego | str]] = {}
        """Each origin's robots.txt rules, or why there are none to trust (then nothing of
        that origin is fetched); read once per check."""

    async def __aenter__(self) -> Polite:
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in self._robots.values():
            task.cancel()
        for lane in self._lanes.values():
            await lane.client.aclose()

    def _lane(self, host: str, trusted: bool) -> _Lane:
        """The lane of `host` (`name:port`): owner-configured URLs get lanes of their own,
        without the internal-address guard."""
        key = (host, trusted)
        if key not in self._lanes:
            per_host = self.config.per_host
            guarded = not trusted and not self.config.allow_private
            client = httpx.AsyncClient(
                headers=self.headers,
                timeout=httpx.Timeout(self.config.timeout),
                verify=self._ssl,
                transport=GuardedTransport(per_host, self._ssl) if guarded else None,
                limits=httpx.Limits(max_connections=per_host),
                trust_env=not guarded,
            )
            self._lanes[key] = _Lane(asyncio.Semaphore(per_host), client)
        return self._lanes[key]

    async def get(self, url: str, max_bytes: int, *, trusted: bool = False) -> Answer | Verdict:
        """GET `url`, following redirects hop by hop so each hop waits for its own host,
        is checked against its own robots.txt and refused if internal.

        `trusted` is for URLs the owner configured (board APIs): no robots.txt, no guard."""
        for _ in range(_MAX_REDIRECTS + 1):
            try:
                parts = urlsplit(url)
                parts.port  # noqa: B018 - reading it is the check (`:99999` raises)
            except ValueError as exc:
                return Verdict("unknown", f"an unusable address {url[:200]!r}: {exc}")
            if parts.scheme not in ("http", "https") or not parts.hostname:
                return Verdict("unknown", f"not a web address: {url[:200]!r}")
            if not trusted:
                refusal = await self._robots_refusal(url)
                if refusal is not None:
                    return refusal
            answer = await self._get_once(url, max_bytes, trusted)
            if isinstance(answer, Verdict) or not answer.location:
                return answer
            try:
                url = urljoin(url, answer.location)
            except ValueError as exc:  # `Location: http://[oops/`
                return Verdict(
                    "unknown", f"redirected to an unusable address {answer.location!r}: {exc}"
                )
        return Verdict("unknown", "too many redirects")

    async def _robots_refusal(self, url: str) -> Verdict | None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        if origin not in self._robots:
            self._robots[origin] = asyncio.create_task(self._read_robots(origin))
        rules = await self._robots[origin]
        if isinstance(rules, str):
            return Verdict("unknown", f"{_REFUSED}{rules}")
        # The User-Agent sent, not a name of our own: a site's rules for the owner's
        # `fetch.user_agent` must hold. Protego finds the product token inside it.
        if not rules.can_fetch(url, self.headers["User-Agent"]):
            return Verdict("unknown", f"{_REFUSED}{origin}/robots.txt disallows it")
        return None

    async def _read_robots(self, origin: str) -> Protego | str:
        """The origin's robots.txt (RFC 9309): none (4xx) allows everything; one that cannot
        be read (5xx, 429, no answer, an internal address) allows nothing."""
        url = f"{origin}/robots.txt"
        answer: Answer | Verdict = Verdict("unknown", "")
        for _ in range(_MAX_REDIRECTS + 1):
            answer = await self._get_once(url, _ROBOTS_BYTES, trusted=False)
            if isinstance(answer, Verdict) or not answer.location:
                break
            try:
                url = urljoin(url, answer.location)
            except ValueError:
                return f"{origin}/robots.txt redirects to an unusable address"
        if isinstance(answer, Verdict):
            if answer.reason.startswith(_REFUSED):  # the address itself: said as it is
                return answer.reason.removeprefix(_REFUSED)
            return f"{origin}/robots.txt cannot be read ({answer.reason})"
        if answer.location or answer.status == 429 or answer.status >= 500:
            return f"{origin}/robots.txt cannot be read (HTTP {answer.status})"
        if answer.status >= 400:
            return Protego.parse("")
        return Protego.parse(answer.text())

    async def _get_once(self, url: str, max_bytes: int, trusted: bool) -> Answer | Verdict:
        host = urlsplit(url).netloc.lower()
        lane = self._lane(host, trusted)
        async with lane.slot:
            answer: Answer | None = None
            for _ in range(_ATTEMPTS):
                refusal = await self._wait_turn(lane, host)
                if refusal is not None:
                    return refusal
                self.budget -= 1
                self.requests += 1
                limit = min(self.config.timeout, self.ends - self.clock.now())
                try:
                    async with self._open, asyncio.timeout(limit):
                        answer = await self._request(lane.client, url, max_bytes)
                except TimeoutError:
                    return Verdict("unknown", f"{host}: no answer within {limit:.3g} s")
                except InternalAddressError as exc:
                    return Verdict("unknown", f"{_REFUSED}{exc.message}")
                except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
                    return Verdict("unknown", f"{host}: {exc or type(exc).__name__}")
                if answer.status == 999:  # LinkedIn's "go away": asking again only annoys it
                    lane.refused = "HTTP 999 (the site refuses automated requests)"
                if answer.status not in (429, 503):
                    return answer
                pause = self._pause(lane, answer)
                if isinstance(pause, Verdict):
                    return pause
            assert answer is not None
            return Verdict("unknown", f"HTTP {answer.status} after {_ATTEMPTS} tries")

    def _pause(self, lane: _Lane, answer: Answer) -> Verdict | None:
        """Pause the host as its 429 or 503 asks; a Verdict when asking again cannot fit."""
        delay = retry_after_seconds(answer.retry_after, dt.datetime.now(dt.UTC))
        if delay is None:
            if answer.status != 429:
                return Verdict("unknown", f"HTTP {answer.status}")
            # No Retry-After: leave the host alone a while, then ask again in this check.
            delay = _PAUSE * 2**lane.pauses
            lane.pauses += 1
            asked = f"HTTP 429 without Retry-After; a {delay:g} s pause"
        else:
            asked = f"HTTP {answer.status}, Retry-After {delay:g} s"
        resume = self.clock.now() + delay
        if resume >= self.ends:
            lane.refused = f"{asked} is past the deadline"
            return Verdict("unknown", lane.refused)
        lane.paused_until = max(lane.paused_until, resume)
        return None

    async def _wait_turn(self, lane: _Lane, host: str) -> Verdict | None:
        """None when a request to the lane's host may go now; else why not."""
        pause = lane.paused_until - self.clock.now()
        if pause > 0:
            await self.clock.sleep(pause)
        if lane.refused:
            return Verdict("unknown", f"{host}: {lane.refused}")
        if self.budget <= 0:
            return Verdict("unknown", "request cap reached", skipped="cap")
        if self.clock.now() >= self.ends:
            return Verdict("unknown", "deadline reached", skipped="deadline")
        return None

    @staticmethod
    async def _request(client: httpx.AsyncClient, url: str, max_bytes: int) -> Answer:
        async with client.stream("GET", url, follow_redirects=False) as response:
            chunks: list[bytes] = []
            if 200 <= response.status_code < 300:
                size = 0
                async for chunk in response.aiter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size >= max_bytes:
                        break
            redirect = response.status_code in _REDIRECTS
            return Answer(
                url=url,  # as asked: the client's normalised form would look like a redirect
                status=response.status_code,
                body=b"".join(chunks)[:max_bytes],
                encoding=response.charset_encoding or "utf-8",
                location=response.headers.get("Location", "") if redirect else "",
                retry_after=response.headers.get("Retry-After", ""),
            )
