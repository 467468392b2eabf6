"""Language of a text, when the feed does not say: py3langid, narrowed to the languages we read; and
a check of the language a feed declares against its own entries' words."""

from __future__ import annotations

import re
import threading
from collections import Counter
from itertools import islice

# Languages the news about Ukraine arrives in; narrowing the set makes short texts reliable.
CANDIDATES = ("nl", "en", "de", "fr", "uk", "ru", "pl", "es", "it")
MIN_CHARS = 20


_LOCK = threading.Lock()
_loaded: list[object] = []


def _identifier() -> object:
    """The model, loaded once per process: feeds are parsed in several threads at once, and each
    would load its own copy (tens of MB each) if they all found it missing together. It keeps only
    the candidates' columns: py3langid's set_languages narrows the table it scores with but keeps the
    full one (142 languages, 28 MB) for a later reset, which we never ask for; rebuilt from the
    narrowed arrays, the identifier scores exactly as before and the full table is freed."""
    if not _loaded:
        with _LOCK:
            if not _loaded:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                full = LanguageIdentifier.from_model_file(MODEL_FILE)
                full.set_languages(list(CANDIDATES))
                _loaded.append(LanguageIdentifier(full.nb_ptc, full.nb_pc, full.nb_classes, full.tk_nextmove,
                                                  full.tk_output, tk_row=full.tk_row))
    return _loaded[0]


def normalize_code(code: str | None) -> str | None:
    """'nl-NL', 'en_us', 'NL' → 'nl'; anything else unusable → None."""
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    return primary if 2 <= len(primary) <= 3 and primary.isalpha() else None


def detect(text: str) -> str | None:
    """The most likely language of the text, or None when it is too short to tell."""
    if len(text.strip()) < MIN_CHARS:
        return None
    lang, _score = _identifier().classify(text[:2000])
    return lang


# Some feeds declare a language their items are not in (a Polish outlet's channel says en-US: 4% of a
# real month's war items). Read as the declared language, such an item is read wrong and shows its
# words in the other language's digests. The check runs on every feed, so it must be cheap and small:
# py3langid's model holds 56 MB for as long as the process lives, so words that make up a large
# share of any running text in one language decide instead (Cyrillic letters tell Russian and Ukrainian).
FUNCTION_WORDS = {
    "en": "the of and to in is was for on that with by as at from has have are were be it its this after says said",
    "nl": "de het een van en in is dat op te niet met voor zijn die ook aan door bij naar om wordt heeft werd maar nog over",
    "pl": "w i na z się nie do że to jest o przez po od za jak co oraz dla ze już czy ale jego które który która",
    "de": "der die das und ist nicht mit von den dem ein eine auf für sich auch wird im zu bei nach",
    "fr": "le la les des et est une un du dans pour que qui sur pas avec par au ce il elle sont",
}


def _owners() -> dict[str, tuple[str, ...]]:
    """Each function word with the languages it is one of ("in": English and Dutch)."""
    owners: dict[str, tuple[str, ...]] = {}
    for lang, words in FUNCTION_WORDS.items():
        for word in words.split():
            owners[word] = (*owners.get(word, ()), lang)
    return owners


_OWNERS = _owners()
_TOKEN = re.compile(r"[^\W\d_]+")
_UKRAINIAN, _RUSSIAN, _CYRILLIC = re.compile("[іїєґІЇЄҐ]"), re.compile("[ыэъЫЭЪ]"), re.compile("[а-яА-ЯёЁіїєґІЇЄҐ]")
CHARS = 600  # enough running text to tell: a hundred words
SAMPLE = 3  # a feed's entries checked before its declared language is trusted for all of them
CHECK_WORDS = 12  # fewer words than this tell nothing sure
SURE = 2.0  # another language's function words outnumber the declared one's by this much


def entry_languages(declared: str | None, texts: list[str]) -> list[str | None]:
    """Each entry's language: the one its feed declares, unless the entries' words say otherwise.
    A few entries with text enough to tell are checked; only when one of them is surely in another
    language is each entry told by its own words (the declared language where they are unsure). A
    feed that declares nothing has each entry detected (py3langid)."""
    if declared is None:
        return [detect(text) for text in texts]
    told = (text for text in texts if len(_TOKEN.findall(text[:CHARS])) >= CHECK_WORDS)  # read until SAMPLE are found
    if all(surely(text, declared) == declared for text in islice(told, SAMPLE)):
        return [declared] * len(texts)
    return [surely(text, declared) for text in texts]


def surely(text: str, declared: str) -> str:
    """The language the text is surely in by its words, else the declared one."""
    text = text[:CHARS].lower()
    words = _TOKEN.findall(text)
    if len(words) < CHECK_WORDS:
        return declared
    if len(_CYRILLIC.findall(text)) > len(text) / 3 and declared not in ("ru", "uk"):
        ukrainian, russian = len(_UKRAINIAN.findall(text)), len(_RUSSIAN.findall(text))
        return "uk" if ukrainian > russian else "ru" if russian > ukrainian else declared
    counts = Counter(lang for word in words for lang in _OWNERS.get(word, ()))
    if not counts:
        return declared
    (best, most), = counts.most_common(1)
    return best if best != declared and most >= 3 and most >= SURE * max(counts[declared], 1) else declared
