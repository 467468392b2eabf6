"""Observability: an optional HTTP port with /healthz and Prometheus /metrics. Counts that live in
the database (feeds, articles, items, subscribers, delivery lag) are read at scrape time; what happens
in this process (articles stored, digests due at its last check, digest messages sent, send errors
by kind) is counted as it happens: working out which digests are due takes each subscriber's times
and zone, too much work for every scrape."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.core import GaugeMetricFamily

from storage.db import Engine, ping, session_scope
from storage.models import utcnow
from storage.stats import store_figures

REGISTRY = CollectorRegistry()
SENT = Counter("frontbrief_digests_sent", "Digest messages sent", registry=REGISTRY)
SEND_ERRORS = Counter("frontbrief_send_errors", "Telegram errors while sending, by kind", ["kind"], registry=REGISTRY)
IN_DOUBT = Counter("frontbrief_deliveries_in_doubt", "Digests taken over from a sender that died mid-way: "
                   "the message it had in flight may reach the chat twice", registry=REGISTRY)
DUE = Gauge("frontbrief_digests_due", "Digests due at this process's last check and not yet handled", registry=REGISTRY)
ARTICLES_IN = Counter("frontbrief_articles_ingested", "New articles stored by this process", registry=REGISTRY)


class StoreCollector:
    """Gauges read from the database when Prometheus scrapes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self):
        with session_scope(self.engine) as session:
            figures = store_figures(session, utcnow())
        for name, value, doc in (("feeds_ok", figures["feeds_ok"], "Feeds fetched without error"),
                                 ("feeds_failing", figures["feeds_failing"], "Feeds whose last fetch failed"),
                                 ("articles", figures["articles"], "Articles stored"),
                                 ("articles_per_minute", figures["articles_last_hour"] / 60,
                                  "Articles fetched in the last hour, per minute"),
                                 ("items", figures["items"], "Items (events)"),
                                 ("subscribers", figures["subscribers"], "Chats that get digests"),
                                 ("delivery_lag_seconds", figures["delivery_lag_seconds"],
                                  "Age of the oldest digest claimed but not yet sent")):
            yield GaugeMetricFamily(f"frontbrief_{name}", doc, value=float(value))


def serve(engine: Engine, port: int, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """Start /healthz and /metrics on a port, in a thread; returns the server (see stop())."""
    collector = StoreCollector(engine)
    REGISTRY.register(collector)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/healthz":
                try:
                    ping(engine)
                    self._reply(200, b"ok\n", "text/plain")
                except Exception as exc:  # the database is down: say so, do not crash
                    self._reply(503, f"database unavailable: {type(exc).__name__}\n".encode(), "text/plain")
            elif self.path == "/metrics":
                self._reply(200, generate_latest(REGISTRY), "text/plain; version=0.0.4")
            else:
                self._reply(404, b"not found\n", "text/plain")

        def _reply(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    server.collector = collector
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop(server: ThreadingHTTPServer) -> None:
    """Stop serving and forget the database gauges."""
    server.shutdown()
    server.server_close()
    REGISTRY.unregister(server.collector)
