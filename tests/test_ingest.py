"""Ingest runs on the real databases, fed by the local HTTP server: idempotence, conditional GET,
backoff, leases, stages and full text."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.ingest.pipeline import Ingestor
from tests.factories import item, rss
from tests.helpers import Clock, add_feed, articles_of, feed_row

ETAG, MODIFIED = '"v1"', "Sun, 08 Jan 2023 10:00:00 GMT"


async def test_running_twice_adds_nothing_the_second_time(engine, server, ingest_config):
    clock = Clock()
    url = add_feed(engine, server.route("/feed", rss(4)), clock) and server.url("/feed")
    ingestor = Ingestor(engine, ingest_config, clock=clock)
    (first,) = await ingestor.run_once()
    clock.advance(minutes=20)
    (second,) = await ingestor.run_once()
    assert (first.status, first.new) == ("ok", 4)
    assert (second.status, second.new, second.seen) == ("ok", 0, 4)
    assert len(articles_of(engine, url)) == 4


async def test_conditional_get_sends_validators_and_stores_nothing_new(engine, server, ingest_config):
    clock = Clock()
    url = server.route("/feed", rss(3), etag=ETAG, last_modified=MODIFIED)
    add_feed(engine, url, clock)
    ingestor = Ingestor(engine, ingest_config, clock=clock)
    await ingestor.run_once()
    clock.advance(minutes=20)
    (second,) = await ingestor.run_once()
    sent = server.hits("/feed")[1].headers
    assert sent["if-none-match"] == ETAG and sent["if-modified-since"] == MODIFIED
    assert second.status == "not_modified" and second.new == 0
    stored = feed_row(engine, url)
    assert (stored.etag, stored.last_modified, stored.last_status) == (ETAG, MODIFIED, "not_modified")
    assert len(articles_of(engine, url)) == 3


async def test_validators_change_only_with_a_successful_200(engine, server, ingest_config):
    clock = Clock()
    url = server.route("/feed", rss(1), etag=ETAG)
    add_feed(engine, url, clock)
    ingestor = Ingestor(engine, ingest_config, clock=clock)
    await ingestor.run_once()
    server.route("/feed", b"oops", status=500, etag='"broken"')
    clock.advance(minutes=20)
    await ingestor.run_once()
    assert feed_row(engine, url).etag == ETAG
    server.route("/feed", b"<html><body>maintenance</body></html>", etag='"html"',
                 headers={"Content-Type": "text/html"})
    clock.advance(hours=1)
    await ingestor.run_once()
    assert feed_row(engine, url).etag == ETAG  # a 200 that is no feed must not silence the next fetch
    server.route("/feed", rss(2), etag='"v2"')
    clock.advance(hours=2)
    (report,) = await ingestor.run_once()
    assert report.new == 1 and feed_row(engine, url).etag == '"v2"'


async def test_errors_back_off_exponentially_then_deactivate_and_success_resets(engine, server, ingest_config):
    clock = Clock()
    url = server.route("/feed", b"down", status=500)
    add_feed(engine, url, clock)
    ingestor = Ingestor(engine, ingest_config, clock=clock)
    waits = []
    for _ in range(2):
        started = clock.now
        await ingestor.run_once()
        row = feed_row(engine, url)
        waits.append(row.next_fetch_at - started)
        clock.now = row.next_fetch_at
    assert waits == [timedelta(minutes=15), timedelta(minutes=30)]
    assert feed_row(engine, url).error_count == 2
    server.route("/feed", rss(1))
    (report,) = await ingestor.run_once()
    assert report.status == "ok" and feed_row(engine, url).error_count == 0
    server.route("/feed", b"down", status=500)
    for _ in range(3):  # max_errors is 3 in the test policy
        clock.now = feed_row(engine, url).next_fetch_at
        await ingestor.run_once()
    assert not feed_row(engine, url).active
    clock.advance(days=2)
    assert await ingestor.run_once() == []  # an inactive feed is not fetched any more
    assert feed_row(engine, url).last_error == "HTTP 500 Internal Server Error"


async def test_a_feed_is_not_fetched_before_it_is_due(engine, server, ingest_config):
    clock = Clock()
    add_feed(engine, server.route("/feed", rss(1)), clock)
    ingestor = Ingestor(engine, ingest_config, clock=clock)
    await ingestor.run_once()
    clock.advance(minutes=5)
    assert await ingestor.run_once() == []
    assert len(server.hits("/feed")) == 1


async def test_retry_after_and_ttl_set_the_next_fetch(engine, server, ingest_config):
    clock = Clock()
    busy = server.route("/busy", b"", status=503, headers={"Retry-After": "7200"})
    slow = server.route("/slow", rss(1, extra="<ttl>120</ttl>"))
    add_feed(engine, busy, clock)
    add_feed(engine, slow, clock)
    await Ingestor(engine, ingest_config, clock=clock).run_once()
    assert feed_row(engine, busy).next_fetch_at == clock.now + timedelta(hours=2)
    assert feed_row(engine, slow).next_fetch_at == clock.now + timedelta(minutes=120)
    assert feed_row(engine, slow).ttl_minutes == 120


async def test_two_runs_at_once_never_fetch_one_feed_twice(engine, server, ingest_config):
    clock = Clock()
    for n in range(3):
        add_feed(engine, server.route(f"/f{n}", rss([item(10 * n + i) for i in range(3)]), delay=0.2), clock)
    first, second = Ingestor(engine, ingest_config, clock=clock), Ingestor(engine, ingest_config, clock=clock)
    reports = await asyncio.gather(first.run_once(), second.run_once())
    assert sum(len(r) for r in reports) == 3
    assert all(len(server.hits(f"/f{n}")) == 1 for n in range(3))
    assert sum(r.new for run in reports for r in run) == 9


async def test_new_article_ids_are_handed_to_the_next_stages(engine, server, ingest_config):
    received: list[list[int]] = []

    async def stage(ids: list[int]) -> None:
        received.append(ids)

    clock = Clock()
    url = server.route("/feed", rss(2))
    add_feed(engine, url, clock)
    ingestor = Ingestor(engine, ingest_config, stages=[stage], clock=clock)
    await ingestor.run_once()
    clock.advance(minutes=20)
    await ingestor.run_once()
    assert received == [[a.id for a in articles_of(engine, url)]]  # nothing handed on for no news


async def test_named_feeds_are_fetched_even_when_not_due(engine, server, ingest_config):
    clock = Clock()
    url = server.route("/feed", rss(1))
    add_feed(engine, url, clock)
    other = server.route("/other", rss(1))
    add_feed(engine, other, clock)
    ingestor = Ingestor(engine, ingest_config, clock=clock)
    await ingestor.run_once()
    (report,) = await ingestor.run_once([url])
    assert report.url == url and report.status == "ok"
    assert len(server.hits("/feed")) == 2 and len(server.hits("/other")) == 1


async def test_fulltext_feeds_take_the_article_text_from_the_page(engine, server, ingest_config):
    page = ("<html><head><title>Strike on Kharkiv</title></head><body><nav>Home | World</nav><article>"
            "<h1>Strike on Kharkiv</h1>"
            + "".join(f"<p>Paragraph {n} of the full report, written for the test, about the strike on "
                      f"an industrial site in Kharkiv and what the governor said about it.</p>" for n in range(12))
            + "</article><footer>Copyright the test</footer></body></html>")
    link = server.route("/article/1", page, headers={"Content-Type": "text/html; charset=utf-8"})
    url = server.route("/feed", rss([item(1, link=link, description="Short teaser.")]))
    add_feed(engine, url, fulltext=True)
    await Ingestor(engine, ingest_config).run_once()
    (article,) = articles_of(engine, url)
    assert "Paragraph 11 of the full report" in article.text
    assert "Home | World" not in article.text and article.summary == "Short teaser."


async def test_fulltext_failure_keeps_the_summary(engine, server, ingest_config):
    url = server.route("/feed", rss([item(1, link=server.url("/missing"), description="Only a teaser.")]))
    add_feed(engine, url, fulltext=True)
    (report,) = await Ingestor(engine, ingest_config).run_once()
    assert report.new == 1 and articles_of(engine, url)[0].text == "Only a teaser."
