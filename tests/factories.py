"""Builders for feeds and entries written for the tests (no real outlet's text)."""

from __future__ import annotations

from html import escape


def item(n: int, *, title: str | None = None, link: str | None = None, guid: str | None = None,
         description: str | None = None, pub: str = "Sun, 08 Jan 2023 10:00:00 +0100") -> str:
    """One RSS <item>; every field may be overridden, raw (already escaped) where it holds markup."""
    title = escape(f"Test report number {n} from Kramatorsk") if title is None else title
    link = f"https://example.test/news/{n}" if link is None else link
    guid = f"test-guid-{n}" if guid is None else guid
    description = escape(f"<p>Body of test report {n}: a claim, a denial and a number ({n}).</p>") \
        if description is None else description
    parts = [f"<title>{title}</title>", f"<description>{description}</description>", f"<pubDate>{pub}</pubDate>"]
    if link:
        parts.append(f"<link>{link}</link>")
    if guid:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    return "<item>" + "".join(parts) + "</item>"


def rss(items: list[str] | int = 3, *, title: str = "Test feed", language: str | None = "en",
        extra: str = "", encoding: str | None = "utf-8") -> bytes:
    """An RSS 2.0 document with the given items (or that many generated ones)."""
    if isinstance(items, int):
        items = [item(n) for n in range(1, items + 1)]
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>' if encoding else '<?xml version="1.0"?>'
    lang = f"<language>{language}</language>" if language else ""
    text = (f'{declaration}<rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>https://example.test/</link>{lang}{extra}{''.join(items)}</channel></rss>")
    return text.encode(encoding or "utf-8")


def atom(entries: list[tuple[str, str, str]], *, lang: str | None = None) -> bytes:
    """An Atom feed from (id, title, html summary) triples."""
    xml_lang = f' xml:lang="{lang}"' if lang else ""
    body = "".join(
        f"<entry><id>{i}</id><title>{escape(t)}</title><link href=\"https://example.test/a/{i}\"/>"
        f"<updated>2023-01-08T10:00:00+02:00</updated><summary type=\"html\">{escape(s)}</summary></entry>"
        for i, t, s in entries
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"{xml_lang}>'
            f"<title>Atom test</title><id>urn:test</id><updated>2023-01-08T10:00:00Z</updated>{body}</feed>").encode()
