"""What a nothing-new pass (`ingest --once`, every feed answering 304) loads, checked in a real process
(issue 17): none of the reading (spaCy, the language model, word frequencies), nor the feed and page
parsers, nor Alembic (a schema at head is one query), nor Telegram. What a pass that has something new
loads is checked beside it, so that the probe is known to see an import when there is one."""

from __future__ import annotations

from sqlalchemy import text

from bot.ingest.pipeline import Ingestor
from tests.factories import item, rss
from tests.helpers import add_feed, feed_row, probe_process

NEVER = ("spacy", "py3langid", "wordfreq", "feedparser", "selectolax", "bot.ingest.parse", "bot.items.stages",
         "alembic", "telegram", "click", "pygments")  # the last two: httpx's command-line client
PROBE = f"""
import json, sys
from bot.cli.main import main
code = main(["ingest", "--once"])
print(json.dumps({{"code": code, "loaded": sorted(m for m in {NEVER!r} if m in sys.modules)}}))
"""


async def test_a_pass_of_304s_loads_no_reader_parser_migrations_or_telegram(engine, server, ingest_config,
                                                                              cache_dir, tmp_path):
    url = server.route("/feed", rss([item(1), item(2)]), etag='"v1"')
    add_feed(engine, url)
    await Ingestor(engine, ingest_config).run_once()
    with engine.begin() as conn:  # read, and due again, as at its next turn
        conn.execute(text("UPDATE article SET read_at = fetched_at"))
        conn.execute(text("UPDATE feed SET next_fetch_at = NULL"))
    assert probe_process(engine, tmp_path, cache_dir, PROBE) == {"code": 0, "loaded": []}
    assert feed_row(engine, url).last_status == "not_modified"


async def test_a_pass_with_a_new_entry_loads_the_parser_and_the_reader(engine, server, ingest_config,
                                                                       cache_dir, tmp_path):
    url = server.route("/feed", rss([item(1)]), etag='"v1"')
    add_feed(engine, url)
    await Ingestor(engine, ingest_config).run_once()
    with engine.begin() as conn:
        conn.execute(text("UPDATE article SET read_at = fetched_at"))
        conn.execute(text("UPDATE feed SET next_fetch_at = NULL"))
    server.route("/feed", rss([item(1), item(2)]), etag='"v2"')
    loaded = probe_process(engine, tmp_path, cache_dir, PROBE)["loaded"]
    assert {"feedparser", "bot.ingest.parse", "bot.items.stages", "spacy"} <= set(loaded)
    assert feed_row(engine, url).last_status == "ok"


async def test_a_fetch_client_loads_the_certificate_authorities_once(monkeypatch):
    import ssl

    from bot.ingest.fetch import FetchLimits, make_client

    loads = []
    real = ssl.SSLContext.load_verify_locations

    def counted(self, *args, **kwargs):
        loads.append(args or kwargs)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counted)
    async with make_client(FetchLimits()) as client:
        assert client is not None
    assert len(loads) == 1
