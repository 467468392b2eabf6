"""Places: gazetteer look-ups over capitalised word windows, ambiguity settled by importance and
context (the oblast named in the text, the other places), common words kept out unless context
says they are places ("in Bar" is a town; "a bar" is not)."""

from __future__ import annotations

import math

from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
from spacy.lang.nl.stop_words import STOP_WORDS as NL_STOP
from spacy.language import Language
from spacy.tokens import Doc

from bot.nlp import translit
from bot.nlp.gazetteer import Gazetteer, Place, shared
from bot.nlp.lexicon import actors, lexicon
from bot.nlp.model import PlaceMention, Words

MAX_WINDOW = 4
SENTENCE_START_IMPORTANCE = 4.0  # about 10,000 people, or a curated place
STOP_WORDS = {"nl": NL_STOP, "en": EN_STOP}


def _lexicon_words(words) -> set[str]:
    """Every single word the lexicon knows as a word of the language ("raket", "heavy" is not one)."""
    found: set[str] = set()
    for key in ("counts", "cues", "concepts", "numbers", "months", "weekdays", "qualifiers", "casualty_verbs"):
        found.update(k for k in words.table(key) if " " not in k)
    for key in ("war_terms", "speaker_nouns"):
        found.update(w for w in words.words(key) if " " not in w)
    return {translit.normal(w) for w in found}


class PlaceMatcher:
    """Finds place mentions and resolves each to one slug."""

    def __init__(self, lang: str, gazetteer: Gazetteer) -> None:
        words = lexicon(lang)
        self.gazetteer = gazetteer
        self.region_words = gazetteer.region_words
        self.prepositions = words.words("place_prepositions")
        self.common = (words.words("common_words") | {w.lower() for w in STOP_WORDS.get(lang, ())}
                       | _lexicon_words(words))
        # Names of people and bodies are never looked up by skeleton: "Poetin" is no village.
        self.not_places = ({translit.normal(n) for a in actors() for n in a.names}
                           | {translit.normal(w) for w in words.table("side_words")}) - set(gazetteer.aliases)
        self.adjective_endings = tuple(words.words("adjective_suffixes"))
        self._named: set[int] = set()

    def _starts_window(self, words: Words, i: int) -> bool:
        if i in self._named:
            return False
        if words.capitalised(i):
            return True
        return words.lower[i] in self.region_words and i + 1 < len(words.text) and words.capitalised(i + 1)

    def _window_ok(self, words: Words, start: int, end: int) -> bool:
        for k in range(start, end):
            if not (words.capitalised(k) or words.text[k] in "-'’" or words.lower[k] in self.region_words):
                return False
        return words.capitalised(end - 1) or words.lower[end - 1] in self.region_words

    def _lookup(self, words: Words, i: int) -> tuple[int, list[Place]]:
        for size in range(min(MAX_WINDOW, len(words.text) - i), 0, -1):
            if not self._window_ok(words, i, i + size):
                continue
            text = words.span_text(i, i + size)
            key = translit.normal(text)
            fuzzy = size <= 2 and key not in self.not_places and not text.lower().endswith(self.adjective_endings)
            found = self.gazetteer.candidates(text, fuzzy=fuzzy)
            if found and self._plausible(words, i, size, key, found):
                return size, found + self.gazetteer.namesakes(text, found)
        return 0, []

    def _plausible(self, words: Words, i: int, size: int, key: str, found: list[Place]) -> bool:
        if size == 1 and words.starts[i] and found[0].importance < SENTENCE_START_IMPORTANCE:
            return False  # "Police said …": a capital at the start of a sentence proves nothing
        if size > 1 or key not in self.common:
            return True
        # A common word: a place only after a place preposition, and not at the start of a sentence.
        return i > 0 and not words.starts[i] and words.lower[i - 1] in self.prepositions

    def __call__(self, doc: Doc) -> Doc:
        """Set doc._.places."""
        # A person's name holds no place ("Jaroslav Janoesjevytsj" is no Yaroslavl); a capital that
        # speaks ("Kiev ontkent") is still the place it names.
        self._named = {i for a in doc._.actors or () if not self.gazetteer.candidates(a.text, fuzzy=False)
                       for i in range(a.start, a.end)}
        found: list[tuple[int, int, list[Place]]] = []
        words, i = doc._.words, 0
        while i < len(doc):
            size, places = self._lookup(words, i) if self._starts_window(words, i) else (0, [])
            if size:
                found.append((i, i + size, places))
            i += size or 1
        doc._.places = self._resolve(doc, found)
        return doc

    def _resolve(self, doc: Doc, found: list[tuple[int, int, list[Place]]]) -> list[PlaceMention]:
        sure = [places[0] for _, _, places in found if len(places) == 1]
        regions = {p.region for p in sure if p.region} | {p.slug for p in sure}
        mentions = []
        for start, end, places in found:
            best = places[0] if len(places) == 1 else max(places, key=lambda p: self._score(p, sure, regions, places[0]))
            mentions.append(PlaceMention(start, end, doc._.words.span_text(start, end), best.slug))
        return mentions

    @staticmethod
    def _score(place: Place, sure: list[Place], regions: set[str], first: Place) -> float:
        score = place.importance + (1.0 if place is first else 0.0)
        if place.region in regions:
            score += 3
        if sure:
            nearest = min(_km(place, other) for other in sure)
            score += 2 * math.exp(-nearest / 150)
        return score


def _km(a: Place, b: Place) -> float:
    dlat = math.radians(b.lat - a.lat)
    dlon = math.radians(b.lon - a.lon) * math.cos(math.radians(a.lat))
    return 6371 * math.hypot(dlat, dlon)


@Language.factory("fb_places", default_config={"cache_dir": "data/cache"})
def make_places(nlp: Language, name: str, cache_dir: str) -> PlaceMatcher:
    """Factory: the place matcher, on the gazetteer compiled into cache_dir."""
    return PlaceMatcher(nlp.lang, shared(cache_dir))
