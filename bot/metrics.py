"""Observability: an optional HTTP port with /healthz and Prometheus /metrics. Counts that live in
the database (feeds, articles, items, subscribers, delivery lag) are read at scrape time; what happens
in this process (articles stored, digests due at its last check, digest messages sent, send errors
by kind) is counted as it happens: working out which digests are due takes each subscriber's times
and zone, too much work for every scrape."""

from __future__ import annotations

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import Engine, func, text
from sqlmodel import Session, col, select

from storage.models import Article, Delivery, Feed, Item, Subscriber, utcnow

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
        now = utcnow()
        with Session(self.engine) as session:
            ok = session.exec(select(func.count()).select_from(Feed).where(Feed.active, Feed.error_count == 0)).one()
            failing = session.exec(select(func.count()).select_from(Feed).where(Feed.error_count > 0)).one()
            articles = session.exec(select(func.count()).select_from(Article)).one()
            recent = session.exec(select(func.count()).select_from(Article)
                                  .where(Article.fetched_at > now - timedelta(minutes=60))).one()
            items = session.exec(select(func.count()).select_from(Item).where(Item.merged_into == None)).one()  # noqa: E711
            subscribed = session.exec(select(func.count()).select_from(Subscriber)
                                      .where(Subscriber.subscribed, Subscriber.active)).one()
            claimed = session.exec(select(func.min(Delivery.window_end))
                                   .where(col(Delivery.status).in_(("claimed", "paused")))).one()
        for name, value, doc in (("feeds_ok", ok, "Feeds fetched without error"),
                                 ("feeds_failing", failing, "Feeds whose last fetch failed"),
                                 ("articles", articles, "Articles stored"),
                                 ("articles_per_minute", recent / 60, "Articles fetched in the last hour, per minute"),
                                 ("items", items, "Items (events)"),
                                 ("subscribers", subscribed, "Chats that get digests"),
                                 ("delivery_lag_seconds", (now - claimed).total_seconds() if claimed else 0.0,
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
                    with engine.connect() as conn:
                        conn.execute(text("SELECT 1"))
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
