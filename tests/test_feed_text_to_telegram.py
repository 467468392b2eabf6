"""Issue 11, item 13: text from feeds reaches Telegram without bidi or other invisible controls, and
only http(s) addresses go into href: checked on what Telegram would show (the Bot API test server's
entity parser) for digests, answer pages and alerts alike."""

from __future__ import annotations

import unicodedata

import pytest

from bot.digests.compose import compose
from bot.digests.replies import render_page
from bot.nlp.gazetteer import shared
from tests.botapi import parse_entities
from tests.test_compose import WINDOW, claim, item

RLO, PDF, LRI, PDI, ZWSP = "\u202e", "\u202c", "\u2066", "\u2069", "\u200b"
SPOOF = f"600 killed {RLO})deifirevnu( tsoP vyiK —{PDF}"  # would show as if another outlet had verified it


def _hostile_items() -> list[dict]:
    claims = [claim(f"Minister{LRI} Ivanov{PDI}", "RU", "assert", SPOOF, f"Outlet{ZWSP}", "javascript:alert(1)"),
              claim("Governor", "UA", "deny", "no one was killed", "Kyiv Post", "https://kyivpost.test/a?b=1&c=2"),
              claim("Mayor", "UA", "assert", "a school was hit", "Wire", "data:text/html,<script>x</script>")]
    return [item(1, f"Strike{RLO} on Kramatorsk", "2023-01-08T09:00:00+00:00", places=["kramatorsk"],
                 claims=claims, outlets=(f"Moscow{RLO} Ledger",))]


def _invisible(text: str) -> list[str]:
    return [f"U+{ord(c):04X}" for c in text if unicodedata.category(c) in ("Cf", "Cc", "Cs") and c not in "\n\t"]


def _check(markup: str) -> str:
    plain, entities = parse_entities(markup)
    assert _invisible(plain) == []
    assert all(e["url"].startswith(("http://", "https://")) for e in entities if e["type"] == "text_link")
    return plain


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_digests_and_pages_carry_no_bidi_controls_and_only_web_links(lang):
    # A digest shows a claim's own words to readers of their language only; a page shows them to all.
    digests = [(markup, lang == "en") for markup in compose(_hostile_items(), lang, WINDOW)]
    for markup, words_shown in digests + [(render_page("Kramatorsk", _hostile_items(), 1, lang, "pg:p:x").text, True)]:
        plain = _check(markup)
        if words_shown:
            assert "600 killed )deifirevnu( tsoP vyiK —" in plain  # the words stay, the override goes
        assert "javascript:" not in markup and "data:text" not in markup
        assert 'href="https://kyivpost.test/a?b=1&amp;c=2"' in markup


def test_alerts_carry_no_bidi_controls(cache_dir):
    from bot.digests.send import alert_text

    markup = alert_text(shared(cache_dir), "en", ["kramatorsk"], [{"en": f"Strike{RLO} on {LRI}Kramatorsk{PDI}"}])
    assert "Strike on Kramatorsk" in _check(markup)
