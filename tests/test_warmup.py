"""Issue 17: a bot that has just started answers its first commands as fast as its later ones. What
the commands load on first use (each language's date reader, dateparser's languages, the lexicons
that name speakers, whole modules) is loaded by handlers.warmup before any update is taken, and
then frozen out of the collector's sight. Proven by what a first command still loads, in a fresh
interpreter (this one has loaded everything already): with the warm-up nothing, without it the
readers and modules the warm-up exists for (so the probe does see loads)."""

from __future__ import annotations

import asyncio
import gc
import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot import app
from bot.config import load_settings

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ["/sloviansk", "/date 2023-02-14", "/date yesterday", "/date 3 дні тому", "/place Slovjansk"]
PROBE = """
import functools, json, sys
from handlers.context import Desk, Incoming
from handlers.registry import respond
from handlers.warmup import warm
from bot.nlp.gazetteer import shared
from storage.db import make_engine

url, cache, warmed, commands = sys.argv[1], sys.argv[2], sys.argv[3] == "1", json.loads(sys.argv[4])
desk = Desk(make_engine(url), lambda: shared(cache))
desk.gazetteer
if warmed:
    warm(desk)

def caches():
    return {f"{m.__name__}.{n}": f.cache_info().currsize for m in list(sys.modules.values())
            if getattr(m, "__name__", "").startswith(("bot.", "handlers.")) for n, f in vars(m).items()
            if isinstance(f, functools._lru_cache_wrapper) and (f.cache_parameters()["maxsize"] or 9) <= 8}

modules, built = set(sys.modules), caches()
for n, text in enumerate(commands):
    for lang in ("en", "nl"):
        respond(desk, Incoming(1000 + 10 * n + (lang == "nl"), text, language_code=lang))
grown = {k: v - built.get(k, 0) for k, v in caches().items() if v != built.get(k, 0)}
print(json.dumps({"modules": sorted(set(sys.modules) - modules), "caches": grown}))
"""


def first_commands(engine, cache_dir: str, warmed: bool) -> dict:
    """What answering the first commands loads in a fresh interpreter: new modules, and the entries
    gained by the small caches of bot and handlers (at most 8 entries: things built once, a reader or
    a lexicon per language, not the memos of each input)."""
    url = engine.url.render_as_string(hide_password=False)
    done = subprocess.run([sys.executable, "-c", PROBE, url, cache_dir, "1" if warmed else "0", json.dumps(COMMANDS)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_first_commands_load_nothing_after_the_warm_up(sloviansk, cache_dir):
    engine, _ = sloviansk
    if engine.dialect.name != "sqlite":  # the loads are the process's, whatever the database
        pytest.skip("the probe's own process opens the database by URL: SQLite's file")
    cold = first_commands(engine, cache_dir, warmed=False)
    assert cold["caches"].get("bot.nlp.dates._finder") == 2 and "dateparser" in cold["modules"]  # the probe sees loads
    warm = first_commands(engine, cache_dir, warmed=True)
    assert warm == {"modules": [], "caches": {}}


async def test_the_bot_warms_up_and_freezes_the_heap_before_it_takes_updates(engine, cache_dir, api):
    """_post_init runs before PTB starts polling: after it, the desk's readers are made and what they
    hold is out of the collector's sight (a full collection no longer walks it)."""
    settings = load_settings(database_url=str(engine.url), telegram_bot_token="123456:TEST-token",
                             telegram_api_base_url=api.base_url, cache_dir=cache_dir)
    application = app.build_application(settings, engine, ingest=False)
    gc.unfreeze()
    await application.initialize()
    try:
        await app._post_init(application)
        assert gc.get_freeze_count() > 0
        assert application.bot_data["desk"].bot_name == api.username.lower()
    finally:
        asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)
        gc.unfreeze()
        await application.shutdown()
