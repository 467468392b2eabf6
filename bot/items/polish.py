"""Pure: the base forms a Polish place name may come from, for a language no reading pipeline of ours
reads. A Polish name changes its ending with its case, and some change the consonant before it too
(Haga → w Hadze, Bachmut → w Bachmucie, Sołedar → w Sołedarze, Moskwa → w Moskwie, Holandia → do
Holandii); and capitals abroad have Polish names of their own (Waszyngton, Londyn, Haga) that the
gazetteer's many-language names lack (bot/items/data/places_pl.toml, our own list of exonyms)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib import resources

from bot.nlp.translit import normal

MIN_BASE = 4  # a shorter base is too often a word of its own
# (ending, the base forms it may come from), longest first; folded (no diacritics: ą → a, ę → e).
_FORMS = (
    ("dzie", ("d", "da")),  # Belgradzie → Belgrad
    ("owie", ("ow", "owa")),  # Kijowie → Kijow, Lwowie → Lwow
    ("dze", ("ga",)),  # Hadze → Haga, Rydze → Ryga
    ("rze", ("r", "ra")),  # Sołedarze → Sołedar, Ankarze → Ankara
    ("cie", ("t", "ta")),  # Bachmucie → Bachmut
    ("owi", ("",)),
    ("ach", ("y", "i", "")),  # Sumach → Sumy
    ("ami", ("", "y")),
    ("iem", ("",)),
    ("ego", ("",)),
    ("ii", ("ia",)),  # Holandii → Holandia
    ("ie", ("", "a", "e")),  # Londynie → Londyn, Moskwie → Moskwa
    ("iu", ("", "e")),  # Chersoniu → Cherson, Zaporożu is "u"
    ("em", ("",)),
    ("om", ("",)),
    ("ce", ("ka",)),  # Ameryce → Ameryka
    ("u", ("", "e")),  # Kramatorsku → Kramatorsk, Zaporożu → Zaporoże
    ("a", ("",)),
    ("y", ("", "a")),  # Moskwy → Moskwa
    ("i", ("", "a")),  # Turcji → Turcja
    ("e", ("a", "")),  # Moskwę → Moskwa
)


# A region is named by the adjective of its capital, after the word for it, in any case and often in
# lower case: "w obwodzie briańskim" (Bryansk Oblast), "obwodu biełgorodzkiego", "w Kraju Krasnodarskim".
_REGION = re.compile(r"\b(?:obw[óo]d\w*|kra(?:j|ju|jem)|rejon\w*|okręg\w*)\s+([^\W\d_]{4,})",
                     re.UNICODE | re.IGNORECASE)
# Adjective endings and what the capital's name ends in instead (briański → Briańsk, krasnodarski →
# Krasnodar, biełgorodzki → Biełgorod, doniecki → Donieck), longest first.
_ADJECTIVES = (("zkiego", ("",)), ("zkiej", ("",)), ("zkim", ("",)), ("zki", ("",)),
               ("skiego", ("sk", "")), ("skiej", ("sk", "")), ("skim", ("sk", "")), ("ski", ("sk", "")),
               ("skie", ("sk", "")), ("ska", ("sk", "")), ("ckiego", ("ck",)), ("ckiej", ("ck",)),
               ("ckim", ("ck",)), ("cki", ("ck",)), ("cka", ("ck",)))


@lru_cache(maxsize=1)
def _data() -> dict:
    return tomllib.loads((resources.files("bot.items") / "data" / "places_pl.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def exonyms() -> dict[str, str]:
    """Folded Polish names of places → gazetteer slugs (bot/items/data/places_pl.toml)."""
    return {normal(name): slug for slug, names in _data()["places"].items() for name in names}


@lru_cache(maxsize=1)
def not_places() -> frozenset[str]:
    """Folded base forms that are Polish words, never the towns they spell (ukraiński → Ukrainsk)."""
    return frozenset(normal(word) for word in _data()["not_places"]["words"])


def bases(key: str) -> Iterator[str]:
    """A folded word, then the base forms its ending may come from (long enough to be names)."""
    yield key
    for ending, replacements in _FORMS:
        if key.endswith(ending):
            stem = key[: -len(ending)]
            yield from (stem + r for r in replacements if len(stem + r) >= MIN_BASE)


def place(key: str, lookup: Callable[[str], str | None]) -> str | None:
    """The place a folded word names, itself or as one of its base forms (our exonyms first)."""
    names, words = exonyms(), not_places()
    for base in bases(key):
        found = names.get(base) or (lookup(base) if base not in words else None)
        if found:
            return found
    return None


def regions(text: str, lookup: Callable[[str], str | None]) -> list[str]:
    """The regions a text names by the adjective of their capital (the region when the gazetteer
    knows it as "<capital> oblast", else the capital)."""
    found = []
    for match in _REGION.finditer(text):
        word = normal(match.group(1))
        for ending, replacements in _ADJECTIVES:
            if word.endswith(ending):
                city = next(filter(None, (place(word[: -len(ending)] + r, lookup) for r in replacements)), None)
                if city:
                    found.append(lookup(city.replace("_", "") + "oblast") or city)
                break
    return found
