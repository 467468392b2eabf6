"""HTML to clean text with a real parser (selectolax/Lexbor), page furniture left out."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

# Elements that never hold article text.
DROP_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "form", "button",
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


def _is_furniture(node: LexborNode) -> bool:
    attrs = node.attributes
    marks = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
    return any(mark in marks for mark in FURNITURE_MARKS)


def _walk(root: LexborNode) -> list[str]:
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
        if tag == "-comment" or tag in DROP_TAGS or _is_furniture(node):
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
    tree = LexborHTMLParser(html[:MAX_HTML])
    root = tree.body or tree.root
    if root is None:
        return ""
    return _tidy("".join(_walk(root)))


def _tidy(text: str) -> str:
    paragraphs = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n\n".join(p for p in paragraphs if p and not FURNITURE_LINE.match(p))


def inline_text(html: str, limit: int = 500) -> str:
    """One line of text (a title or author) from possibly hostile HTML, capped in length."""
    text = " ".join(html_to_text(html).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
