"""Observability: an optional HTTP port with /healthz and Prometheus /metrics. What happens in this
process (articles stored, digests due at its last check, messages sent, send errors, commands, ingest
and read durations) is counted as it happens. A scrape reads the database only cheaply (the feed table,
one row per outlet, and the oldest open delivery by its index); the full counts (articles, items,
subscribers) are made by a job every few minutes and served from that cache, never per scrape.
/healthz says 503 with the reason when the database is down or when polling or the job queue has
not ticked within its bound (a process that is up but no longer works)."""

from __future__ import annotations

import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

from storage.db import Engine, ping, session_scope
from storage.models import utcnow
from storage.stats import live_figures, stored_figures

log = logging.getLogger(__name__)
REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)  # the standard process_* and python_* series, on our registry
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)
SENT = Counter("frontbrief_digests_sent", "Digest messages sent", registry=REGISTRY)
SEND_ERRORS = Counter("frontbrief_send_errors", "Telegram errors while sending, by kind", ["kind"], registry=REGISTRY)
IN_DOUBT = Counter("frontbrief_deliveries_in_doubt", "Digests taken over from a sender that died mid-way: "
                   "the message it had in flight may reach the chat twice", registry=REGISTRY)
DUE = Gauge("frontbrief_digests_due", "Digests due at this process's last check and not yet handled", registry=REGISTRY)
ARTICLES_IN = Counter("frontbrief_articles_ingested", "New articles stored by this process", registry=REGISTRY)
COMMANDS = Counter("frontbrief_commands", "Commands and button presses answered, by command", ["command"],
                   registry=REGISTRY)
COMMAND_SECONDS = Histogram("frontbrief_command_seconds", "Time to answer a command (database and composing)",
                            ["command"], registry=REGISTRY, buckets=(.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))
FEED_SECONDS = Histogram("frontbrief_feed_ingest_seconds", "Time to fetch, parse and store one feed",
                         registry=REGISTRY, buckets=(.1, .25, .5, 1, 2.5, 5, 10, 20, 40, 80))
INGEST_SECONDS = Histogram("frontbrief_ingest_run_seconds", "Time of one ingest run, reading included",
                           registry=REGISTRY, buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1200))
READ_SECONDS = Histogram("frontbrief_read_seconds", "Time to read one batch of articles (spaCy)",
                         registry=REGISTRY, buckets=(.1, .5, 1, 2.5, 5, 10, 20, 40, 80, 160))


class Health:
    """What this process must keep doing (polling, the job queue), each with the longest silence
    allowed; a watched beat that is late makes /healthz unhealthy."""

    def __init__(self, clock=time.monotonic) -> None:
        self.clock, self.bounds, self.last = clock, {}, {}
        self.lock = threading.Lock()

    def watch(self, name: str, bound: float) -> None:
        """Expect `name` to beat at least every `bound` seconds from now on."""
        with self.lock:
            self.bounds[name], self.last[name] = bound, self.clock()

    def beat(self, name: str) -> None:
        """`name` did its work just now."""
        with self.lock:
            self.last[name] = self.clock()

    def problems(self) -> list[str]:
        """One line per watched beat that is late."""
        now = self.clock()
        with self.lock:
            return [f"{name} stalled: last tick {now - self.last[name]:.0f} s ago (bound {bound:.0f} s)"
                    for name, bound in sorted(self.bounds.items()) if now - self.last[name] > bound]


class Figures:
    """The full counts, made by a job (refresh) and served from here at scrape time."""

    def __init__(self) -> None:
        self.values: dict[str, float] = {}
        self.made: float | None = None

    def refresh(self, engine: Engine) -> None:
        """Count now (blocking: call it from a worker thread)."""
        with session_scope(engine) as session:
            self.values = stored_figures(session, utcnow())
        self.made = time.monotonic()


HEALTH = Health()
FIGURES = Figures()
STORED_DOCS = {"articles": "Articles stored", "items": "Items (events)", "subscribers": "Chats that get digests",
               "articles_per_minute": "Articles fetched in the last hour, per minute"}


class StoreCollector:
    """Gauges from the database when Prometheus scrapes: the cheap ones read now, the counts from the cache."""

    def __init__(self, engine: Engine, figures: Figures) -> None:
        self.engine, self.figures = engine, figures

    def collect(self):
        with session_scope(self.engine) as session:
            live = live_figures(session, utcnow())
        for name, doc in (("feeds_ok", "Feeds fetched without error"),
                          ("feeds_failing", "Feeds whose last fetch failed"),
                          ("delivery_lag_seconds", "Age of the oldest digest claimed but not yet sent")):
            yield GaugeMetricFamily(f"frontbrief_{name}", doc, value=float(live[name]))
        if self.figures.made is None:
            return  # not counted yet in this process: absent, rather than a zero that is not true
        values = dict(self.figures.values, articles_per_minute=self.figures.values["articles_last_hour"] / 60)
        for name, doc in STORED_DOCS.items():
            yield GaugeMetricFamily(f"frontbrief_{name}", doc + " (counted by a job)", value=float(values[name]))
        yield GaugeMetricFamily("frontbrief_counts_age_seconds", "Age of the counts above",
                                value=time.monotonic() - self.figures.made)


def serve(engine: Engine, port: int, host: str = "127.0.0.1", health: Health = HEALTH,
          figures: Figures = FIGURES) -> ThreadingHTTPServer:
    """Start /healthz and /metrics on a port, in a thread; returns the server (see stop())."""
    collector = StoreCollector(engine, figures)
    REGISTRY.register(collector)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/healthz":
                status, body = healthz(engine, health)
                self._reply(status, body.encode(), "text/plain")
            elif self.path == "/metrics":
                try:
                    body = generate_latest(REGISTRY)
                except Exception as exc:  # the database went away mid-scrape: say so, no traceback
                    log.warning("a scrape of /metrics failed: %s", type(exc).__name__)
                    self._reply(503, f"metrics unavailable: {type(exc).__name__}\n".encode(), "text/plain")
                else:
                    self._reply(200, body, "text/plain; version=0.0.4")
            else:
                self._reply(404, b"not found\n", "text/plain")

        def _reply(self, status: int, body: bytes, kind: str) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the scraper gave up waiting (a busy process answers late): nothing to tell it

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    server.collector = collector
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def healthz(engine: Engine, health: Health) -> tuple[int, str]:
    """200 "ok", or 503 and every reason: the database down, a beat late."""
    try:
        ping(engine)
        problems = health.problems()
    except Exception as exc:  # the database is down: say so, do not crash
        problems = [f"database unavailable: {type(exc).__name__}"] + health.problems()
    return (503, "\n".join(problems) + "\n") if problems else (200, "ok\n")


def stop(server: ThreadingHTTPServer) -> None:
    """Stop serving and forget the database gauges."""
    server.shutdown()
    server.server_close()
    REGISTRY.unregister(server.collector)
