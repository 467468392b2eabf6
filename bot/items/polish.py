"""Pure: the base forms a Polish place name may come from, for a language no reading pipeline of ours
reads. A Polish name changes its ending with its case, and some change the consonant before it too
(Haga → w Hadze, Bachmut → w Bachmucie, Sołedar → w Sołedarze, Moskwa → w Moskwie, Holandia → do
Holandii); and capitals abroad have Polish names of their own (Waszyngton, Londyn, Haga) that the
gazetteer's many-language names lack (bot/items/data/places_pl.toml, our own list of exonyms)."""

from __future__ import annotations

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


@lru_cache(maxsize=1)
def exonyms() -> dict[str, str]:
    """Folded Polish names of places → gazetteer slugs (bot/items/data/places_pl.toml)."""
    data = tomllib.loads((resources.files("bot.items") / "data" / "places_pl.toml").read_text(encoding="utf-8"))
    return {normal(name): slug for slug, names in data["places"].items() for name in names}


def bases(key: str) -> Iterator[str]:
    """A folded word, then the base forms its ending may come from (long enough to be names)."""
    yield key
    for ending, replacements in _FORMS:
        if key.endswith(ending):
            stem = key[: -len(ending)]
            yield from (stem + r for r in replacements if len(stem + r) >= MIN_BASE)


def place(key: str, lookup: Callable[[str], str | None]) -> str | None:
    """The place a folded word names, itself or as one of its base forms (our exonyms first)."""
    names = exonyms()
    for base in bases(key):
        found = names.get(base) or lookup(base)
        if found:
            return found
    return None
