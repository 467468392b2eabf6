"""Language of a text, when the feed does not say: py3langid, narrowed to the languages we read."""

from __future__ import annotations

import threading

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
