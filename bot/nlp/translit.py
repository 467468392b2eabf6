"""Spellings of one place in many scripts and languages, brought to comparable keys.

normal() folds case, accents, apostrophes and Cyrillic (to a Latin form), for exact look-ups of
known names. skeletons() goes further, for spellings no list holds: it reduces a name to the
consonant classes that transliterations agree on. Vowels are dropped (Kharkov/Kharkiv, Kiev/Kyiv),
kh/h/x/g are one class (Harkiv, Belgorod/Bilhorod), ж/ш spellings are one (zh, zj, sh, sj, sch, ż),
ч spellings are one (ch, tsj, tsch, cz), ц and з/с spellings are one (ts, tz, c, z, s: Donetsk,
Donezk, Donieck), and ambiguous "ch" (Dutch/German kh, English ч) yields both.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import product

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ё": "e", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ь": "", "ъ": "", "ы": "y", "э": "e", "ю": "iu", "я": "ia",
}
# Letters that lose their identity in NFKD but carry a sound of their own.
SPECIAL = {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"}
# Ordered: longer spellings first. Upper-case letters are classes, lower-case ones are still letters.
CLASSES = (
    ("schtsch", "Z"), ("shch", "Z"), ("sjtsj", "Z"), ("szcz", "Z"),
    ("tsch", "C"), ("tsj", "C"), ("tch", "C"), ("cz", "C"),
    ("zh", "Z"), ("zj", "!"), ("sch", "Z"), ("sh", "Z"), ("sj", "!"), ("sz", "Z"), ("rz", "Z"),
    ("kh", "H"), ("ch", "?"), ("ts", "s"), ("tz", "s"), ("c", "s"),
    ("x", "H"), ("h", "H"), ("g", "H"), ("w", "v"), ("q", "k"), ("z", "s"),
)
_ACCENTED = {"č": "C", "š": "Z", "ž": "Z", "ż": "Z", "ś": "s", "ź": "s", "ć": "s"}
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_NOT_KEY = re.compile(r"[^0-9a-zA-Z]+")
# Spellings that stand for one of two sounds: Dutch/German "ch" (kh or ch), Dutch "zj"/"sj"
# (zh/sh, or z/s before a soft vowel as in Izjoem, Sjevjerodonetsk).
AMBIGUOUS = {"?": "HC", "!": "Zs"}
_VOWELS = re.compile(r"[aeiouyj]+")
_RUNS = re.compile(r"(.)\1+")


def latin(text: str) -> str:
    """Lower-case Latin letters for any spelling: Cyrillic transliterated, accents stripped."""
    lowered = "".join(CYRILLIC.get(ch, SPECIAL.get(ch, ch)) for ch in text.lower())
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def normal(text: str) -> str:
    """The exact-match key: Latin letters and digits only ("Kramators'k" → "kramatorsk")."""
    return _NOT_ALNUM.sub("", latin(text))


def _classes(text: str) -> str:
    lowered = "".join(_ACCENTED.get(ch) or CYRILLIC.get(ch) or SPECIAL.get(ch, ch) for ch in text.lower())
    decomposed = unicodedata.normalize("NFKD", lowered)
    word = _NOT_KEY.sub("", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))
    for spelling, cls in CLASSES:
        word = word.replace(spelling, cls)
    return word


@lru_cache(maxsize=65536)
def skeletons(text: str) -> frozenset[str]:
    """The consonant-class keys of a spelling; more than one only where "ch" is ambiguous."""
    word = _classes(text)
    marks = [ch for ch in word if ch in AMBIGUOUS][:4]
    keys = set()
    for choice in product(*(AMBIGUOUS[mark] for mark in marks)):
        filled = word
        for mark, cls in zip(marks, choice):
            filled = filled.replace(mark, cls, 1)
        for mark, options in AMBIGUOUS.items():  # past the fourth: the first reading
            filled = filled.replace(mark, options[0])
        keys.add(_RUNS.sub(r"\1", _VOWELS.sub("", filled)))
    return frozenset(k for k in keys if k)


KMU = {"є": ("ye", "ie"), "ї": ("yi", "i"), "й": ("y", "i"), "ю": ("yu", "iu"), "я": ("ya", "ia")}
KMU_PLAIN = {"г": "h", "ґ": "g", "и": "y", "і": "i", "е": "e", "х": "kh", "ц": "ts", "щ": "shch", "ь": "", "'": "", "’": "", "ʼ": ""}


def ukrainian_latin(text: str) -> str:
    """The official Ukrainian romanization (KMU 2010): "Авдіївка" → "Avdiivka", "Ізюм" → "Izium"."""
    out, word_start = [], True
    for ch in text.replace("зг", "zgh").replace("Зг", "Zgh"):
        lower = ch.lower()
        if lower in KMU:
            latin_ch = KMU[lower][0 if word_start else 1]
        else:
            latin_ch = KMU_PLAIN.get(lower, CYRILLIC.get(lower, lower))
        out.append(latin_ch.capitalize() if ch != lower and latin_ch else latin_ch)
        word_start = not ch.isalpha() and ch not in "'’ʼ"
    return "".join(out)


def is_ukrainian(text: str) -> bool:
    """Cyrillic with letters only Ukrainian has."""
    return any(ch in "іїєґІЇЄҐ" for ch in text)
