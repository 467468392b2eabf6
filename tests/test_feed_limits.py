"""Values from outside that outgrow a column (a long ETag, a link that grows when normalized, a long
URL given to `feeds add`) are handled at the boundary, on PostgreSQL as on SQLite; and an article's
identity is its feed's, so one feed cannot pre-empt another outlet's article."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.cli.main import main
from bot.ingest.pipeline import Ingestor
from storage.db import make_engine, migrate
from tests import soak
from tests.conftest import BACKENDS, POSTGRES_URL
from tests.factories import item, rss
from tests.helpers import Clock, add_feed, articles_of, feed_row


async def test_a_long_etag_is_not_kept_and_fails_nothing(engine, server, ingest_config):
    clock = Clock()
    url = server.route("/feed", rss(3), etag='"' + "e" * 600 + '"', last_modified="x" * 200)
    add_feed(engine, url, clock)
    ingestor = Ingestor(engine, ingest_config, clock=clock)
    (first,) = await ingestor.run_once()
    clock.advance(minutes=20)
    (second,) = await ingestor.run_once()
    row = feed_row(engine, url)
    assert (first.status, first.new, second.status) == ("ok", 3, "ok"), (first.message, second.message)
    assert row.etag is None and row.last_modified is None and row.error_count == 0
    assert "if-none-match" not in server.hits("/feed")[1].headers  # nothing cut was sent back


async def test_a_link_that_grows_past_the_column_when_normalized_loses_no_entry(engine, server, ingest_config):
    long_link = "https://example.test/a?q=" + "\u00e9" * 900  # 925 characters; %C3%A9 each once normalized
    report, stored = await _one_feed(engine, server, ingest_config, rss([item(1), item(2, link=long_link), item(3)]))
    assert report.new == 3 and [a.guid for a in stored] == ["test-guid-1", "test-guid-2", "test-guid-3"]
    assert stored[1].link == long_link and stored[1].url is None  # known by its guid instead


async def _one_feed(engine, server, config, body: bytes):
    url = server.route("/feed", body)
    add_feed(engine, url)
    (report,) = await Ingestor(engine, config, clock=Clock()).run_once()
    return report, articles_of(engine, url)


async def test_one_feed_cannot_pre_empt_another_outlets_article(engine, server, ingest_config):
    shared = "https://outlet-b.example.test/news/7"
    aggregator = server.route("/aggregator", rss([item(1, link=shared, title="Copied headline")]))
    outlet = server.route("/outlet", rss([item(7, link=shared, title="The outlet's own report")]))
    clock = Clock()
    add_feed(engine, aggregator, clock)
    ingestor = Ingestor(engine, ingest_config, clock=clock)
    await ingestor.run_once()
    add_feed(engine, outlet, clock)
    (report,) = await ingestor.run_once([outlet])
    assert report.new == 1 and [a.title for a in articles_of(engine, outlet)] == ["The outlet's own report"]
    clock.advance(minutes=20)
    again = {r.url: r.new for r in await ingestor.run_once()}
    assert again == {aggregator: 0, outlet: 0}  # each feed still knows its own copy


async def test_an_article_stored_before_the_upgrade_is_still_known_to_its_feed(bare_engine, server, ingest_config):
    migrate(bare_engine, "0006")
    url = server.route("/feed", rss([item(1)]))
    now = datetime(2023, 1, 8, tzinfo=UTC).replace(tzinfo=None)
    old_identity = "u" + hashlib.sha256(b"https://example.test/news/1").hexdigest()[:32]  # the URL alone
    with bare_engine.begin() as conn:
        conn.execute(text("INSERT INTO feed (url, name, keywords, fulltext, active, error_count, created_at) "
                          "VALUES (:url, 'Old feed', '[]', false, true, 0, :now)"), {"url": url, "now": now})
        conn.execute(text("INSERT INTO article (feed_id, identity, url, guid, content_hash, title, summary, text, "
                          "fetched_at, features) VALUES (1, :identity, 'https://example.test/news/1', 'test-guid-1', "
                          "'h', 'Stored before', '', '', :now, '{}')"), {"identity": old_identity, "now": now})
    migrate(bare_engine)
    (report,) = await Ingestor(bare_engine, ingest_config, clock=Clock()).run_once()
    assert report.status == "ok" and report.new == 0 and len(articles_of(bare_engine, url)) == 1


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A migrated database of each kind, as a URL for the command line."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'cli.db'}"
        migrate(make_engine(url))
        yield url
    else:
        if not POSTGRES_URL:
            pytest.skip("TEST_POSTGRES_URL is not set")
        with soak.fresh_database(POSTGRES_URL, prefix="t_cli") as url:
            yield url


def test_feeds_add_takes_a_long_url_and_refuses_a_too_long_one_by_name(database_url, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("FEEDS_FILE", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    long_url = "https://example.test/feed?" + "p=1&" * 80  # 346 characters: the name defaults to it
    assert main(["feeds", "add", long_url]) == 0
    assert main(["feeds", "add", "https://example.test/" + "x" * 2100]) == 2
    out = capsys.readouterr()
    assert out.out.startswith("added") and "at most 2048" in out.err and "Traceback" not in out.err
    engine = make_engine(database_url)
    with engine.connect() as conn:
        names = conn.execute(text("SELECT url, name FROM feed")).all()
    engine.dispose()
    assert [(u, len(n)) for u, n in names] == [(long_url, 200)]
