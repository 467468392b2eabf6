"""Fetching feeds: httpx conditional GET with size, time and redirect limits; local files too.

The only module of the ingest path that touches the network. It reports what happened
(FetchResult) and never decides what that means for the feed's schedule (see bot.ingest.feedpolicy).
"""

from __future__ import annotations

import asyncio
import email.utils
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

# httpx imports its command-line client (click, rich.syntax, pygments: half of its own import) whenever
# click is installed, as spaCy's requirements make it; it falls back to a stub when that import fails,
# which an entry of None makes it do. Nothing here runs the httpx command.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
# httpcore asks sniffio which async library runs, importing it anew for every request, lock and event
# it makes (six a request); sniffio is not installed beside anyio 4, and a failed import searches the
# whole path again each time. Recorded as absent, the import fails at once, as it would anyway.
try:
    import sniffio  # noqa: F401
except ImportError:
    sys.modules["sniffio"] = None  # type: ignore[assignment]
import httpx  # noqa: E402

from bot.ingest.inflate import ACCEPT_ENCODING, DecodeFailed, Decoder
from bot.ingest.transport import PinnedTransport, Refused, Resolver, system_resolver

LOCAL_TYPES = {".atom": "application/atom+xml", ".rss": "application/rss+xml", ".rdf": "application/rdf+xml"}


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """How far a fetch may go."""

    timeout: float = 20.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    user_agent: str = "Frontbrief/0.1"
    allow_private: bool = False  # feeds on loopback, private or link-local addresses (tests, intranets)


@dataclass(slots=True)
class FetchResult:
    """What one fetch returned: a body, 'not modified', or an error with its kind."""

    url: str
    status: str  # "ok", "not_modified" or "error"
    http_status: int | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    retry_after: float | None = None
    error_kind: str | None = None
    error: str | None = None
    final_url: str | None = None

    @classmethod
    def failed(cls, url: str, kind: str, message: str, **extra: object) -> FetchResult:
        """An error result."""
        return cls(url=url, status="error", error_kind=kind, error=message, **extra)


class TooLarge(Exception):
    """The body grew past the limit while streaming."""


def make_client(limits: FetchLimits, resolve: Resolver = system_resolver) -> httpx.AsyncClient:
    """One shared client: redirects bounded, every connection (redirects too) made to the address
    its name was resolved to and checked at (bot.ingest.transport); bodies decoded by bot.ingest.inflate."""
    return httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=limits.max_redirects,
        timeout=httpx.Timeout(limits.timeout),
        headers={"User-Agent": limits.user_agent, "Accept": _ACCEPT, "Accept-Encoding": ACCEPT_ENCODING},
        trust_env=False,
        transport=PinnedTransport(resolve, limits.allow_private),
    )


_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"


async def fetch(client: httpx.AsyncClient, url: str, limits: FetchLimits,
                etag: str | None = None, last_modified: str | None = None) -> FetchResult:
    """Fetch a feed URL or local path; never raises for what the other side did."""
    if _is_local(url):
        return await asyncio.to_thread(read_local, url, limits.max_bytes)
    if urlsplit(url).scheme not in ("http", "https"):
        return FetchResult.failed(url, "refused", "only http(s) URLs, local paths and file:// URLs are feeds")
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        # The whole exchange is bounded, not just each read: a slow drip cannot hold us.
        return await asyncio.wait_for(_get(client, url, headers, limits), limits.timeout * 2)
    except (httpx.TimeoutException, TimeoutError):
        return FetchResult.failed(url, "timeout", f"no complete answer within {limits.timeout:g} s")
    except httpx.TooManyRedirects:
        return FetchResult.failed(url, "redirects", f"more than {limits.max_redirects} redirects (or a loop)")
    except Refused as exc:
        return FetchResult.failed(url, "refused", str(exc))
    except TooLarge:
        return FetchResult.failed(url, "too_large", f"body larger than {limits.max_bytes} bytes; refused")
    except (httpx.DecodingError, DecodeFailed) as exc:
        return FetchResult.failed(url, "decoding", f"could not decode the compressed body: {exc}")
    except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
        return FetchResult.failed(url, "network", f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


async def _get(client: httpx.AsyncClient, url: str, headers: dict[str, str], limits: FetchLimits) -> FetchResult:
    async with client.stream("GET", url, headers=headers) as response:
        common = {"http_status": response.status_code, "final_url": str(response.url),
                  "headers": dict(response.headers)}
        if response.status_code == 304:
            return FetchResult(url=url, status="not_modified", **common)
        if response.status_code != 200:
            retry = parse_retry_after(response.headers.get("retry-after"))
            message = f"HTTP {response.status_code} {response.reason_phrase}".strip()
            return FetchResult.failed(url, "http_status", message, retry_after=retry, **common)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limits.max_bytes:
            raise TooLarge
        body = await _read_capped(response, limits.max_bytes)
        return FetchResult(url=url, status="ok", body=body, etag=response.headers.get("etag"),
                           last_modified=response.headers.get("last-modified"), **common)


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    # Raw bytes off the wire, decoded a bounded piece at a time and counted after decompression:
    # a bomb of any nesting is stopped as soon as the decoded body passes the limit.
    decoder = Decoder(response.headers.get_list("content-encoding", split_commas=True))
    chunks, size = [], 0
    async for raw in response.aiter_raw():
        for piece in decoder.feed(raw):
            size += len(piece)
            if size > max_bytes:
                raise TooLarge
            chunks.append(piece)
    return b"".join(chunks)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²" is a digit to str.isdigit, not to float()
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _is_local(url: str) -> bool:
    return url.startswith("file://") or "://" not in url


def local_path(url: str) -> Path:
    """The file a local feed URL (a path or file:// URL) names."""
    return Path(unquote(urlsplit(url).path)) if url.startswith("file://") else Path(url)


def read_local(url: str, max_bytes: int) -> FetchResult:
    """Read a feed from disk, with the same size limit as over HTTP."""
    path = local_path(url)
    try:
        if path.stat().st_size > max_bytes:
            return FetchResult.failed(url, "too_large", f"file larger than {max_bytes} bytes; refused")
        body = path.read_bytes()
    except OSError as exc:
        return FetchResult.failed(url, "file", f"cannot read {path}: {exc.strerror or exc}")
    kind = LOCAL_TYPES.get(path.suffix.lower(), "application/xml")
    return FetchResult(url=url, status="ok", body=body, headers={"content-type": kind},
                       final_url=path.resolve().as_uri())
