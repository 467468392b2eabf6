"""The fetcher's connections: every host name (redirects included) is resolved once, its addresses
are checked, and the connection is made to a checked address; the Host header and TLS SNI keep the
name. A check that resolves apart from the connection lets DNS rebinding through (public at the
check, 127.0.0.1 at the connect), so the two are one step here."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import typing
from collections.abc import Awaitable, Callable

import httpcore
import httpx

# host, port → addresses: the seam where tests put their own answers (no real DNS).
Resolver = Callable[[str, int], Awaitable[list[str]]]


class Refused(Exception):
    """A request to an address feeds may not live at (loopback, private, link-local)."""


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the operating system gives for a name, in its order, each once."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public(address: str) -> bool:
    """Whether an address may be fetched from with private feeds not allowed."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
                or ip.is_multicast or ip.is_unspecified)


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses it resolved and checked itself."""

    def __init__(self, resolve: Resolver, allow_private: bool) -> None:
        self.resolve, self.allow_private = resolve, allow_private
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: typing.Iterable[typing.Any] | None = None) -> httpcore.AsyncNetworkStream:
        """Resolve, check every address, then connect to the checked ones in turn."""
        addresses = await self._checked(host, port)
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                    socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure or httpcore.ConnectError(f"{host} has no address")

    async def _checked(self, host: str, port: int) -> list[str]:
        try:
            addresses = await self.resolve(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
        if not self.allow_private:
            for address in addresses:
                if not is_public(address):
                    raise Refused(f"{host} resolves to {address}, a non-public address; feeds must be public")
        return addresses

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: typing.Iterable[typing.Any] | None = None) -> httpcore.AsyncNetworkStream:
        """Feeds are never fetched over a local socket."""
        raise Refused("feeds are not fetched over local sockets")

    async def sleep(self, seconds: float) -> None:
        """As the inner backend sleeps."""
        await self.inner.sleep(seconds)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport, with its connection pool on the pinning backend."""

    def __init__(self, resolve: Resolver, allow_private: bool) -> None:
        # One TLS context for both pools: each loads the CA bundle (tens of ms, every process start).
        ssl_context = httpx.create_ssl_context(trust_env=False)
        super().__init__(verify=ssl_context, trust_env=False)
        # httpx takes no network backend, so its pool (the attribute its methods use) is replaced.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context, max_connections=100,
            max_keepalive_connections=20, keepalive_expiry=5.0,
            network_backend=PinnedBackend(resolve, allow_private))
