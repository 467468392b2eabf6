"""A local HTTP server on 127.0.0.1 that serves feeds as a test tells it to, and records requests."""

from __future__ import annotations

import gzip
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from tests.localserver import LocalServer, QuietHandler


@dataclass
class Route:
    """What one path answers."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    chunked: bool = False
    gzip: bool = False
    truncate: bool = False


@dataclass
class Seen:
    """One request as it arrived."""

    path: str
    headers: dict[str, str]


class FeedServer(LocalServer):
    """Start with start(), stop with stop(); routes may change while it runs."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        super().__init__()

    def url(self, path: str) -> str:
        """The absolute URL of a path on this server."""
        return self.address + path

    def route(self, path: str, body: bytes | str = b"", **options: object) -> str:
        """Serve body at path; returns the URL."""
        self.routes[path] = Route(body=body.encode() if isinstance(body, str) else body, **options)
        return self.url(path)

    def hits(self, path: str) -> list[Seen]:
        """The requests that asked for path."""
        return [seen for seen in self.requests if seen.path == path]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                server.requests.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = server.routes.get(self.path)
                if route is None:
                    return self._send(404, {}, b"not found")
                time.sleep(route.delay)
                if self._not_modified(route):
                    return self._send(304, self._validators(route), b"")
                body = gzip.compress(route.body) if route.gzip else route.body
                headers = self._validators(route) | route.headers
                if route.gzip:
                    headers["Content-Encoding"] = "gzip"
                self._send(route.status, headers, body, chunked=route.chunked, truncate=route.truncate)

            def _not_modified(self, route: Route) -> bool:
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    return True
                return bool(route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified)

            def _validators(self, route: Route) -> dict[str, str]:
                found = {"ETag": route.etag, "Last-Modified": route.last_modified}
                return {k: v for k, v in found.items() if v}

            def _send(self, status: int, headers: dict[str, str], body: bytes,
                      chunked: bool = False, truncate: bool = False) -> None:
                self.send_response(status)
                headers = {"Content-Type": "application/rss+xml; charset=utf-8", "Connection": "close"} | headers
                for name, value in headers.items():
                    self.send_header(name, value)
                if chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                else:
                    self.send_header("Content-Length", str(len(body) * (2 if truncate else 1)))
                self.end_headers()
                try:
                    self._write(body, chunked)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should for oversized bodies

            def _write(self, body: bytes, chunked: bool) -> None:
                if not chunked:
                    self.wfile.write(body)
                    return
                for start in range(0, len(body), 65536):
                    piece = body[start : start + 65536]
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")

        return Handler
