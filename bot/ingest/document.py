"""Pure: a feed body made fit for feedparser, decided on the whole document, never on a byte prefix.

- UTF-16/32 (a byte order mark, or the byte patterns of the XML spec's appendix F) is transcoded to
  UTF-8 and the content type says so: feedparser follows RFC 3023, which reads text/xml without a
  charset as US-ASCII, so such a feed served as text/xml or text/plain was refused as no feed.
- Numeric character references that name no character (a surrogate pair written as two references,
  beyond U+10FFFF, 22 digits) are repaired (bot.ingest.clean.repair_char_refs): feedparser's loose parser
  raised on them and the whole feed was lost for one entry.
- Entity declarations are looked for by expat itself, in the prolog, so that a long comment first,
  an ATTLIST first or another encoding cannot hide one (a search of the first 64 KB could be).
"""

from __future__ import annotations

import codecs
import re
from xml.parsers import expat

from bot.ingest.clean import repair_char_refs

# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_MARKS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
          (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# Without a mark, how "<?" or "<" begins in each wide encoding (XML 1.0, appendix F).
_PATTERNS = ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
             (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"))
_DECLARED = re.compile(r"""^(<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


class _Prolog(Exception):
    """Raised from expat's handlers: the prolog has been read."""


def wide_encoding(body: bytes) -> tuple[str, int] | None:
    """The UTF-16/32 (or marked UTF-8) encoding a body announces by its first bytes, and the
    length of its byte order mark; None for every other body."""
    for mark, name in _MARKS:
        if body.startswith(mark):
            return name, len(mark)
    for pattern, name in _PATTERNS:
        if body.startswith(pattern):
            return name, 0
    return None


def prepare(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """The body and (lower-cased) headers feedparser should get: UTF-8 where the body's own first
    bytes said UTF-16/32, and character references repaired."""
    wide = wide_encoding(body)
    if wide is not None:
        name, skip = wide
        text = _DECLARED.sub(r'\1"utf-8"', body[skip:].decode(name, errors="replace").lstrip("\ufeff"), count=1)
        body = text.encode("utf-8")
        kind = headers.get("content-type", "").split(";")[0].strip() or "application/xml"
        headers = headers | {"content-type": f"{kind}; charset=utf-8"}
    if b"&#" in body:
        # References are ASCII in every encoding left here; latin-1 maps bytes to text one to one.
        body = repair_char_refs(body.decode("latin-1")).encode("latin-1")
    return body, headers


def declares_entities(body: bytes) -> bool:
    """Whether the document's prolog declares an entity, as expat reads it. A prolog expat cannot
    read is refused if the text holds an entity declaration anywhere."""
    # latin-1 keeps every ASCII byte of the markup where it is, in any encoding prepare() left.
    text = body.decode("latin-1")
    parser = expat.ParserCreate()
    found: list[str] = []

    def entity(name: str, *_rest: object) -> None:
        found.append(name)
        raise _Prolog

    def element(*_args: object) -> None:
        raise _Prolog

    parser.EntityDeclHandler = entity
    parser.StartElementHandler = element
    try:
        parser.Parse(text, True)
    except _Prolog:
        pass
    except expat.ExpatError:
        return "<!entity" in text.lower()
    return bool(found)
