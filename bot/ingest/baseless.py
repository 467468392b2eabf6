"""Pure: feedparser run without the feed's address, and the entry link and id resolved after, exactly.

Given a base (the Content-Location header), feedparser joins it with the element's xml:base on every
start tag, to resolve addresses of which we keep two: an entry's link and its id (bot.ingest.parse).
That join was a quarter of feedparser's time on a plain news feed. So feedparser gets no base, and
those two are joined after with its own rule (the slashes after "scheme://" dropped, then urljoin)
against the base it would have held; joining twice gives what joining once would, so the result is the
same string. How feedparser treated the ids is told from the body: with no isPermaLink and no rdf:about
it resolved every one; where every guid says isPermaLink="false" and there is no Atom id, none.
Otherwise an id it may have left alone (not the entry's link, changed by the base) cannot be told,
and the body is parsed again the old way, with its base (two parses, for such bodies only). A body
with an xml:base (or base) attribute, whose nested bases are feedparser's to combine, is parsed the old
way at once.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import feedparser

# Attribute spellings that change how feedparser resolves; found in the bytes (a false alarm in the
# text only costs the old, slower parse). Attribute names are case-insensitive to feedparser, so the
# patterns are matched against the body lower-cased once (ASCII, as re.IGNORECASE is for bytes): an
# IGNORECASE search has no literal to skip ahead by, and those scans took a tenth of a parse.
_BASE_ATTRIBUTE = re.compile(rb"base\s*=")
_ABOUT = re.compile(rb"about\s*=")
_GUID = re.compile(rb"<(?:\w+:)?guid[\s>/]")
# [^<>], not [^>]: a scan that stops at the next tag keeps a hostile run of "<guid " linear.
_FALSE_GUID = re.compile(rb"<(?:\w+:)?guid\s(?:[^<>]*?\s)?ispermalink\s*=\s*([\"'])false\1")
_ATOM_ID = re.compile(rb"<(?:\w+:)?id[\s>/]")
# feedparser.urls._urifixer: "http:///x" is read as "http://x".
_SCHEME_SLASHES = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
OPTIONS = {"sanitize_html": False, "resolve_relative_uris": False}  # why: bot.ingest.parse.parse_feed
# An absolute http(s) URL that urljoin gives back as it is, against any base: with another scheme it
# is returned untouched, with the same one re-assembled from its parts, which for this shape (a plain
# host, no ";" parameters, no empty "?" or "#", no control character or space) are the string again.
# Most entry links and ids are such; each cost a urlparse and a urlunparse for nothing.
_PLAIN_ABSOLUTE = re.compile(r"https?://[A-Za-z0-9.:-]+(?:/[^\x00-\x20;?#]*)?(?:\?[^\x00-\x20#]+)?(?:#[^\x00-\x20]+)?")


def join(base: str, uri: str) -> str:
    """feedparser's join of a reference against a base ("" where urllib refuses the reference)."""
    if _PLAIN_ABSOLUTE.fullmatch(uri):
        return uri
    uri = _SCHEME_SLASHES.sub(r"\1\3", uri)
    try:
        return urllib.parse.urljoin(base, uri)
    except ValueError:
        return ""


def parse(body: bytes, headers: dict[str, str]) -> feedparser.FeedParserDict:
    """feedparser's result for the body and (lower-cased) headers, as if given the Content-Location
    header as its base, without paying for that base on every element."""
    import feedparser

    location = headers.get("content-location", "")
    lowered = body.lower() if location else b""
    base = _held_base(location) if location and not _BASE_ATTRIBUTE.search(lowered) else None
    if base is None:
        return feedparser.parse(body, response_headers=headers, **OPTIONS)
    rest = {name: value for name, value in headers.items() if name != "content-location"}
    data = feedparser.parse(body, response_headers=rest, **OPTIONS)
    if not resolve(data.get("entries", []), base, _ids_resolved(lowered)):
        return feedparser.parse(body, response_headers=headers, **OPTIONS)
    return data


def _ids_resolved(lowered: bytes) -> bool | None:
    """Whether feedparser, given a base, resolved every entry id (True), none (False), or it depends
    on each guid's isPermaLink, which its result does not keep (None); of the body lower-cased."""
    if b"ispermalink" not in lowered and not _ABOUT.search(lowered):
        return True
    if not _ATOM_ID.search(lowered) and len(_GUID.findall(lowered)) == len(_FALSE_GUID.findall(lowered)):
        return False  # ids are rdf:about or guids that are no permalinks: neither is resolved
    return None


def _held_base(location: str) -> str | None:
    """The base feedparser holds once it has seen a start tag: it rejoins its base with itself on
    each one. None (parse the old way) if that took more than one step to settle, or if the base holds
    what feedparser would rewrite in a joined link."""
    from feedparser.urls import make_safe_absolute_uri

    first = make_safe_absolute_uri(location, location) or location
    if "&" in first:  # feedparser fixes "&amp;" in a link after joining, so in the base's part too
        return None
    return first if (make_safe_absolute_uri(first, first) or first) == first else None


def resolve(entries: list, base: str, ids_resolved: bool | None) -> bool:
    """Join each entry's link and id against the base, in place, as feedparser would have; False
    (and the entries half done) when an id's treatment cannot be told."""
    for entry in entries:
        if link := entry.get("link"):
            entry["link"] = join(base, link)
        if ids_resolved is False or not (guid := entry.get("id")):
            continue
        joined = join(base, guid)
        if joined == guid:
            continue
        if not (ids_resolved or entry.get("guidislink")):
            return False
        entry["id"] = joined
    return True
