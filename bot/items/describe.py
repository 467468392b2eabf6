"""Pure: what grouping takes from an article's own words, beside its reading: the TF-IDF vector, rare
names, numbers in digits, its kind, and for a language no pipeline reads, the places it names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.items import anchors, kinds, textvec


@dataclass(frozen=True, slots=True)
class Words:
    """The text-side features of one article."""

    terms: tuple[tuple[str, float], ...]
    names: tuple[str, ...]
    figures: tuple[float, ...]
    kind: str
    places: tuple[tuple[str, int], ...]  # only for text no pipeline read
    concepts: tuple[str, ...] = ()  # war concepts, the same ids in every language (bot.items.anchors)


def words_of(title: str, text: str, language: str | None, link: str | None, read: bool,
             lookup: Callable[[str], str | None]) -> Words:
    """The text-side features; places from the gazetteer only when the article had no reading."""
    whole = f"{title}\n{text}"
    places: tuple[tuple[str, int], ...] = ()
    if not read:
        in_title = set(anchors.places(title, lookup))
        named = anchors.places(whole, lookup)
        # As reading weighs them: the headline counts double, each mention adds, capped at 4.
        places = tuple(sorted((s, min(4, named.count(s) + (1 if s in in_title else 0))) for s in set(named)))
    return Words(tuple(sorted(textvec.vector(title, text, language).items())), anchors.names(whole, language),
                 anchors.numbers(whole), kinds.kind_of(title, link), places, anchors.concepts(whole, language))
