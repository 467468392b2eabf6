"""Feeds a careless or hostile publisher sends: one bad entry never costs the others, wide encodings
are read whatever the content type says, and entity declarations are refused however they hide."""

from __future__ import annotations

import codecs

import pytest

import bot.ingest.parse
from bot.ingest.parse import ParseError, parse_feed
from bot.ingest.pipeline import Ingestor
from tests.factories import atom, item, rss
from tests.helpers import Clock, add_feed, articles_of, feed_row

BAD_REFERENCES = {
    "split-surrogate-pair": ("&#55357;&#56832;", "\U0001F600"),  # one emoji, written as two halves
    "beyond-unicode": ("&#x110000;", "\ufffd"),
    "22-digits": ("&#" + "9" * 22 + ";", "\ufffd"),
    "lone-surrogate": ("&#xD800;", "\ufffd"),
}


async def _ingest(engine, server, config, body: bytes, **route) -> tuple:
    url = server.route("/feed", body, **route)
    add_feed(engine, url)
    (report,) = await Ingestor(engine, config, clock=Clock()).run_once()
    return report, feed_row(engine, url), articles_of(engine, url)


@pytest.mark.parametrize("where", ["title", "description"])
@pytest.mark.parametrize("case", BAD_REFERENCES, ids=list(BAD_REFERENCES))
async def test_a_bad_character_reference_costs_no_entry(engine, server, ingest_config, case, where):
    reference, shown = BAD_REFERENCES[case]
    bad = item(2, title=f"Bad {reference} title") if where == "title" else item(2, description=f"Bad {reference} text")
    report, row, stored = await _ingest(engine, server, ingest_config, rss([item(1), bad, item(3)]))
    assert report.new == 3 and row.error_count == 0, (report.status, report.message)
    assert [a.guid for a in stored] == ["test-guid-1", "test-guid-2", "test-guid-3"]
    assert f"Bad {shown}" in (stored[1].title if where == "title" else stored[1].text)


async def test_a_date_past_year_9999_keeps_the_entry_without_a_date(engine, server, ingest_config):
    body = atom([("urn:a:1", "First", "<p>One.</p>"), ("urn:a:2", "Second", "<p>Two.</p>")])
    body = body.replace(b"<updated>2023-01-08T10:00:00+02:00</updated>", b"<updated>9999-12-31T23:59:59-05:00</updated>", 1)
    report, row, stored = await _ingest(engine, server, ingest_config, body, headers={"Content-Type": "application/atom+xml"})
    assert report.new == 2 and row.error_count == 0, report.message
    assert [(a.title, a.published_at is None) for a in stored] == [("First", True), ("Second", False)]


async def test_an_entry_that_fails_is_skipped_and_said_and_the_others_are_stored(engine, server, ingest_config,
                                                                                  monkeypatch):
    real = bot.ingest.parse.normalize_url

    def failing_on_one(url: str) -> str | None:  # stands for any bug an entry may hit in our code
        if url.endswith("/news/2"):
            raise ValueError("a bug met by entry 2")
        return real(url)

    monkeypatch.setattr(bot.ingest.parse, "normalize_url", failing_on_one)
    report, row, stored = await _ingest(engine, server, ingest_config, rss(3))
    assert [a.guid for a in stored] == ["test-guid-1", "test-guid-3"]
    assert report.status == row.last_status == "warning" and "entry 2 skipped" in row.last_error


def _wide(encoding: str, mark: bytes) -> bytes:
    return mark + rss([item(1, title="Київ"), item(2)], encoding=None).decode().encode(encoding)


@pytest.mark.parametrize("content_type", ["text/xml", "text/plain", "application/rss+xml"])
@pytest.mark.parametrize(("encoding", "mark"), [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
                                                ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-16-le", b"")],
                         ids=["utf-16-le", "utf-16-be", "utf-32-le", "utf-16-le-unmarked"])
def test_a_wide_encoding_is_read_whatever_the_content_type(content_type, encoding, mark):
    parsed = parse_feed(_wide(encoding, mark), {"Content-Type": content_type})
    assert [a.title for a in parsed.articles] == ["Київ", "Test report number 2 from Kramatorsk"]


def _declaring(prefix: str, subset: str) -> str:
    return (f'<?xml version="1.0"?>{prefix}<!DOCTYPE rss [{subset}<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            '<rss version="2.0"><channel><title>&lol2;</title><item><title>x &lol2;</title></item></channel></rss>')


@pytest.mark.parametrize("body", [
    _declaring("<!--" + "c" * 70_000 + "-->", "").encode(),
    _declaring("", '<!ATTLIST item note CDATA "]">').encode(),
    codecs.BOM_UTF16_LE + _declaring("", "").encode("utf-16-le"),
    _declaring("", "").replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16"),
], ids=["long-comment-first", "attlist-first", "utf-16", "utf-16-declared"])
def test_entity_declarations_are_refused_however_they_hide(body):
    with pytest.raises(ParseError) as refused:
        parse_feed(body, {"Content-Type": "application/rss+xml"})
    assert refused.value.kind == "entities"


def test_a_doctype_without_entities_is_still_a_feed():
    body = rss(2).replace(b'<rss version="2.0">', b'<!DOCTYPE rss [<!ATTLIST item note CDATA "]">]><rss version="2.0">')
    assert len(parse_feed(body, {}).articles) == 2
