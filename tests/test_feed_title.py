"""Issue 16, item 9 (second half): a feed added by its URL takes its name from its own <title> on the
first successful parse; a name the operator gave is never overwritten."""

from __future__ import annotations

from storage import queries
from storage.db import session_scope
from tests.factories import rss
from tests.helpers import add_feed, feed_row


async def test_a_feed_added_by_url_is_named_by_its_own_title(engine, server, ingestor):
    url = server.route("/byurl", rss(2, title="  Kyiv   Morning Wire "))
    add_feed(engine, url)  # no name: the URL stands in, as after `feeds add URL`
    (report,) = await ingestor.run_once()
    assert feed_row(engine, url).name == "Kyiv Morning Wire" and report.name == "Kyiv Morning Wire"
    with session_scope(engine) as session:
        assert {outlet for _, outlet in queries.latest_articles(session)} == {"Kyiv Morning Wire"}


async def test_a_given_name_stays_and_a_named_feed_is_not_renamed(engine, server, ingestor):
    named = server.route("/named", rss(1, title="Feed title"))
    add_feed(engine, named, name="Our name")
    await ingestor.run_once()
    assert feed_row(engine, named).name == "Our name"


async def test_a_failed_or_untitled_fetch_keeps_the_url(engine, server, ingestor):
    broken = server.route("/broken", b"nope", status=500)
    untitled = server.route("/untitled", rss(1, title=""))
    add_feed(engine, broken)
    add_feed(engine, untitled)
    await ingestor.run_once()
    assert feed_row(engine, broken).name == broken and feed_row(engine, untitled).name == untitled
