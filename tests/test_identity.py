"""Article identity: URL normalization and the order of keys."""

import pytest

from bot.ingest.identity import article_identity, content_hash, normalize_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://www.Example.test/news/a/", "https://example.test/news/a"),
        ("http://example.test/news/a?utm_source=rss&utm_medium=x#comments", "https://example.test/news/a"),
        ("https://example.test/news?id=7&fbclid=abc&ref=home", "https://example.test/news?id=7"),
        ("https://example.test/news?b=2&a=1", "https://example.test/news?a=1&b=2"),
        ("https://example.test:443/x", "https://example.test/x"),
        ("https://example.test:8080/x", "https://example.test:8080/x"),
        ("  https://example.test/x  ", "https://example.test/x"),
    ],
)
def test_normalize_url_drops_what_does_not_name_the_article(given, expected):
    assert normalize_url(given) == expected


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "mailto:a@b", "not a url", "https://[::1/x", ""])
def test_normalize_url_refuses_what_is_no_web_link(bad):
    assert normalize_url(bad) is None


def test_identity_prefers_url_then_guid_then_content():
    chash = content_hash("Title", "Body")
    by_url = article_identity(1, "https://example.test/a", "g", chash)
    assert by_url == article_identity(1, "https://example.test/a", "other", "x")  # same link, same feed
    assert by_url != article_identity(2, "https://example.test/a", "g", chash)  # no feed owns another's link
    by_guid = article_identity(1, None, "g", chash)
    assert by_guid != article_identity(2, None, "g", chash)  # guids are only unique within a feed
    assert article_identity(1, None, None, chash) != by_guid
    assert len({by_url, by_guid}) == 2 and all(len(k) <= 64 for k in (by_url, by_guid))


def test_content_hash_ignores_case_and_spacing_only():
    assert content_hash("Kyiv  denies", "It\nsaid so") == content_hash("kyiv denies", "it said so")
    assert content_hash("Kyiv denies", "") != content_hash("Kyiv confirms", "")


def test_the_content_hash_of_any_spacing_is_the_digest_it_always_was():
    import re
    import sys

    from bot.ingest.identity import digest

    spaces = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]
    for space in spaces:  # every character \s matches: the digests stored before must still match
        title, text = f"{space}Drone{space}{space}strike", f"near the{space}depot.{space}"
        old = re.sub(r"\s+", " ", f"{title} {text}").strip().casefold()
        assert content_hash(title, text) == digest(old), hex(ord(space))
