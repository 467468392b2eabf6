"""The fetcher against a local HTTP server: validators, limits, compression, redirects, files."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from bot.ingest.fetch import FetchLimits, fetch, make_client, parse_retry_after
from tests.factories import rss

LIMITS = FetchLimits(timeout=1.0, max_bytes=100_000, max_redirects=3, user_agent="Frontbrief-test/1",
                     allow_private=True)


async def _get(url: str, **validators: str):
    async with make_client(LIMITS) as client:
        return await fetch(client, url, LIMITS, **validators)


async def test_a_200_returns_body_and_validators_and_sends_our_user_agent(server):
    url = server.route("/feed", rss(2), etag='"abc"', last_modified="Sun, 08 Jan 2023 10:00:00 GMT")
    result = await _get(url)
    assert result.status == "ok" and result.body == rss(2)
    assert result.etag == '"abc"' and result.last_modified == "Sun, 08 Jan 2023 10:00:00 GMT"
    assert server.hits("/feed")[0].headers["user-agent"] == "Frontbrief-test/1"


async def test_stored_validators_are_sent_and_304_is_not_modified(server):
    url = server.route("/feed", rss(2), etag='"abc"', last_modified="Sun, 08 Jan 2023 10:00:00 GMT")
    result = await _get(url, etag='"abc"', last_modified="Sun, 08 Jan 2023 10:00:00 GMT")
    sent = server.hits("/feed")[0].headers
    assert sent["if-none-match"] == '"abc"' and sent["if-modified-since"] == "Sun, 08 Jan 2023 10:00:00 GMT"
    assert result.status == "not_modified" and result.body == b""


async def test_gzip_bodies_are_decoded(server):
    url = server.route("/feed", rss(3), gzip=True)
    result = await _get(url)
    assert result.status == "ok" and result.body == rss(3)
    assert "gzip" in server.hits("/feed")[0].headers["accept-encoding"]


@pytest.mark.parametrize("chunked", [True, False], ids=["streamed", "declared-length"])
async def test_an_oversized_body_is_refused(server, chunked):
    url = server.route("/big", b"<rss>" + b"x" * 300_000, chunked=chunked)
    result = await _get(url)
    assert result.status == "error" and result.error_kind == "too_large"


async def test_a_gzip_bomb_is_stopped_by_the_decoded_size(server):
    bomb = gzip.compress(b"\0" * 20_000_000)
    assert len(bomb) < LIMITS.max_bytes  # small on the wire, huge once inflated
    url = server.route("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    result = await _get(url)
    assert result.error_kind == "too_large"


async def test_redirects_are_followed_within_the_limit_and_loops_refused(server):
    server.route("/feed", rss(1))
    server.route("/moved", status=301, headers={"Location": "/feed"})
    moved = await _get(server.url("/moved"))
    assert moved.status == "ok" and moved.final_url == server.url("/feed")
    server.route("/loop", status=302, headers={"Location": "/loop"})
    loop = await _get(server.url("/loop"))
    assert loop.error_kind == "redirects"


async def test_a_slow_server_times_out(server):
    url = server.route("/slow", rss(1), delay=1.5)
    result = await _get(url)
    assert result.error_kind == "timeout"


@pytest.mark.parametrize("status", [404, 500, 410])
async def test_http_errors_are_reported_with_their_status(server, status):
    url = server.route("/gone", b"nope", status=status)
    result = await _get(url)
    assert result.status == "error" and result.http_status == status and str(status) in result.error


async def test_retry_after_is_read_from_429_and_503(server):
    url = server.route("/busy", b"", status=429, headers={"Retry-After": "120"})
    assert (await _get(url)).retry_after == 120.0
    now = datetime(2023, 1, 8, 12, 0, tzinfo=UTC)
    assert parse_retry_after("Sun, 08 Jan 2023 12:30:00 GMT", now) == 1800.0
    assert parse_retry_after("whenever", now) is None


async def test_a_server_that_dies_mid_response_is_a_network_error(server):
    url = server.route("/cut", rss(5), truncate=True)
    result = await _get(url)
    assert result.status == "error" and result.error_kind in ("network", "timeout")


async def test_a_refused_connection_is_a_network_error(server):
    url = server.url("/x")
    server.stop()
    result = await _get(url)
    assert result.error_kind == "network"


async def test_local_paths_and_file_urls_are_read(tmp_path):
    path = tmp_path / "local feed.xml"
    path.write_bytes(rss(2))
    by_path = await _get(str(path))
    by_url = await _get(path.as_uri())
    assert by_path.status == by_url.status == "ok" and by_url.body == rss(2)
    missing = await _get(str(tmp_path / "nothing.xml"))
    assert missing.error_kind == "file"


async def test_feeds_on_non_public_addresses_are_refused_unless_allowed(server):
    url = server.route("/feed", rss(1))
    strict = FetchLimits(timeout=1.0)
    async with make_client(strict) as client:
        refused = await fetch(client, url, strict)
    assert refused.error_kind == "refused" and "non-public" in refused.error and server.hits("/feed") == []
    assert (await _get(url)).status == "ok"  # the tests allow loopback


async def test_only_web_and_local_feeds_are_fetched():
    async with make_client(LIMITS) as client:
        result = await fetch(client, "ftp://example.test/feed.xml", LIMITS)
    assert result.error_kind == "refused"
