"""/healthz and Prometheus /metrics, read from a real database."""

from __future__ import annotations

import socket

import httpx

from bot import metrics
from tests.factories import rss
from tests.helpers import add_feed


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_health_and_metrics(engine, server, ingestor):
    add_feed(engine, server.route("/feed", rss(3)))
    add_feed(engine, server.route("/broken", b"nope", status=500))
    await ingestor.run_once()
    port = _port()
    http = metrics.serve(engine, port)
    try:
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/healthz").text == "ok\n"
        body = httpx.get(f"{base}/metrics").text
        assert "frontbrief_feeds_ok 1.0" in body and "frontbrief_feeds_failing 1.0" in body
        assert "frontbrief_articles 3.0" in body and "frontbrief_articles_ingested_total" in body
        assert httpx.get(f"{base}/nope").status_code == 404
    finally:
        metrics.stop(http)
