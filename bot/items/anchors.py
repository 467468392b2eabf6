"""Pure: language-neutral anchors of a text, for matching across languages without translation (as
JRC NewsExplorer does): names brought to a script- and case-folded stem, numbers written as digits,
and, for a language no reading pipeline of ours reads (Polish today), its places found through the
gazetteer's many-language names with the commonest case endings taken off."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

from bot.items import polish
from bot.items.textvec import idf
from bot.nlp.translit import normal

STEM = 5
NAME_IDF = 3.0  # a name as common as "Moscow" or "Putin" says little about which event it is
_NAME = re.compile(r"\b[^\W\d_][\w'’-]{3,}", re.UNICODE)
_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[ .,]\d{3})*(?:[.,]\d+)?(?![\d])")
# What may follow a concept's stem: plurals and verb forms (en, nl), Polish case and adjective endings.
_CONCEPT_ENDINGS = frozenset({"", "s", "es", "e", "en", "ed", "d", "ing", "a", "u", "y", "i", "ie", "iu", "ow", "ami",
                              "em", "om", "ach", "owi", "ego", "ej", "emu", "ym", "ymi", "ych", "owa", "owe", "owy",
                              "owych", "ami", "ow", "ek", "ki", "ka", "ke", "ii", "om"})
_FIRST_NAME = re.compile(r" [^\W\d_]", re.UNICODE)  # then check the letter is a capital
_WORDS = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


# How each language writes the sounds of (mostly Slavic) names, brought to one spelling (Szojgu,
# Sjojgoe → shoygu; Pieskow → peskov; Prigożyn, Prigozjin → prigozyn), in order; then every language
# alike: ch → kh (Charków, Charkiv, Kharkiv; Czernihów, Chernihiv), zh → z, w → v, y → i (Zelenskyy).
_FOLDS = {
    "pl": (("cz", "ch"), ("sz", "sh"), ("j", "y")),
    "nl": (("tsj", "ch"), ("sj", "sh"), ("zj", "zh"), ("oe", "u"), ("j", "y")),
}
_COMMON_FOLD = (("ch", "kh"), ("zh", "z"), ("w", "v"), ("y", "i"))
_SOFT_E = re.compile(r"(?<=[^aeiouy])ie")  # Polish writes a soft e after a consonant as "ie" (Pieskow)


def stem(word: str, language: str | None = None) -> str:
    """A name's stem: folded, its first letters (Zelensky, Zelenskiy, Zełenski → zelen; Władimir,
    Vladimir → vladi; Pieskow in Polish, Peskov → pesko)."""
    key = normal(word)
    for spelt, other in _FOLDS.get(language or "", ()):
        key = key.replace(spelt, other)
    if language == "pl":
        key = _SOFT_E.sub("e", key)
    for spelt, other in _COMMON_FOLD:
        key = key.replace(spelt, other)
    return key[:STEM]


def names(text: str, language: str | None) -> tuple[str, ...]:
    """Stems of the rare capitalised words of a text (names of people, places, things)."""
    found = {stem(w, language) for w in set(_NAME.findall(text))  # each word once: a set comes out
             if w[0].isupper() and idf(w.lower(), language or "en") >= NAME_IDF}
    return tuple(sorted(s for s in found if len(s) >= 4))


def _place_of_word(word: str, lookup: Callable[[str], str | None]) -> str | None:
    """The place a capitalised word names, itself or a Polish base form of it (bot.items.polish)."""
    return polish.place(normal(word), lookup)


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
    """Places named in a text no pipeline reads: each capitalised word, or it less a case ending. A
    word the next capitalised word follows at once is a first name, not a town ("Wołodymyr
    Zełenski" is no Volodymyr, "Władimir Putin" no Vladimir)."""
    found = []
    for match in _NAME.finditer(text):
        word = match.group()
        if not word[0].isupper() or _first_name(text, match.end()):
            continue
        slug = _place_of_word(word, lookup)
        if slug:
            found.append(slug)
    return tuple(found + polish.regions(text, lookup))


def _first_name(text: str, end: int) -> bool:
    follows = _FIRST_NAME.match(text, end)
    return bool(follows) and follows.group()[1].isupper()


GENERIC_ACTORS = ("ru.kremlin", "ru.government", "ua.government")


@lru_cache(maxsize=1)
def generic_names() -> frozenset[str]:
    """Stems of the names every report of the war carries (concepts.toml [generic], and the names of
    the two governments in actors.toml): they tell which war, not which event."""
    from bot.nlp.lexicon import actor_by_id

    data = tomllib.loads((resources.files("bot.items") / "data" / "concepts.toml").read_text(encoding="utf-8"))
    words = list(data.get("generic", {}).get("names", ()))
    for actor_id in GENERIC_ACTORS:
        actor = actor_by_id(actor_id)
        words += [w for name in (actor.names if actor else ()) for w in name.split() if w[:1].isupper()]
    # Each spelt as any language would spell it: the list mixes them.
    return frozenset(stem(w, language) for w in words for language in (None, *_FOLDS))


@lru_cache(maxsize=1)
def daily_concepts() -> frozenset[str]:
    """Concepts of nearly every day's news (drones: concepts.toml [daily]): a subject, never a second fact."""
    data = tomllib.loads((resources.files("bot.items") / "data" / "concepts.toml").read_text(encoding="utf-8"))
    return frozenset(data.get("daily", {}).get("concepts", ()))


@lru_cache(maxsize=8)
def _concept_stems(language: str) -> dict[str, str]:
    data = tomllib.loads((resources.files("bot.items") / "data" / "concepts.toml").read_text(encoding="utf-8"))
    return {stem: concept for concept, stems in data.get(language, {}).items() for stem in stems}


def concepts(text: str, language: str | None) -> tuple[str, ...]:
    """The war concepts a text names (bot/items/data/concepts.toml), the same ids in every language."""
    stems = _concept_stems(language or "en")
    found = set()
    for word in set(_WORDS.findall(text)):  # each word once: a set comes out
        key = normal(word)
        for cut in range(len(key), max(2, len(key) - 6), -1):
            concept = stems.get(key[:cut])
            if concept and key[cut:] in _CONCEPT_ENDINGS:
                found.add(concept)
                break
    return tuple(sorted(found))
