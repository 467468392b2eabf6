"""What a process holds and imports (issue 17): the language model loaded once however many threads
ask at once, and memory a batch freed given back after each batch (what a nothing-new pass imports:
tests/test_startup_304.py). Mechanisms only, no timing."""

from __future__ import annotations

import asyncio
import threading
import time

from bot.ingest import handoff, language


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


def test_a_feed_that_declares_its_language_never_loads_the_language_model(monkeypatch):
    from py3langid import langid

    from bot.ingest.parse import parse_feed
    from tests.factories import item, rss

    loads = []
    real = langid.LanguageIdentifier.from_model_file
    monkeypatch.setattr(langid.LanguageIdentifier, "from_model_file",
                        staticmethod(lambda *args, **kwargs: loads.append(1) or real(*args, **kwargs)))
    monkeypatch.setattr(language, "_loaded", [])
    text = "The regional governor said two shells landed near the rail depot before dawn."
    items = [item(n, description=text) for n in range(5)]
    declared = parse_feed(rss(items, language="en"), {"content-type": "application/rss+xml"})
    configured = parse_feed(rss(items, language=None), {"content-type": "application/rss+xml"}, language="en")
    assert loads == [] and {a.language for a in declared.articles + configured.articles} == {"en"}
    undeclared = parse_feed(rss(items, language=None), {"content-type": "application/rss+xml"})
    assert loads == [1] and {a.language for a in undeclared.articles} == {"en"}


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
