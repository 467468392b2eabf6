"""Pure: text toward Telegram, measured and cut the way Telegram measures it. Telegram counts a
message in UTF-16 code units of the text after entity parsing (tags gone, entities unescaped), so an
emoji counts 2 and "&amp;" counts 1. `split` is the one splitter every sender uses (digests,
/digest, replies, alerts): parts at paragraph, then line, then word boundaries, never inside a tag
or an entity, with the tags open at a cut closed and opened again in the next part.

Every string from a feed meets Telegram through `escape` (and a feed's URL through `link`): the
guard against bidi and invisible control characters sits here, at the one step all feed text takes
toward Telegram, rather than in the ingest clean step, because it then covers every path (titles,
claims, speakers, outlet names, errors) and the rows stored before it, and leaves the stored text
(and the character offsets of what the reader found in it) as the feed gave it."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

LIMIT = 4096
CAPTION_LIMIT = 1024
_TOKEN = re.compile(r"<[^<>]*>|&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});|.", re.S)
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)")
_PLAIN = re.compile(r"[\n\t\x20-\x7e]*")
KEEP_FORMAT = {"\u200c", "\u200d"}  # ZWNJ, ZWJ: join letters and emoji; they cannot reorder text
# break preference: before a blank line (a paragraph, a digest item), a line, a word
_RANK = {"\n\n": 3, "\n": 2, " ": 1}


def units(text: str) -> int:
    """Length of plain text as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def length(markup: str) -> int:
    """Length of Telegram HTML as Telegram counts it: UTF-16 units of the text after entity parsing."""
    return sum(_size(token) for token in _TOKEN.findall(markup))


def plain(markup: str) -> str:
    """The text Telegram shows for HTML: tags removed, entities unescaped."""
    return "".join(html.unescape(t) for t in _TOKEN.findall(markup) if not _is_tag(t))


@lru_cache(maxsize=4096)
def _visible(ch: str) -> str:
    category = unicodedata.category(ch)
    if category in ("Zl", "Zp"):
        return "\n"
    if ch in "\n\t" or ch in KEEP_FORMAT or category not in ("Cc", "Cf", "Cs"):
        return ch
    return ""  # bidi embeddings/overrides/isolates, marks, zero-width, soft hyphen, BOM, tags, lone surrogates


def visible(text: str) -> str:
    """Text without bidi controls or other invisible control characters (joiners kept)."""
    if _PLAIN.fullmatch(text):
        return text
    return "".join(_visible(ch) for ch in text)


def escape(text: str | None, inline: bool = False) -> str:
    """A string from a feed, safe inside Telegram HTML; `inline` also folds it onto one line."""
    text = visible(text or "")
    if inline:
        text = " ".join(text.split())
    return html.escape(text)


def web_url(url: str | None) -> str | None:
    """The URL when it is an http(s) address with a host, else None (javascript:, data:, mailto: …)."""
    url = visible(url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url):
        return None
    return url


def link(url: str | None, label_html: str) -> str:
    """A link around already-escaped label HTML, or the label alone when the URL is not http(s)."""
    target = web_url(url)
    return f'<a href="{html.escape(target, quote=True)}">{label_html}</a>' if target else label_html


def as_plain(markup: str, links: bool = True) -> str:
    """The text Telegram shows for HTML, with each link's address after its name ("name <url>")."""
    out, targets = [], []
    for token in _TOKEN.findall(markup):
        if not _is_tag(token):
            out.append(html.unescape(token))
        elif _name(token) == "a" and not token.startswith("</"):
            found = re.search(r'href="([^"]*)"', token)
            targets.append(html.unescape(found.group(1)) if found and links else "")
        elif _name(token) == "a" and targets:
            target = targets.pop()
            out.append(f" <{target}>" if target else "")
    return "".join(out)


def fallback(markup: str, limit: int = LIMIT) -> str:
    """A refused HTML message as plain text (sent without parse mode), within `limit` as Telegram
    counts it: links as "name <url>" when that fits, else the text the HTML would have shown."""
    text = as_plain(markup)
    if units(text) > limit:
        text = plain(markup)
    return cut_plain(text, limit)


def cut(markup: str, limit: int) -> str:
    """HTML shortened to at most `limit` units, at a boundary, with an ellipsis when cut."""
    if length(markup) <= limit:
        return markup
    first = split(markup, max(2, limit - 1))[0]
    return first + "…"


def cut_plain(text: str, limit: int = LIMIT) -> str:
    """Plain text (no parse mode) shortened to at most `limit` units, with an ellipsis when cut."""
    if units(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        if used + units(ch) > limit - 1:
            break
        out.append(ch)
        used += units(ch)
    return "".join(out).rstrip() + "…"


def split(markup: str, limit: int = LIMIT, continued: str = "") -> list[str]:
    """HTML in parts of at most `limit` units each; parts after the first begin with `continued`."""
    tokens = _TOKEN.findall(markup)
    sizes = [_size(t) for t in tokens]
    extra = length(continued) + 2 if continued else 0
    parts, start, stack = [], 0, ()
    while start < len(tokens):
        budget = limit - (extra if parts else 0)
        end, after = _cut_point(tokens, sizes, start, stack, budget)
        body = "".join(stack) + "".join(tokens[start:end]) + _closing(after)
        if plain(body).strip():
            parts.append(f"{continued}\n\n{body}" if parts and continued else body)
        start, stack = _skip_space(tokens, end), after
    return parts or ([markup] if markup else [])


def _cut_point(tokens: list[str], sizes: list[int], start: int, stack: tuple, budget: int) -> tuple[int, tuple]:
    """Where the part from `start` ends (the best boundary within budget) and the tags open there."""
    used, open_tags, i, best = 0, list(stack), start, None
    while True:
        if start < i < len(tokens) and not tokens[i].startswith("</"):  # a cut before a closing tag
            rank = _rank(tokens, i)                                      # would leave it empty next part
            if best is None or rank >= best[2]:
                best = (i, tuple(open_tags), rank)
        if i == len(tokens):
            return i, tuple(open_tags)
        if used + sizes[i] > budget:
            break
        _track(open_tags, tokens[i])
        used += sizes[i]
        i += 1
    if best is None:  # not one boundary within budget: cut where the budget ends (at least one token)
        if i == start:
            _track(open_tags, tokens[i])
            i += 1
        return i, tuple(open_tags)
    return best[0], best[1]


def _rank(tokens: list[str], i: int) -> int:
    token = tokens[i]
    if token == "\n":
        return _RANK["\n\n"] if i + 1 < len(tokens) and tokens[i + 1] == "\n" else _RANK["\n"]
    return _RANK[" "] if token == " " else 0


def _track(open_tags: list[str], token: str) -> None:
    if not _is_tag(token):
        return
    if token.startswith("</"):
        name = _name(token)
        for k in range(len(open_tags) - 1, -1, -1):
            if _name(open_tags[k]) == name:
                del open_tags[k]
                break
    elif not token.endswith("/>"):
        open_tags.append(token)


def _closing(open_tags: tuple) -> str:
    return "".join(f"</{_name(tag)}>" for tag in reversed(open_tags))


def _skip_space(tokens: list[str], i: int) -> int:
    while i < len(tokens) and tokens[i] in ("\n", " "):
        i += 1
    return i


def _is_tag(token: str) -> bool:
    return len(token) > 1 and token[0] == "<"


def _name(tag: str) -> str:
    found = _TAG_NAME.match(tag)
    return found.group(1).lower() if found else ""


def _size(token: str) -> int:
    if _is_tag(token):
        return 0
    return units(html.unescape(token)) if token[0] == "&" and len(token) > 1 else units(token)
