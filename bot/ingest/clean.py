"""HTML to clean text with a real parser (selectolax/Lexbor), page furniture left out."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Elements that never hold article text.
# Feedparser does not sanitize for us (bot.ingest.parse): what its sanitizer drops whole is dropped here.
DROP_TAGS = ("script", "style", "applet", "noscript", "iframe", "object", "embed", "form", "button",
             "nav", "aside", "footer", "header", "svg", "template", "select", "input")
# class/id fragments that mark sharing bars, adverts, newsletter boxes and link lists.
FURNITURE_MARKS = ("share", "social", "advert", "ad-slot", "ads-", "promo", "newsletter",
                   "related", "more-from", "read-more", "readmore", "subscribe", "cookie",
                   "comments", "sponsor", "teaser", "recommend")
# Whole paragraphs that are furniture in Dutch or English.
FURNITURE_LINE = re.compile(
    r"^(lees (ook|meer)|read (more|also|next)|meer (over|van|nieuws)|more (from|on|about)|"
    r"(deel|share) (dit|this)|advertenti[ea]|advertisement|sponsored|"
    r"(meld je aan|schrijf je in|abonneer).*nieuwsbrief|(sign up|subscribe).*newsletter|"
    r"volg ons|follow us|bekijk ook|see also|related:|gerelateerd:)",
    re.IGNORECASE,
)
BLOCK_TAGS = frozenset(("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                        "blockquote", "section", "article", "tr", "table", "pre", "hr", "dd", "dt"))
# Lexbor's cost grows with the square of block nesting depth; capping the input bounds the
# worst case (a hostile 10,000-deep fragment) while real article HTML stays far below it.
MAX_HTML = 128_000
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
# What _SPACES would change in a line: without one of these, each of its matches is one space put
# back as one. Looked for with `in` (a fast scan each), not a regex: an alternation is scanned
# character by character, and this check was a quarter of the cleaning of a plain news summary.
_UNTIDY = ("  ", "\t", "\r", "\f", "\v", "\u00a0")
# A class or id attribute, as an HTML tokenizer reads one (names in any case, space before "=").
# A fragment without one holds no furniture by its marks, and its elements' attributes go unread.
_MARKED = re.compile(r"\b(?:class|id)\s*=", re.IGNORECASE)
# A run of adjacent numeric character references, and one of them. Digits are not capped here:
# a 22-digit reference must be seen (and refused) too.
_REF_RUN = re.compile(r"(?:&#(?:[xX][0-9a-fA-F]+|[0-9]+);)+")
_ONE_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_REPLACEMENT = "&#xFFFD;"


def _code_point(match: re.Match) -> int:
    hex_digits, decimal = match.groups()
    digits = (hex_digits if hex_digits is not None else decimal).lstrip("0") or "0"
    if len(digits) > 8:  # far beyond U+10FFFF either way; int() of it would only waste time
        return -1
    return int(digits, 16 if hex_digits is not None else 10)


def _is_xml_char(point: int) -> bool:
    # XML 1.0's Char production: the code points a reference may name at all.
    return point in (0x9, 0xA, 0xD) or 0x20 <= point <= 0xD7FF or 0xE000 <= point <= 0xFFFD \
        or 0x10000 <= point <= 0x10FFFF


def _repair_run(run: re.Match) -> str:
    refs = [(m.group(), _code_point(m)) for m in _ONE_REF.finditer(run.group())]
    out, index = [], 0
    while index < len(refs):
        ref, point = refs[index]
        low = refs[index + 1][1] if index + 1 < len(refs) else -1
        if 0xD800 <= point <= 0xDBFF and 0xDC00 <= low <= 0xDFFF:
            out.append(f"&#x{0x10000 + ((point - 0xD800) << 10) + (low - 0xDC00):X};")
            index += 2
        else:
            out.append(ref if _is_xml_char(point) else _REPLACEMENT)
            index += 1
    return "".join(out)


def repair_char_refs(text: str) -> str:
    """Numeric character references made safe for any parser: a surrogate pair written as two
    references (broken CMSes do this) becomes one; a reference to no character (a lone surrogate,
    beyond U+10FFFF, 22 digits, NUL) becomes U+FFFD. Valid references are left as they are."""
    return _REF_RUN.sub(_repair_run, text) if "&#" in text else text


def _is_furniture(node: LexborNode) -> bool:
    attrs = node.attributes
    marks = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
    return any(mark in marks for mark in FURNITURE_MARKS)


def _walk(root: LexborNode, marked: bool = True) -> list[str]:
    # Iterative, so that hostile nesting cannot exhaust the recursion limit.
    out: list[str] = []
    stack: list[LexborNode | str] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            out.append(node)
            continue
        tag = node.tag
        if tag == "-text":
            out.append(node.text_content or "")
            continue
        if tag == "-comment" or tag in DROP_TAGS or (marked and _is_furniture(node)):
            continue
        block = tag in BLOCK_TAGS
        if block:
            out.append("\n")
            stack.append("\n")
        stack.extend(reversed(list(node.iter(include_text=True))))
    return out


def html_to_text(html: str) -> str:
    """Readable paragraphs from an HTML fragment or page, furniture removed."""
    if not html or ("<" not in html and "&" not in html):
        return _tidy(html or "")
    html = repair_char_refs(html[:MAX_HTML])
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return ""
    # "=" first: a fragment with no attribute at all (most summaries) is not scanned for one.
    marked = "=" in html and _MARKED.search(html) is not None
    return _tidy("".join(_walk(root, marked=marked)))


def _untidy(text: str) -> bool:
    return any(mark in text for mark in _UNTIDY)


def _tidy(text: str) -> str:
    # Asked once of the whole text: a line ("\n" is no mark) holds a mark only if the text does.
    lines = text.split("\n")
    if _untidy(text):
        lines = [_SPACES.sub(" ", line) if _untidy(line) else line for line in lines]
    paragraphs = (line.strip() for line in lines)
    return "\n\n".join(p for p in paragraphs if p and not FURNITURE_LINE.match(p))


def inline_text(html: str, limit: int = 500) -> str:
    """One line of text (a title or author) from possibly hostile HTML, capped in length."""
    text = " ".join(html_to_text(html).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
