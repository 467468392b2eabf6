"""What a process holds and imports (issue 17): the language model loaded once however many threads
ask at once, memory a batch freed given back after each batch, and a nothing-new pass that never
imports the feed parser. Mechanisms only, no timing."""

from __future__ import annotations

import asyncio
import threading
import time

from sqlalchemy import text

from bot.ingest import handoff, language
from bot.ingest.pipeline import Ingestor
from tests.factories import item, rss
from tests.helpers import add_feed, feed_row, probe_process



def test_the_language_model_is_loaded_once_when_many_threads_ask_at_once(monkeypatch):
    from py3langid import langid

    loads = []
    real = langid.LanguageIdentifier.from_model_file

    def slow_load(*args, **kwargs):
        loads.append(1)
        time.sleep(0.2)  # long enough for every thread to find the model missing
        return real(*args, **kwargs)

    monkeypatch.setattr(langid.LanguageIdentifier, "from_model_file", staticmethod(slow_load))
    monkeypatch.setattr(language, "_loaded", [])
    found = []
    threads = [threading.Thread(target=lambda: found.append(language.detect("The ministry said the strike hit "
                                                                             "the town overnight.")))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loads) == 1 and found == ["en"] * 6


async def test_memory_is_given_back_after_each_batch_and_at_the_end(monkeypatch):
    trims: list[int] = []
    monkeypatch.setattr(handoff, "_malloc_trim", lambda: trims.append)
    done: list[list[int]] = []

    async def stage(ids: list[int]) -> None:
        done.append(ids)

    run = handoff.Handoff([stage], size=2, linger=0.01)
    run.put(1, [1, 2, 3, 4, 5])
    run.close()
    await asyncio.wait_for(run.run(), 5)
    assert [len(b) for b in done] == [2, 2, 1]
    assert trims == [0] * (len(done) + 1)


PROBE = """
import json, sys
from bot.cli.main import main
code = main(["ingest", "--once"])
print(json.dumps({"code": code, "loaded": sorted(m for m in ("feedparser", "py3langid", "spacy") if m in sys.modules)}))
"""


async def test_a_pass_where_every_feed_answers_304_never_imports_the_feed_parser(engine, server, ingest_config,
                                                                                 cache_dir, tmp_path):
    url = server.route("/feed", rss([item(1), item(2)]), etag='"v1"')
    add_feed(engine, url)
    await Ingestor(engine, ingest_config).run_once()
    with engine.begin() as conn:  # read, and due again, as at its next turn
        conn.execute(text("UPDATE article SET read_at = fetched_at"))
        conn.execute(text("UPDATE feed SET next_fetch_at = NULL"))
    assert probe_process(engine, tmp_path, cache_dir, PROBE) == {"code": 0, "loaded": []}
    assert feed_row(engine, url).last_status == "not_modified"
    server.route("/feed", rss([item(1), item(2), item(3)]), etag='"v2"')  # something new: then it is parsed
    with engine.begin() as conn:
        conn.execute(text("UPDATE feed SET next_fetch_at = NULL"))
    assert "feedparser" in probe_process(engine, tmp_path, cache_dir, PROBE)["loaded"]
