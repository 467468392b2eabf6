"""feedparser without the feed's address (bot.ingest.baseless): every entry link and id comes out as
feedparser resolves them given the address, over the shapes of links, ids and bases feeds use; and
the per-element joins against the base are gone (counted, never timed)."""

from __future__ import annotations

import itertools
import urllib.parse

import feedparser
import pytest

from bot.ingest import baseless

BASES = ("http://feeds.example.test/news/rss.xml", "HTTP://Example.TEST:80/a/b/feed?x=1",
         "https://example.test/dir/?a=1&amp;b=2", "file:///srv/feeds/local.xml", "https://example.test")
LINKS = ("", "https://example.test/story/1", "story/2", "/top/3", "../up/4", "?p=5&amp;q=6", "#part",
         "http:///three/slashes", "  spaced/7  ", "//other.test/8", "javascript:alert(1)", "a;b=c/9",
         "x&amp;y;z", "http://[bad", "https://example.test/s?", "https://example.test/s#", "https://example.test/a;p",
         "HTTPS://example.test/up", "https://example.test/sp ace", "https://example.test/q?a=1&amp;b=2#f")
GUIDS = ("", "https://example.test/g/1", "opaque-2", "tag:example.test,2023:3", "/rooted/4")
PERMALINK = ("", ' isPermaLink="false"', ' isPermaLink="true"', ' ISPERMALINK="false"')


def _rss(link: str, guid: str, permalink: str, extra: str = "") -> bytes:
    item = f"<title>T</title><description>d</description>{extra}"
    if link:
        item += f"<link>{link}</link>"
    if guid:
        item += f"<guid{permalink}>{guid}</guid>"
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F</title>'
            f"<item>{item}</item><item>{item.replace('T<', 'U<')}</item></channel></rss>").encode()


def _reference(body: bytes, base: str) -> list[tuple]:
    data = feedparser.parse(body, response_headers={"content-location": base}, **baseless.OPTIONS)
    return [(e.get("link"), e.get("id")) for e in data.entries]


def _ours(body: bytes, base: str) -> list[tuple]:
    data = baseless.parse(body, {"content-location": base})
    return [(e.get("link"), e.get("id")) for e in data.entries]


@pytest.mark.parametrize("base", BASES)
def test_rss_links_and_guids_resolve_as_feedparser_resolves_them_with_the_address(base):
    for link, guid, permalink in itertools.product(LINKS, GUIDS, PERMALINK):
        body = _rss(link, guid, permalink)
        assert _ours(body, base) == _reference(body, base), (link, guid, permalink)


@pytest.mark.parametrize("base", BASES)
def test_atom_rdf_and_xml_base_resolve_as_feedparser_resolves_them_with_the_address(base):
    atom = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"{attr}><title>F</title>'
            '<entry><id>{id}</id><title>T</title><link rel="alternate" type="text/html" href="{href}"/></entry></feed>')
    rdf = ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           'xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>F</title></channel>'
           '<item rdf:about="{id}"><title>T</title><link>{href}</link></item></rdf:RDF>')
    for attr in ("", ' xml:base="http://elsewhere.test/base/"', ' xml:base="sub/"', ' XML:BASE = "sub/"'):
        for href, ident in itertools.product(LINKS[1:8], GUIDS[1:]):
            for template in (atom, rdf):
                body = template.format(attr=attr, id=ident, href=href).encode()
                assert _ours(body, base) == _reference(body, base), (template[:30], attr, href, ident)


@pytest.mark.parametrize("base", BASES)
def test_a_feed_mixing_permalinks_and_opaque_guids_resolves_as_feedparser_resolves_it(base):
    for first, second in itertools.permutations(PERMALINK + (' foo:isPermaLink="false"', ' isPermaLink="FALSE"'), 2):
        items = "".join(f"<item><title>T{n}</title><link>story/{n}</link><guid{p}>id-{n}</guid></item>"
                        for n, p in enumerate((first, second)))
        body = f'<rss version="2.0" xmlns:foo="urn:x"><channel><title>F</title>{items}</channel></rss>'.encode()
        assert _ours(body, base) == _reference(body, base), (first, second)


def test_a_body_is_parsed_twice_only_when_its_ids_cannot_be_told(monkeypatch):
    parses = []
    real = feedparser.parse
    monkeypatch.setattr(feedparser, "parse", lambda *args, **kwargs: parses.append(1) or real(*args, **kwargs))
    base = "https://example.test/feed.xml"
    for permalink, expected in (("", 1), (' isPermaLink="false"', 1)):
        parses.clear()
        baseless.parse(_rss("story/1", "opaque-1", permalink), {"content-location": base})
        assert len(parses) == expected, permalink
    parses.clear()
    mixed = _rss("story/1", "opaque-1", ' isPermaLink="false"').replace(b"</channel>", b"<item><title>V</title>"
                                                                       b"<link>s/2</link><guid>o-2</guid></item></channel>")
    baseless.parse(mixed, {"content-location": base})
    assert len(parses) == 2


def test_a_feed_without_an_address_parses_as_before():
    body = _rss("story/1", "opaque-2", "")
    assert _ours(body, "") == [("story/1", "opaque-2")] * 2


def test_joins_against_the_feeds_address_are_two_per_entry_however_many_elements_it_has(monkeypatch):
    joins = []
    real = urllib.parse.urljoin

    def counting(base, url, *args, **kwargs):
        if base:
            joins.append(url)
        return real(base, url, *args, **kwargs)

    monkeypatch.setattr(urllib.parse, "urljoin", counting)
    extra = "".join(f"<category>c{n}</category>" for n in range(6)) + "<author>a@example.test (A)</author>"
    items = "".join(_rss(f"story/{n}", f"id-{n}", "", extra).decode().split("<channel><title>F</title>")[1]
                    .removesuffix("</channel></rss>") for n in range(20))
    body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>').encode()
    data = baseless.parse(body, {"content-location": "https://example.test/feed.xml"})
    assert len(data.entries) == 40 and data.entries[0].link == "https://example.test/story/0"
    assert len(joins) <= 2 * len(data.entries) + 2  # a link and an id each; the base settled once


def test_a_plain_absolute_link_or_id_is_not_joined(monkeypatch):
    joins = []
    real = urllib.parse.urljoin

    def counting(base, url, *args, **kwargs):
        if base and url != base:  # not the base's own settling (see _held_base)
            joins.append(url)
        return real(base, url, *args, **kwargs)

    monkeypatch.setattr(urllib.parse, "urljoin", counting)
    items = "".join(f"<item><title>T{n}</title><link>https://example.test/s/{n}?id={n}#top</link>"
                    f"<guid>http://example.test:8080/g/{n}</guid></item>" for n in range(10))
    body = f'<rss version="2.0"><channel><title>F</title>{items}</channel></rss>'.encode()
    data = baseless.parse(body, {"content-location": "https://example.test/feed.xml"})
    assert [e.link for e in data.entries] == [f"https://example.test/s/{n}?id={n}#top" for n in range(10)]
    assert joins == []
    assert baseless.join("https://example.test/feed.xml", "story/1") == "https://example.test/story/1"
    assert joins == ["story/1"]
