"""`python -m bot ingest` (the scheduled ingest process of the Procfile and compose.yaml) as its own
process: it ingests on its schedule (main passed APScheduler a lambda returning a coroutine, which
APScheduler ran in a thread and never awaited: no feed was ever fetched), its /healthz is ok while its
job queue beats, and its /metrics carries the counts its job makes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx

from tests.factories import rss


def test_the_ingest_process_ingests_on_its_schedule_and_reports_it(server, tmp_path, cache_dir):
    url = server.route("/feed", rss(3))
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feed]]\nname = "Local"\nurl = "{url}"\nlanguage = "en"\n')
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'ingest.db'}", "FEEDS_FILE": str(feeds),
           "ALLOW_PRIVATE_FEEDS": "true", "CACHE_DIR": cache_dir, "LOG_LEVEL": "WARNING",
           "METRICS_PORT": str(port), "FETCH_JITTER_SECONDS": "0", "METRICS_COUNT_SECONDS": "10"}
    process = subprocess.Popen([sys.executable, "-m", "bot", "ingest"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, body = time.monotonic() + 120, ""
        while "frontbrief_articles 3.0" not in body:
            assert process.poll() is None and time.monotonic() < deadline, body  # the output: after SIGTERM
            time.sleep(0.5)
            try:
                body = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=30).text  # reading keeps it busy
            except httpx.TransportError:
                continue  # not listening yet
        assert len(server.hits("/feed")) == 1
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=30).text == "ok\n"
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert process.returncode == 0 and "Traceback" not in output, output
