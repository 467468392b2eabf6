"""Pure: language-neutral anchors of a text, for matching across languages without translation (as
JRC NewsExplorer does): names brought to a script- and case-folded stem, numbers written as digits,
and, for a language no reading pipeline of ours reads (Polish today), its places found through the
gazetteer's many-language names with the commonest case endings taken off."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.items.textvec import idf
from bot.nlp.translit import normal

STEM = 5
NAME_IDF = 3.0  # a name as common as "Moscow" or "Putin" says little about which event it is
_NAME = re.compile(r"\b[^\W\d_][\w'’-]{3,}", re.UNICODE)
_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[ .,]\d{3})*(?:[.,]\d+)?(?![\d])")
# Polish case endings, longest first (Kijowie → Kijow, Kramatorsku → Kramatorsk, Bachmutu → Bachmut).
_ENDINGS = ("owi", "ach", "ami", "iem", "ie", "iu", "em", "om", "u", "a", "y", "i", "ą", "ę")


def stem(word: str) -> str:
    """A name's stem: folded, its first letters (Zelensky, Zelenskiy, Zełenski → zelen)."""
    return normal(word)[:STEM]


def names(text: str, language: str | None) -> tuple[str, ...]:
    """Stems of the rare capitalised words of a text (names of people, places, things)."""
    found = {stem(w) for w in _NAME.findall(text) if w[0].isupper() and idf(w.lower(), language or "en") >= NAME_IDF}
    return tuple(sorted(s for s in found if len(s) >= 4))


def numbers(text: str) -> tuple[float, ...]:
    """Numbers written in digits (2 and up; years left out: they name no event)."""
    values = set()
    for raw in _NUMBER.findall(text):
        digits = raw.replace(" ", "").replace(".", "").replace(",", "") if re.search(r"[ .,]\d{3}$", raw) else raw.replace(",", ".")
        try:
            value = float(digits)
        except ValueError:
            continue
        if value >= 2 and not (1900 <= value <= 2100):
            values.add(value)
    return tuple(sorted(values))


def places(text: str, lookup: Callable[[str], str | None]) -> tuple[str, ...]:
    """Places named in a text no pipeline reads: each capitalised word, or it less a case ending."""
    found = []
    for word in _NAME.findall(text):
        if not word[0].isupper():
            continue
        key = normal(word)
        slug = lookup(key) or next((lookup(key[: -len(e)]) for e in _ENDINGS
                                    if key.endswith(normal(e)) and len(key) - len(e) >= 4 and lookup(key[: -len(e)])), None)
        if slug:
            found.append(slug)
    return tuple(found)
