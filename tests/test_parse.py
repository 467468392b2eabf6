"""Parsing: bytes + headers → articles, the bozo policy, and a golden file."""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.ingest.parse import ParseError, parse_feed
from tests.factories import atom, item, rss

DATA = Path(__file__).parent / "data"


def _as_json(parsed) -> dict:
    def article(a):
        row = dataclasses.asdict(a)
        row["published_at"] = a.published_at.isoformat() if a.published_at else None
        return row

    return {"title": parsed.title, "language": parsed.language, "ttl_minutes": parsed.ttl_minutes,
            "warnings": parsed.warnings, "articles": [article(a) for a in parsed.articles]}


def test_golden_rss_parses_into_its_golden_json():
    parsed = parse_feed((DATA / "golden_rss.xml").read_bytes(), {"content-type": "application/rss+xml"},
                        base_url="https://golden.example.test/feed")
    golden = DATA / "golden_rss.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(json.dumps(_as_json(parsed), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert _as_json(parsed) == json.loads(golden.read_text(encoding="utf-8"))


def test_atom_dates_are_normalized_to_utc_and_language_taken_from_the_feed():
    parsed = parse_feed(atom([("urn:a:1", "Kharkiv hit", "<p>A strike on Kharkiv, officials said.</p>")], lang="en"))
    (article,) = parsed.articles
    assert article.published_at == datetime(2023, 1, 8, 8, 0, tzinfo=UTC)
    assert article.language == "en"
    assert article.text == "A strike on Kharkiv, officials said."


def test_configured_language_wins_and_missing_language_is_detected():
    dutch = item(1, title="Rusland beweert dat het zondag kazernes heeft geraakt",
                 description="Kiev ontkent dat er militairen zijn omgekomen bij de aanval.")
    assert parse_feed(rss([dutch], language="en"), language="nl").articles[0].language == "nl"
    assert parse_feed(rss([dutch], language=None)).articles[0].language == "nl"
    english = item(2, title="Russia says it hit barracks on Sunday",
                   description="Kyiv denies that any soldiers were killed in the strike.")
    assert parse_feed(rss([english], language=None)).articles[0].language == "en"


POLISH = [("Rosja twierdzi, że w nocy zniszczyła magazyn amunicji pod Charkowem",
           "Według ukraińskiego sztabu atak został odparty, a żaden z żołnierzy nie zginął. Ministerstwo nie podało "
           "szczegółów i zapowiada, że do sprawy wróci po południu."),
          ("Ukraina ogłasza nowe ewakuacje z obwodu donieckiego",
           "Władze proszą mieszkańców, aby jak najszybciej opuścili miasto, które jest pod ostrzałem od tygodnia.")]
ENGLISH = [("Russia says it destroyed an ammunition depot near Kharkiv overnight",
            "According to the Ukrainian general staff the attack was repelled and none of the soldiers was killed. "
            "The ministry gave no details and said it would return to the matter in the afternoon."),
           ("Ukraine orders new evacuations from the Donetsk region",
            "The authorities asked residents to leave the town, which has been under fire for a week, as soon as possible.")]


def test_a_channel_that_declares_a_language_its_entries_are_not_in_is_corrected_by_their_words():
    entries = [item(n, title=t, description=d) for n, (t, d) in enumerate(POLISH + ENGLISH[:1], start=1)]
    parsed = parse_feed(rss(entries, language="en-US"))
    assert [a.language for a in parsed.articles] == ["pl", "pl", "en"]  # each told by its own words
    assert parse_feed(rss(entries, language="en-US"), language="en").articles[0].language == "en"  # configured wins


def test_entries_in_the_declared_language_keep_it_and_short_ones_are_not_guessed():
    english = [item(n, title=t, description=d) for n, (t, d) in enumerate(ENGLISH, start=1)]
    assert [a.language for a in parse_feed(rss(english, language="en")).articles] == ["en", "en"]
    short = [item(1, title="Dnipro: nie ma prądu", description="Zima."), *english]  # too few words to tell
    assert [a.language for a in parse_feed(rss(short, language="en")).articles] == ["en", "en", "en"]
    dutch = item(3, title="Rusland zegt dat het een munitiedepot bij Charkiv heeft vernietigd",
                 description="Volgens de Oekraïense generale staf is de aanval afgeslagen en is er niemand gedood.")
    assert parse_feed(rss([dutch], language="en")).articles[0].language == "nl"


def test_keyword_filter_keeps_only_entries_that_name_the_war():
    entries = [item(1, title="Brazilianen bestormen parlement", description="Onrust in Brasília."),
               item(2, title="Aanval op Oekraïense stad", description="Een raket trof de stad.")]
    parsed = parse_feed(rss(entries), keywords=["oekraï", "rusland"])
    assert [a.title for a in parsed.articles] == ["Aanval op Oekraïense stad"]
    assert parsed.filtered_out == 1


def test_hostile_html_in_titles_and_bodies_becomes_plain_text():
    hostile = item(1, title="&lt;script&gt;alert('x')&lt;/script&gt;&lt;b&gt;Kherson&lt;/b&gt; shelled",
                   description="&lt;img src=x onerror=alert(1)&gt;&lt;p onclick='x()'&gt;Body&lt;/p&gt;"
                               "&lt;iframe src='https://evil.test'&gt;&lt;/iframe&gt;")
    (article,) = parse_feed(rss([hostile])).articles
    assert article.title == "Kherson shelled"
    assert article.text == "Body"


def test_feedparser_neither_sanitizes_nor_rewrites_the_html_we_turn_into_text(monkeypatch):
    """Our cleaning keeps only text, so feedparser's sanitizer and link rewriting would be thrown away."""
    import feedparser.mixin

    calls: list[str] = []
    for name in ("_sanitize_html", "resolve_relative_uris"):
        real = getattr(feedparser.mixin, name)
        monkeypatch.setattr(feedparser.mixin, name, lambda *a, _real=real, _name=name: calls.append(_name) or _real(*a))
    hostile = item(1, link="/news/1", description="&lt;p&gt;Body &lt;a href='/more'&gt;here&lt;/a&gt;&lt;/p&gt;"
                                                  "&lt;script&gt;steal()&lt;/script&gt;&lt;applet&gt;x&lt;/applet&gt;")
    (article,) = parse_feed(rss([hostile]), base_url="https://example.test/feed").articles
    assert calls == []
    assert article.text == "Body here" and article.link == "https://example.test/news/1"


def test_control_characters_and_nul_bytes_are_removed():
    (article,) = parse_feed(rss([item(1, title="Kyiv\x0b report", description="Body&#x1;text")])).articles
    assert "\x0b" not in article.title and "\x01" not in article.text


def test_wrong_declared_encoding_is_survived_with_a_warning():
    body = rss([item(1, title="Charkiv: één dode in Kiëv", description="Tekst")]).replace(
        b'encoding="utf-8"', b'encoding="utf-8"').decode("utf-8").encode("latin-1")
    parsed = parse_feed(body, {"content-type": "application/rss+xml; charset=utf-8"})
    assert parsed.articles[0].title == "Charkiv: één dode in Kiëv"
    assert any("encoding" in w for w in parsed.warnings)


def test_missing_encoding_declaration_falls_back_to_the_http_charset():
    body = rss([item(1, title="Zaporizja: schade aan centrale", description="Tekst über")], encoding=None)
    latin = body.decode("utf-8").encode("latin-1")
    parsed = parse_feed(latin, {"content-type": "text/xml; charset=iso-8859-1"})
    assert parsed.articles[0].text == "Tekst über"


def test_malformed_xml_with_readable_entries_is_recovered_with_a_warning():
    body = rss(2).replace(b"</channel></rss>", b"<item><title>broken & <b></title></item>")
    parsed = parse_feed(body)
    assert len(parsed.articles) >= 2
    assert any("malformed XML" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"", "empty"),
        (b"   \n  ", "empty"),
        (b"<!doctype html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>", "not_a_feed"),
        (b"just some words, no markup at all", "not_a_feed"),
        (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><rss version="2.0">'
         b"<channel><title>&b;</title></channel></rss>", "entities"),
    ],
)
def test_fatal_bodies_raise_a_typed_parse_error(body, kind):
    with pytest.raises(ParseError) as raised:
        parse_feed(body, {"content-type": "text/html" if b"html" in body else "application/xml"})
    assert raised.value.kind == kind


def test_an_empty_feed_is_a_feed_with_no_articles():
    parsed = parse_feed(rss([]))
    assert parsed.articles == [] and parsed.warnings == []


def test_ttl_is_read_and_silly_values_ignored():
    assert parse_feed(rss(1, extra="<ttl>90</ttl>")).ttl_minutes == 90
    assert parse_feed(rss(1, extra="<ttl>-5</ttl>")).ttl_minutes is None
    assert parse_feed(rss(1, extra="<ttl>soon</ttl>")).ttl_minutes is None


def test_relative_links_resolve_against_the_feed_url():
    parsed = parse_feed(rss([item(1, link="/news/relative-1")]), base_url="https://example.test/feeds/rss")
    assert parsed.articles[0].link == "https://example.test/news/relative-1"


def test_decomposed_accents_are_composed_so_keywords_still_match():
    decomposed = "Oekrai\u0308ne"
    parsed = parse_feed(rss([item(1, title=f"Nieuws uit {decomposed}")]), keywords=["oekraï"])
    assert parsed.articles[0].title == "Nieuws uit Oekraïne"
