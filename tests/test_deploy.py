"""The Dockerfile and compose.yaml, checked where this machine can check them: no Docker engine runs
here, so the image's build step, entry command and health check run on the host, and the compose file
is read and its commands and settings go through the real parser."""

from __future__ import annotations

import json
import os
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from bot.cli.main import parser
from bot.config import load_settings
from tests.botapi import BotApiServer

ROOT = Path(__file__).resolve().parent.parent


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    lines, joined = [], ""
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        joined += line.removesuffix("\\").strip() + " "
        if not line.endswith("\\"):
            word, _, rest = joined.strip().partition(" ")
            lines.append((word.upper(), rest.strip()))
            joined = ""
    return lines


def exec_form(arguments: str) -> list[str]:
    """["python", "-m", "bot"] → its argv."""
    return json.loads(arguments)


def image() -> dict:
    """What the tests need of the Dockerfile: base, user, volumes, env, health check, entry, build steps."""
    found: dict = {"env": {}, "run": [], "volume": []}
    for word, rest in instructions():
        if word == "FROM":
            found["base"] = rest
        elif word == "USER":
            found["user"] = rest
        elif word == "VOLUME":
            found["volume"] += exec_form(rest)
        elif word == "ENV":
            found["env"].update(part.split("=", 1) for part in shlex.split(rest))
        elif word == "RUN":
            found["run"].append(rest)
        elif word == "HEALTHCHECK":
            found["health"] = exec_form(rest.split(" CMD ", 1)[1])
        elif word in ("ENTRYPOINT", "CMD"):
            found[word.lower()] = exec_form(rest)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_image_is_slim_non_root_with_a_data_volume_and_a_health_check():
    spec = image()
    assert spec["base"].startswith("python:3.11-slim")
    assert spec["user"] not in ("", "root", "0")
    assert "/app/data" in spec["volume"] and spec["env"]["DATABASE_URL"].startswith("sqlite:////app/data/")
    assert spec["health"][:4] == ["python", "-m", "bot", "healthcheck"]
    assert spec["entrypoint"] + spec["cmd"] == ["python", "-m", "bot", "run"]
    assert any("python -m bot prepare" in step for step in spec["run"])  # the gazetteer, at build time


def test_the_build_step_compiles_the_gazetteer(tmp_path):
    env = {**os.environ, "CACHE_DIR": str(tmp_path / "cache")}
    step = next(s for s in image()["run"] if "python -m bot prepare" in s)
    assert step  # the same command the image runs
    done = subprocess.run([sys.executable, "-m", "bot", "prepare"], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "gazetteer ready" in done.stdout and any((tmp_path / "cache").iterdir())


def test_the_entry_command_runs_and_the_health_check_follows_it(tmp_path, cache_dir):
    spec = image()
    port = free_port()
    api = BotApiServer().start()
    env = {**os.environ, **spec["env"], "TELEGRAM_BOT_TOKEN": "123456:TEST", "TELEGRAM_API_BASE_URL": api.base_url,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}", "CACHE_DIR": cache_dir, "METRICS_PORT": str(port),
           "TELEGRAM_POLL_TIMEOUT": "1", "FEEDS_FILE": str(ROOT / "bot" / "samples" / "feeds.toml")}
    health = [sys.executable if word == "python" else word for word in spec["health"]]
    entry = [sys.executable if word == "python" else word for word in spec["entrypoint"] + spec["cmd"]]
    assert subprocess.run(health, env=env, capture_output=True, timeout=30).returncode == 1  # nothing runs yet
    process = subprocess.Popen(entry, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    try:
        deadline = time.monotonic() + 60
        while not any(m == "getUpdates" for m, _ in api.state.calls):
            assert process.poll() is None and time.monotonic() < deadline, "the entry command did not start"
            time.sleep(0.1)
        checked = subprocess.run(health, env=env, capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0 and "ok" in checked.stdout, checked.stderr
    finally:
        process.terminate()
        process.communicate(timeout=20)
        api.stop()
    assert subprocess.run(health, env=env, capture_output=True, timeout=30).returncode == 1  # and it is gone


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_runs_postgres_the_bot_and_the_ingest():
    services = compose()["services"]
    assert set(services) == {"postgres", "bot", "ingest"}
    assert services["postgres"]["image"].startswith("postgres:") and "healthcheck" in services["postgres"]
    for name in ("bot", "ingest"):
        service = services[name]
        assert service["build"] == "."
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert "@postgres:5432/" in service["environment"]["DATABASE_URL"]


@pytest.mark.parametrize("name, command", [("bot", "run"), ("ingest", "ingest")])
def test_compose_commands_and_settings_are_ones_the_bot_takes(monkeypatch, tmp_path, name, command):
    service = compose()["services"][name]
    args = parser().parse_args(service["command"])
    assert args.command == command
    assert name != "bot" or args.no_ingest  # the ingest runs in its own service
    monkeypatch.chdir(tmp_path)
    environment = {k: v for k, v in service["environment"].items() if not str(v).startswith("${")}
    settings = load_settings(**{k.lower(): v for k, v in environment.items()})
    assert settings.database_kind == "postgresql" and settings.metrics_port == 9100
