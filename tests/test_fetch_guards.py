"""The fetcher's guards against a hostile server or resolver: nested compression bombs are stopped
while they inflate, and a host name is resolved once, so DNS rebinding cannot reach loopback."""

from __future__ import annotations

import gzip
import socket
import tracemalloc
import zlib

import pytest

from bot.ingest.fetch import FetchLimits, fetch, make_client
from tests.factories import rss

LIMITS = FetchLimits(timeout=1.0, max_bytes=100_000, max_redirects=3, user_agent="Frontbrief-test/1",
                     allow_private=True)
STRICT = FetchLimits(timeout=1.0, max_bytes=100_000, max_redirects=3, user_agent="Frontbrief-test/1")
PUBLIC = "93.184.216.34"  # a public address; the tests never really connect to it


async def _get(url: str, limits: FetchLimits = LIMITS, **client: object):
    async with make_client(limits, **client) as http:
        return await fetch(http, url, limits)


@pytest.mark.parametrize("layers", [["gzip", "gzip"], ["gzip", "deflate", "gzip"], ["deflate", "gzip"]])
async def test_a_nested_bomb_is_stopped_while_it_inflates(server, layers):
    body = b"\0" * 50_000_000
    for layer in layers:  # applied in the order the header lists them
        body = gzip.compress(body, 9) if layer == "gzip" else zlib.compress(body, 9)
    assert len(body) < 100_000
    url = server.route("/bomb", body, headers={"Content-Encoding": ", ".join(layers)})
    tracemalloc.start()
    try:
        result = await _get(url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.error_kind == "too_large"
    assert peak < 5_000_000, f"{peak} bytes held while decoding a body capped at {LIMITS.max_bytes}"


@pytest.mark.parametrize("layers", [["gzip", "gzip"], ["deflate"], ["identity", "gzip"]])
async def test_every_layer_of_a_real_feed_is_undone(server, layers):
    body = rss(3)
    for layer in layers:
        body = {"gzip": gzip.compress, "deflate": zlib.compress}.get(layer, bytes)(body)
    url = server.route("/feed", body, headers={"Content-Encoding": ", ".join(layers)})
    result = await _get(url)
    assert result.status == "ok" and result.body == rss(3)


async def test_an_unknown_encoding_is_a_decoding_error(server):
    url = server.route("/feed", b"\x00\x01", headers={"Content-Encoding": "br"})
    result = await _get(url)
    assert result.error_kind == "decoding" and "br" in result.error


@pytest.fixture
def rebinding_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The OS resolver answers rebind.test with a public address first and 127.0.0.1 after (TTL 0);
    connections to the public address are refused. Returns the addresses connected to."""
    real_resolve, real_connect = socket.getaddrinfo, socket.socket.connect
    asked: list[str] = []
    connected: list[str] = []

    def resolve(host, port, *args, **kwargs):
        if (host.decode() if isinstance(host, bytes) else host) != "rebind.test":  # anyio asks in bytes
            return real_resolve(host, port, *args, **kwargs)
        address = PUBLIC if not asked else "127.0.0.1"
        asked.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port)))]

    def connect(self, address):
        connected.append(address[0])
        if address[0] == PUBLIC:
            raise ConnectionRefusedError(111, "Connection refused")
        return real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket.socket, "connect", connect)
    return connected


async def test_dns_rebinding_cannot_reach_loopback(server, rebinding_dns):
    server.route("/feed", rss(7))
    port = server.url("/").rsplit(":", 1)[1].split("/")[0]
    result = await _get(f"http://rebind.test:{port}/feed", STRICT)
    assert server.hits("/feed") == []  # nothing was fetched from 127.0.0.1
    assert rebinding_dns == [PUBLIC] and result.status == "error" and result.error_kind == "network"


@pytest.fixture
def public_alias(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Connections to the public address land on loopback (where the test server is), as if it
    were the outlet's server. Returns the addresses connected to."""
    real_connect = socket.socket.connect
    connected: list[str] = []

    def connect(self, address):
        connected.append(address[0])
        return real_connect(self, ("127.0.0.1", address[1]) if address[0] == PUBLIC else address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return connected


async def _names(host: str, port: int) -> list[str]:
    """The project's resolver seam: a public outlet and a name that points inside."""
    return {"outlet.test": [PUBLIC], "inside.test": ["10.0.0.7"]}[host]


async def test_a_public_name_is_fetched_from_its_checked_address_with_its_own_host_header(server, public_alias):
    server.route("/feed", rss(1))
    port = server.url("/").rsplit(":", 1)[1].split("/")[0]
    result = await _get(f"http://outlet.test:{port}/feed", STRICT, resolve=_names)
    assert result.status == "ok" and public_alias == [PUBLIC]
    assert server.hits("/feed")[0].headers["host"] == f"outlet.test:{port}"


async def test_a_redirect_to_a_name_that_resolves_inside_is_refused(server, public_alias):
    server.route("/feed", rss(1))
    port = server.url("/").rsplit(":", 1)[1].split("/")[0]
    server.route("/moved", status=302, headers={"Location": f"http://inside.test:{port}/feed"})
    result = await _get(f"http://outlet.test:{port}/moved", STRICT, resolve=_names)
    assert result.error_kind == "refused" and "10.0.0.7" in result.error
    assert server.hits("/moved") and not server.hits("/feed") and public_alias == [PUBLIC]
