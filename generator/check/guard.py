"""No internal fetches for strangers' links: loopback, private, link-local (169.254.169.254
included), reserved and unspecified addresses, and internal names, are refused after DNS
resolution and at every redirect hop, unless `liveness.allow_private`.

The refusal sits where connections are made (an httpcore network backend), so it holds for
every hop and for every address a name resolves to, and the connection goes to the address
that was checked: a name cannot resolve to a public address for the check and to a private
one for the connection.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Iterable

import httpcore
import httpx

from generator.errors import InternalAddressError

_INTERNAL_SUFFIXES = (
    ".localhost",
    ".local",
    ".localdomain",
    ".internal",
    ".intranet",
    ".lan",
    ".home",
    ".corp",
    ".home.arpa",
)
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_kind(address: Address) -> str:
    """What kind of address refused `address` is ("a loopback address"), or "" if public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for test, kind in (
        (address.is_unspecified, "an unspecified"),
        (address.is_loopback, "a loopback"),
        (address.is_link_local, "a link-local"),
        (address.is_reserved, "a reserved"),
        (address.is_multicast, "a multicast"),
        (address.is_private, "a private"),
        (not address.is_global, "a non-public"),
    ):
        if test:
            return f"{kind} address"
    return ""


def name_refusal(host: str) -> str:
    """Why `host` is refused before any DNS lookup (an internal name or address), or ""."""
    host = host.strip("[]").rstrip(".").lower()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        kind = address_kind(address)
        return f"{address} is {kind}" if kind else ""
    if host == "localhost" or host.endswith(_INTERNAL_SUFFIXES):
        return f"{host} is an internal name"
    if "." not in host:
        return f"{host} is an internal name (no domain)"
    return ""


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """Connections only to public addresses, each one checked after resolution."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        refusal = name_refusal(host)
        if refusal:
            raise InternalAddressError(refusal)
        try:
            found = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot find the host {host}: {exc}") from exc
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in found))
        for address in addresses:  # one private answer refuses the name: no mixed answers
            kind = address_kind(address)
            if kind:
                raise InternalAddressError(f"{host} resolves to {address}, {kind}")
        error: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                error = exc
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise InternalAddressError(f"a local socket ({path})")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with connections made by `_GuardedBackend`.

    httpx takes no network backend, so the connection pool it builds is replaced by one
    that has it (`_pool` is httpx's own attribute; tests/test_strangers.py fails if that
    ever changes). No proxy: the guard must see the addresses it connects to.
    """

    def __init__(self, max_connections: int, ssl_context: ssl.SSLContext) -> None:
        super().__init__(verify=ssl_context)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            network_backend=_GuardedBackend(),
        )
