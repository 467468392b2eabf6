"""Pure: feed bytes + response headers → parsed articles (feedparser), with a clear bozo policy.

Survivable: a wrong or missing encoding (feedparser re-decodes), a non-XML content type, XML that
the loose parser still turned into entries. Those parse, with a warning for the operator.
Fatal (ParseError): an empty body, entity declarations (expansion attacks are refused unread),
a document that is no RSS/Atom feed (an HTML page), or broken XML that yields nothing.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.ingest.clean import html_to_text, inline_text
from bot.ingest.identity import article_identity, content_hash, normalize_url
from bot.ingest.language import entry_languages, normalize_code
from bot.ingest.document import declares_entities, prepare

if TYPE_CHECKING:  # imported where a body is parsed: a pass where every feed answers 304 never needs it
    import feedparser

MAX_ENTRIES = 10_000
MAX_TEXT = 100_000
MAX_URL = 2048  # the article table's url and link columns (storage.models.Article)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ParseError(Exception):
    """A feed body that cannot be read as a feed; kind is a short machine-readable reason."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """One entry, cleaned, before it has an id."""

    url: str | None
    link: str | None
    guid: str | None
    title: str
    summary: str
    text: str
    author: str | None
    language: str | None
    published_at: datetime | None
    content_hash: str

    def identity(self, feed_id: int) -> str:
        """The unique key of this article (see bot.ingest.identity)."""
        return article_identity(feed_id, self.url, self.guid, self.content_hash)


@dataclass(slots=True)
class ParsedFeed:
    """What a feed body held: its articles, its own metadata and what the operator should know."""

    title: str
    language: str | None
    ttl_minutes: int | None
    articles: list[ParsedArticle] = field(default_factory=list)
    filtered_out: int = 0
    warnings: list[str] = field(default_factory=list)


def parse_feed(
    body: bytes,
    headers: dict[str, str] | None = None,
    *,
    base_url: str | None = None,
    language: str | None = None,
    keywords: tuple[str, ...] | list[str] = (),
) -> ParsedFeed:
    """Parse a feed body; raise ParseError when it is no usable feed."""
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    if not body.strip():
        raise ParseError("empty", "the response body was empty")
    body, headers = prepare(body, headers)
    if declares_entities(body):
        raise ParseError("entities", "the document declares XML entities; refused unread")
    if base_url:
        headers.setdefault("content-location", base_url)
    from bot.ingest import baseless

    try:
        # No sanitizing and no resolving of links inside HTML: clean.html_to_text keeps only the text
        # of every fragment (scripts and styles dropped) and everything is escaped toward Telegram, so
        # feedparser's sanitizer (half the cost of parsing) and URI rewriting would be thrown away.
        # Entry links and ids are still resolved against the feed's address (bot.ingest.baseless).
        data = baseless.parse(body, headers)
    except Exception as exc:  # feedparser's own bug on some input: the feed fails, clearly, not the run
        raise ParseError("unparsable", f"the feed parser gave up: {type(exc).__name__}: {exc}") from None
    warnings = _bozo_policy(data, body, headers)
    channel = data.get("feed", {})
    configured, declared = normalize_code(language), normalize_code(channel.get("language"))
    feed_language = configured or declared
    parsed = ParsedFeed(
        title=inline_text(channel.get("title", ""), 200),
        language=feed_language,
        ttl_minutes=_ttl(channel.get("ttl")),
        warnings=warnings,
    )
    entries = data.get("entries", [])
    if len(entries) > MAX_ENTRIES:
        warnings.append(f"{len(entries)} entries; only the first {MAX_ENTRIES} were read")
    needles = tuple(unicodedata.normalize("NFC", k).casefold() for k in keywords if k.strip())
    for number, entry in enumerate(entries[:MAX_ENTRIES], start=1):
        try:
            article = _article(entry, feed_language)
        except Exception as exc:  # one bad entry is skipped and said; the others are stored
            warnings.append(f"entry {number} skipped: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        if article is None:
            warnings.append("an entry with neither title nor text was skipped")
        elif needles and not _matches(article, needles):
            parsed.filtered_out += 1
        else:
            parsed.articles.append(article)
    if not configured:  # what the channel declares is checked against its entries (bot.ingest.language)
        found = entry_languages(declared, [f"{a.title}\n{a.text}" for a in parsed.articles])
        parsed.articles = [a if a.language == lang else replace(a, language=lang)
                           for a, lang in zip(parsed.articles, found)]
    return parsed


def _bozo_policy(data: feedparser.FeedParserDict, body: bytes, headers: dict[str, str]) -> list[str]:
    import feedparser

    exc = data.get("bozo_exception") if data.get("bozo") else None
    if not data.get("version") and not data.get("entries"):
        looks_html = "html" in headers.get("content-type", "") or b"<html" in body[:4096].lower()
        what = "an HTML page" if looks_html else "not an RSS or Atom feed"
        raise ParseError("not_a_feed", f"{what}, not a feed" + (f" ({exc})" if exc else ""))
    if exc is None or isinstance(exc, feedparser.NonXMLContentType):
        return []  # a feed served as text/plain or text/html is still a feed
    if isinstance(exc, feedparser.CharacterEncodingOverride):
        return [f"wrong encoding declared: {exc}"]
    if not data.get("entries"):
        raise ParseError("malformed", f"malformed feed with no readable entries: {exc}")
    return [f"malformed XML, {len(data['entries'])} entries recovered: {exc}"]


def _ttl(value: object) -> int | None:
    try:
        minutes = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return minutes if 0 < minutes <= 7 * 24 * 60 else None


def _clean(text: str, limit: int = MAX_TEXT) -> str:
    # NFC, so that "ï" typed as i + diaeresis matches a keyword and hashes alike.
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))[:limit]


def _text_of(detail: dict | None, value: str) -> str:
    if detail is not None and detail.get("type") == "text/plain":
        return _clean(value.strip())
    return _clean(html_to_text(value))


def _article(entry: feedparser.FeedParserDict, feed_language: str | None) -> ParsedArticle | None:
    title = _clean(inline_text(entry.get("title", "")), 500)
    summary = _text_of(entry.get("summary_detail"), entry.get("summary", ""))
    bodies = [_text_of(c, c.get("value", "")) for c in entry.get("content", [])]
    text = max([summary, *bodies], key=len)
    if not title and not text:
        return None
    link = (entry.get("link") or "").strip()[:MAX_URL] or None
    url = normalize_url(link) if link else None
    guid = _clean((entry.get("id") or "").strip(), 512) or None
    author = _clean(inline_text(entry.get("author", ""), 300), 300) or None
    return ParsedArticle(
        # Normalizing can make a URL longer than its link; one too long to store is no identity.
        url=url if url and len(url) <= MAX_URL else None,
        link=link,
        guid=guid,
        title=title or inline_text(text, 120),
        summary=summary,
        text=text,
        author=author,
        language=feed_language,
        published_at=_published(entry),
        content_hash=content_hash(title, text),
    )


def _published(entry: feedparser.FeedParserDict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (ValueError, OverflowError, OSError):
                continue  # a date that rolls past year 9999 is no date: try the next one
    return None


def _matches(article: ParsedArticle, needles: tuple[str, ...]) -> bool:
    haystack = f"{article.title}\n{article.summary}\n{article.text}".casefold()
    return any(needle in haystack for needle in needles)
