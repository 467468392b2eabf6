"""The one splitter and measure toward Telegram, checked against the Bot API test server's parser."""

from __future__ import annotations

import pytest

from bot.digests import tgtext
from tests.botapi import parse_entities, utf16_length


def _accepted(part: str, limit: int = tgtext.LIMIT) -> str:
    plain, _ = parse_entities(part)  # raises where Telegram would refuse the entities
    assert utf16_length(plain) <= limit, utf16_length(plain)
    return plain


@pytest.mark.parametrize("markup", ["<b>Kyiv</b> &amp; 😀 <a href=\"https://x.test/?a=1&amp;b=2\">wire</a>",
                                    "🇺🇦" * 10 + "&lt;3&#128512;", "plain words\nand lines"])
def test_length_is_what_telegram_counts(markup):
    assert tgtext.length(markup) == utf16_length(parse_entities(markup)[0])
    assert tgtext.plain(markup) == parse_entities(markup)[0]


def test_emoji_rich_blocks_are_split_under_telegrams_limit_not_pythons():
    block = "<b>Headline 🇺🇦</b>\n" + "\n".join(f"• <i>speaker</i> 💥🔥 {'😀' * 60} &amp; more" for _ in range(4))
    text = "\n\n".join([block] * 30)
    assert len(text) < 4096 * 5 and tgtext.length(text) > 4096 * 2
    parts = tgtext.split(text)
    assert len(parts) >= 3
    assert "".join(_accepted(p) for p in parts).replace("\n", "") == tgtext.plain(text).replace("\n", "")
    assert all(p.count("<b>Headline") == p.count("</b>") for p in parts)  # items kept whole: cut between them


def test_a_cut_inside_an_element_closes_and_reopens_it():
    text = '<b><a href="https://x.test/">' + "word " * 3000 + "</a></b>"
    parts = tgtext.split(text, limit=1000)
    assert len(parts) > 1
    for part in parts:
        assert part.startswith('<b><a href="https://x.test/">') and part.endswith("</a></b>")
        plain, entities = parse_entities(part)
        assert utf16_length(plain) <= 1000 and [e.get("url") for e in entities if e["type"] == "text_link"] == ["https://x.test/"]


def test_an_entity_is_never_cut_and_continuations_are_counted():
    text = "&amp;" * 5000
    parts = tgtext.split(text, limit=4096, continued="<i>(more)</i>")
    assert [_accepted(p) for p in parts][0] == "&" * 4096
    assert parts[1].startswith("<i>(more)</i>\n\n") and len(parts) == 2


def test_words_longer_than_a_message_are_cut_anyway():
    parts = tgtext.split("x" * 9000)
    assert [len(_accepted(p)) for p in parts] == [4096, 4096, 808]


def test_cut_and_cut_plain_stay_under_the_limit():
    assert tgtext.length(tgtext.cut("<b>" + "😀" * 100 + "</b>", 51)) <= 51
    assert utf16_length(tgtext.cut_plain("😀" * 3000)) <= 4096


@pytest.mark.parametrize("control", ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f",
                                     "\u061c", "\u200b", "\u2060", "\ufeff", "\u00ad", "\x07", "\U000e0041", "\ud83d"])
def test_feed_text_loses_bidi_and_invisible_controls(control):
    assert tgtext.escape(f"600 killed{control} — <b>") == "600 killed — &lt;b&gt;"


def test_joiners_in_emoji_and_words_are_kept_and_separators_become_lines():
    family = "👨\u200d👩\u200d👧"
    assert tgtext.escape(family) == family and tgtext.escape("a\u2028b") == "a\nb"
    assert tgtext.escape("one\n\ntwo  three", inline=True) == "one two three"


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "mailto:a@b.test",
                                 "java\u202escript:x", "//x.test/a", "https://", "vbscript:x", "http://x.test/a b"])
def test_only_web_links_go_into_href(url):
    assert tgtext.link(url, "Outlet") == "Outlet"


def test_web_links_are_escaped_into_href():
    assert tgtext.link('https://x.test/?a=1&b="2"', "Outlet") == \
        '<a href="https://x.test/?a=1&amp;b=&quot;2&quot;">Outlet</a>'
