"""OPML, the feed list every feed reader imports and exports: our feeds out, anyone's feeds in.
Pure: bytes in, FeedSpecs out, and back. Categories (nested outlines) are walked; an outline without
a feed address is a folder, not an error. Document type declarations are refused unread (no entity
expansion from a file someone sent us)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import format_datetime

from bot.ingest.feeds import FeedSpec

# Our own attributes, beside OPML 2.0's; other readers ignore what they do not know.
KEYWORDS, FULLTEXT = "frontbriefKeywords", "frontbriefFulltext"


class OpmlError(ValueError):
    """The file is no OPML we can read; the message says why."""


def to_opml(specs: Iterable[FeedSpec], now: datetime | None = None) -> bytes:
    """An OPML 2.0 document listing the feeds."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "Frontbrief feeds"
    ET.SubElement(head, "dateCreated").text = format_datetime(now or datetime.now(UTC))
    body = ET.SubElement(root, "body")
    for spec in specs:
        outline = ET.SubElement(body, "outline", type="rss", text=spec.name, title=spec.name, xmlUrl=spec.url)
        if spec.language:
            outline.set("language", spec.language)
        if spec.keywords:
            outline.set(KEYWORDS, ",".join(spec.keywords))
        if spec.fulltext:
            outline.set(FULLTEXT, "true")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def from_opml(data: bytes) -> list[FeedSpec]:
    """The feeds an OPML document lists, in document order, each address once."""
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise OpmlError("the file declares a document type or entities; OPML needs neither")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"not well-formed XML ({exc})") from None
    if root.tag != "opml" or root.find("body") is None:
        raise OpmlError("not an OPML document (no <opml> with a <body>)")
    specs, seen = [], set()
    for outline in root.find("body").iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url or url in seen:
            continue
        seen.add(url)
        name = (outline.get("title") or outline.get("text") or url).strip()[:200]
        keywords = tuple(k.strip() for k in (outline.get(KEYWORDS) or "").split(",") if k.strip())
        specs.append(FeedSpec(url=url, name=name, language=(outline.get("language") or None),
                              keywords=keywords, fulltext=outline.get(FULLTEXT) == "true"))
    return specs
