"""Bad input from a feed: a recorded per-feed error (or a warning for what is survivable), the run
goes on with the other feeds, and nothing stored is lost. One test per kind, over real HTTP."""

from __future__ import annotations

import gzip

import pytest

from bot.ingest.pipeline import Ingestor
from tests.factories import item, rss
from tests.helpers import Clock, add_feed, articles_of, feed_row

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10) for n in range(1, 10))
    + b']><rss version="2.0"><channel><title>&lol9;</title><item><title>x</title></item></channel></rss>'
)


async def _good_then_bad(engine, server, config, **bad_route):
    """Two feeds ingest cleanly; then one turns bad while the other brings news. Returns both reports."""
    clock = Clock()
    victim = server.route("/victim", rss([item(1), item(2)]))
    healthy = server.route("/healthy", rss([item(11)]))
    add_feed(engine, victim, clock)
    add_feed(engine, healthy, clock)
    ingestor = Ingestor(engine, config, clock=clock)
    await ingestor.run_once()
    server.route("/victim", **bad_route)
    server.route("/healthy", rss([item(11), item(12)]))
    clock.advance(minutes=20)
    reports = {r.url: r for r in await ingestor.run_once()}
    assert reports[healthy].status == "ok" and reports[healthy].new == 1  # the run went on
    assert [a.guid for a in articles_of(engine, victim)][:2] == ["test-guid-1", "test-guid-2"]  # nothing lost
    return reports[victim], feed_row(engine, victim)


def _assert_recorded(report, row, *needles: str) -> None:
    assert report.status == "error" and row.last_status == "error" and row.error_count == 1
    for needle in needles:
        assert needle in row.last_error and needle in report.message


async def test_malformed_xml_without_entries_is_an_error(engine, server, ingest_config):
    report, row = await _good_then_bad(engine, server, ingest_config,
                                       body=b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</titl')
    _assert_recorded(report, row, "malformed")


async def test_malformed_xml_with_entries_is_recovered_with_a_warning(engine, server, ingest_config):
    broken = rss([item(1), item(2), item(3)]).replace(b"</channel></rss>", b"<item><title>a & b <i></title>")
    report, row = await _good_then_bad(engine, server, ingest_config, body=broken)
    assert report.status == row.last_status == "warning" and "malformed XML" in row.last_error
    assert report.new >= 1 and row.error_count == 0
    assert "test-guid-3" in [a.guid for a in articles_of(engine, server.url("/victim"))]


async def test_wrong_encoding_is_recovered_and_text_decoded(engine, server, ingest_config):
    latin = rss([item(3, title="Kiëv meldt één gewonde in Charkiv")]).decode().encode("latin-1")
    report, row = await _good_then_bad(engine, server, ingest_config, body=latin,
                                       headers={"Content-Type": "application/rss+xml; charset=utf-8"})
    assert report.status == "warning" and "encoding" in row.last_error
    assert articles_of(engine, server.url("/victim"))[-1].title == "Kiëv meldt één gewonde in Charkiv"


async def test_missing_encoding_uses_the_http_charset(engine, server, ingest_config):
    body = rss([item(3, title="Zaporizja: schade à la centrale")], encoding=None).decode().encode("cp1252")
    report, _row = await _good_then_bad(engine, server, ingest_config, body=body,
                                        headers={"Content-Type": "text/xml; charset=windows-1252"})
    assert report.new == 1
    assert articles_of(engine, server.url("/victim"))[-1].title == "Zaporizja: schade à la centrale"


async def test_html_and_scripts_in_titles_are_stored_as_text(engine, server, ingest_config):
    hostile = item(3, title="&lt;script&gt;document.location='https://evil.test'&lt;/script&gt;"
                            "&lt;b onmouseover=alert(1)&gt;Kherson&lt;/b&gt; &amp;amp; Mykolaiv",
                   description="&lt;style&gt;body{display:none}&lt;/style&gt;&lt;p&gt;Text&lt;/p&gt;")
    report, _row = await _good_then_bad(engine, server, ingest_config, body=rss([hostile]))
    stored = articles_of(engine, server.url("/victim"))[-1]
    assert report.new == 1 and stored.title == "Kherson & Mykolaiv" and stored.text == "Text"


async def test_entity_expansion_is_refused_unread(engine, server, ingest_config):
    report, row = await _good_then_bad(engine, server, ingest_config, body=BILLION_LAUGHS)
    _assert_recorded(report, row, "entities")


async def test_an_oversized_body_is_refused_while_streaming(engine, server, ingest_config):
    huge = rss([item(n, description="x" * 1000) for n in range(400)])
    assert len(huge) > ingest_config.limits.max_bytes
    report, row = await _good_then_bad(engine, server, ingest_config, body=huge, chunked=True)
    _assert_recorded(report, row, "larger than")


async def test_a_gzip_bomb_is_refused(engine, server, ingest_config):
    bomb = gzip.compress(b"<rss>" + b" " * 30_000_000)
    report, row = await _good_then_bad(engine, server, ingest_config, body=bomb,
                                       headers={"Content-Encoding": "gzip"})
    _assert_recorded(report, row, "larger than")


async def test_an_html_page_instead_of_a_feed(engine, server, ingest_config):
    page = b"<!doctype html><html><head><title>Nieuws</title></head><body><h1>Home</h1><p>Welkom</p></body></html>"
    report, row = await _good_then_bad(engine, server, ingest_config, body=page,
                                       headers={"Content-Type": "text/html; charset=utf-8"})
    _assert_recorded(report, row, "HTML page")


@pytest.mark.parametrize("status", [404, 500])
async def test_http_error_statuses(engine, server, ingest_config, status):
    report, row = await _good_then_bad(engine, server, ingest_config, body=b"error page", status=status)
    _assert_recorded(report, row, f"HTTP {status}")


async def test_a_timeout(engine, server, ingest_config):
    report, row = await _good_then_bad(engine, server, ingest_config, body=rss(1), delay=1.5)
    _assert_recorded(report, row, "no complete answer")


async def test_a_redirect_loop(engine, server, ingest_config):
    server.route("/loop-b", status=302, headers={"Location": "/victim"})
    report, row = await _good_then_bad(engine, server, ingest_config, status=302, headers={"Location": "/loop-b"})
    _assert_recorded(report, row, "redirects")


async def test_an_empty_body_is_an_error(engine, server, ingest_config):
    report, row = await _good_then_bad(engine, server, ingest_config, body=b"")
    _assert_recorded(report, row, "empty")


async def test_a_feed_with_no_entries_is_not_an_error(engine, server, ingest_config):
    report, row = await _good_then_bad(engine, server, ingest_config, body=rss([]))
    assert report.status == row.last_status == "empty" and row.error_count == 0


async def test_duplicate_guids_store_one_article(engine, server, ingest_config):
    twins = [item(3, link="https://example.test/a"), item(3, link="https://example.test/b"), item(4), item(4)]
    report, _row = await _good_then_bad(engine, server, ingest_config, body=rss(twins))
    guids = [a.guid for a in articles_of(engine, server.url("/victim"))]
    assert report.new == 2 and guids == ["test-guid-1", "test-guid-2", "test-guid-3", "test-guid-4"]


async def test_a_response_cut_off_midway(engine, server, ingest_config):
    report, row = await _good_then_bad(engine, server, ingest_config, body=rss(5), truncate=True)
    assert report.status == "error" and row.error_count == 1
