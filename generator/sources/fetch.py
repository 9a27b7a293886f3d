"""Getting a source's bytes: HTTP with one deadline and a size cap, or a local file.

Every failure becomes a `SourceError` whose message says what went wrong in words a user can
act on ("HTTP 404", "timed out after 20 s", "over the 10 MB cap"); the caller names the source.
`fetch.timeout` bounds a whole request (connect, headers and body together): httpx's own
timeouts are per read, so a server dribbling a byte a second would never trip them.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import httpx

from generator.config import FetchConfig, unsupported_scheme
from generator.errors import SourceError

T = TypeVar("T")


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def make_client(config: FetchConfig) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=httpx.Timeout(config.timeout),
        follow_redirects=True,
        max_redirects=5,
        headers={"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate"},
    )


async def fetch_bytes(location: str, config: FetchConfig, client: httpx.AsyncClient) -> bytes:
    """The body at `location` (URL or path), never more than `config.max_bytes`."""
    scheme = unsupported_scheme(location)
    if scheme:
        raise SourceError(f"{scheme}:// is not supported: use an http(s) URL or a local path")
    if not is_url(location):
        return _read_file(Path(location), config.max_bytes)
    try:
        async with asyncio.timeout(config.timeout):
            return await _download(location, config, client)
    except TimeoutError:
        raise SourceError(_timed_out(config)) from None
    except httpx.ConnectTimeout:
        host = httpx.URL(location).host
        raise SourceError(f"no answer from {host} within {config.timeout:g} s") from None
    except httpx.TimeoutException:
        raise SourceError(_timed_out(config)) from None
    except httpx.TooManyRedirects:
        raise SourceError("too many redirects") from None
    except httpx.DecodingError as exc:
        raise SourceError(f"cannot decode the response: {exc}") from None
    except httpx.HTTPError as exc:
        raise SourceError(network_problem(exc, _failing_host(exc, location))) from None
    except (httpx.InvalidURL, ValueError) as exc:  # a redirect to `http://[oops/`, a bad port
        raise SourceError(f"unusable address on the way: {exc}") from None


async def _download(location: str, config: FetchConfig, client: httpx.AsyncClient) -> bytes:
    async with client.stream("GET", location) as response:
        if response.status_code >= 400:
            raise SourceError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > config.max_bytes:
            raise SourceError(_too_big(config.max_bytes))
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > config.max_bytes:
                raise SourceError(_too_big(config.max_bytes))
            chunks.append(chunk)
        return b"".join(chunks)


def _timed_out(config: FetchConfig) -> str:
    return f"timed out after {config.timeout:g} s (fetch.timeout)"


def _failing_host(exc: httpx.HTTPError, location: str) -> str:
    """The host of the request that failed: after a redirect, not the one first asked."""
    try:
        return exc.request.url.host
    except RuntimeError:  # no request attached
        return httpx.URL(location).host


def network_problem(exc: BaseException, host: str) -> str:
    """What went wrong reaching `host`, in plain words instead of "[Errno 111] ...".

    httpx keeps the operating system's error in the exception chain; the words follow it.
    """
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    text = " ".join(str(e) for e in chain)
    for error in chain:
        if isinstance(error, ConnectionRefusedError) or "[Errno 111]" in text:
            return f"connection refused by {host} (is the server running, and the port right?)"
        if isinstance(error, socket.gaierror) or "Name or service not known" in text:
            return f"cannot find the host {host} (DNS lookup failed: check the URL and network)"
        if isinstance(error, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in text:
            reason = getattr(error, "reason", None) or "handshake failed"
            return f"TLS error with {host}: {reason}"
        if isinstance(error, ConnectionResetError):
            return f"connection reset by {host}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"{host} closed the connection without a complete answer"
    if isinstance(exc, httpx.NetworkError):
        return f"network error talking to {host}: {exc or type(exc).__name__}"
    return f"cannot fetch: {exc or type(exc).__name__}"


def _read_file(path: Path, max_bytes: int) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise SourceError("file not found") from None
    except OSError as exc:
        raise SourceError(f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise SourceError(_too_big(max_bytes))
    return data


def _too_big(max_bytes: int) -> str:
    return f"response is over the {max_bytes / 1_000_000:g} MB size cap (fetch.max_bytes)"


async def in_daemon_thread(work: Callable[[], T]) -> T:
    """`work()` in a daemon thread: awaiting it can be given up at a deadline, and a call
    that never returns holds neither the event loop nor the process's exit."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def settle(value: T | None, error: BaseException | None) -> None:
        if done.cancelled():
            return
        if error is not None:
            done.set_exception(error)
        else:
            done.set_result(value)  # type: ignore[arg-type]

    def run() -> None:
        value: T | None = None
        error: BaseException | None = None
        try:
            value = work()
        except BaseException as exc:  # handed to the awaiting task, which decides
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop ended meanwhile: nobody waits
            loop.call_soon_threadsafe(settle, value, error)

    threading.Thread(target=run, daemon=True, name="jobpicks-blocking").start()
    return await done
