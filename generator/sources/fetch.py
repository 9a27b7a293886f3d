"""Getting a source's bytes: HTTP with a deadline and a size cap, or a local file.

Every failure becomes a `SourceError` whose message says what went wrong in words a user can
act on ("HTTP 404", "timed out after 20 s", "over the 10 MB cap"); the caller names the source.
"""

from __future__ import annotations

import socket
import ssl
import time
from pathlib import Path

import httpx

from generator.config import FetchConfig
from generator.errors import SourceError


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def make_client(config: FetchConfig) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(config.timeout),
        follow_redirects=True,
        max_redirects=5,
        headers={"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate"},
    )


def fetch_bytes(location: str, config: FetchConfig, client: httpx.Client) -> bytes:
    """The body at `location` (URL or path), never more than `config.max_bytes`."""
    if not is_url(location):
        return _read_file(Path(location), config.max_bytes)
    deadline = time.monotonic() + config.timeout
    try:
        with client.stream("GET", location) as response:
            if response.status_code >= 400:
                raise SourceError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > config.max_bytes:
                raise SourceError(_too_big(config.max_bytes))
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > config.max_bytes:
                    raise SourceError(_too_big(config.max_bytes))
                if time.monotonic() > deadline:
                    raise SourceError(f"timed out after {config.timeout:g} s")
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.ConnectTimeout:
        host = httpx.URL(location).host
        raise SourceError(f"no answer from {host} within {config.timeout:g} s") from None
    except httpx.TimeoutException:
        raise SourceError(f"timed out after {config.timeout:g} s") from None
    except httpx.TooManyRedirects:
        raise SourceError("too many redirects") from None
    except httpx.DecodingError as exc:
        raise SourceError(f"cannot decode the response: {exc}") from None
    except httpx.HTTPError as exc:
        raise SourceError(network_problem(exc, httpx.URL(location).host)) from None


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
