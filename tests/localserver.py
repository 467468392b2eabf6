"""What the local test servers share: an HTTP server on 127.0.0.1 in a thread, started and stopped."""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 and no request log on stderr. Nagle off: headers and body go out as separate writes,
    and with Nagle on each keep-alive answer waits for the client's delayed ACK (~40 ms)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    """A client that goes away mid-request (a process the test killed) is expected, not an error.
    The listen backlog is a real server's, not socketserver's 5: a client opening 8 connections at
    once would otherwise see one dropped and retried by TCP a second later."""

    request_queue_size = 128

    def handle_error(self, request: object, client_address: tuple) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LocalServer:
    """Subclasses give `_handler()`; `start()` serves on a free loopback port until `stop()`."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    @property
    def address(self) -> str:
        """http://127.0.0.1:PORT"""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
