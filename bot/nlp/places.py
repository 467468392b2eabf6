"""Places: gazetteer look-ups over capitalised word windows, ambiguity settled by importance and
context (the oblast named in the text, the other places), common words kept out unless context
says they are places ("in Bar" is a town; "a bar" is not)."""

from __future__ import annotations

import math

from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
from spacy.lang.nl.stop_words import STOP_WORDS as NL_STOP
from spacy.language import Language
from spacy.tokens import Doc, Token

from bot.nlp.gazetteer import Gazetteer, Place, shared
from bot.nlp.lexicon import actors, lexicon
from bot.nlp.model import PlaceMention
from bot.nlp import translit

MAX_WINDOW = 4
SENTENCE_START_IMPORTANCE = 4.0  # about 10,000 people, or a curated place
STOP_WORDS = {"nl": NL_STOP, "en": EN_STOP}


def _capitalised(token: Token) -> bool:
    first = token.text[:1]
    return first.isupper() and (token.is_alpha or "-" in token.text or "'" in token.text or "’" in token.text)


class PlaceMatcher:
    """Finds place mentions and resolves each to one slug."""

    def __init__(self, lang: str, gazetteer: Gazetteer) -> None:
        words = lexicon(lang)
        self.gazetteer = gazetteer
        self.region_words = gazetteer.region_words
        self.prepositions = words.words("place_prepositions")
        self.common = words.words("common_words") | {w.lower() for w in STOP_WORDS.get(lang, ())}
        # Names of people and bodies are never looked up by skeleton: "Poetin" is no village.
        self.not_places = ({translit.normal(n) for a in actors() for n in a.names}
                           | {translit.normal(w) for w in words.table("side_words")}) - set(gazetteer.aliases)
        self.adjective_endings = tuple(words.words("adjective_suffixes"))
        self._named: set[int] = set()

    def _starts_window(self, doc: Doc, i: int) -> bool:
        token = doc[i]
        if i in self._named:
            return False
        if _capitalised(token):
            return True
        return token.lower_ in self.region_words and i + 1 < len(doc) and _capitalised(doc[i + 1])

    def _window_ok(self, tokens: list[Token]) -> bool:
        last = tokens[-1]
        inner = all(_capitalised(t) or t.text in "-'’" or t.lower_ in self.region_words for t in tokens)
        return inner and (_capitalised(last) or last.lower_ in self.region_words)

    def _lookup(self, doc: Doc, i: int) -> tuple[int, list[Place]]:
        for size in range(min(MAX_WINDOW, len(doc) - i), 0, -1):
            tokens = list(doc[i : i + size])
            if not self._window_ok(tokens):
                continue
            text = doc[i : i + size].text
            key = translit.normal(text)
            fuzzy = size <= 2 and key not in self.not_places and not text.lower().endswith(self.adjective_endings)
            found = self.gazetteer.candidates(text, fuzzy=fuzzy)
            if found and self._plausible(doc, i, size, key, found):
                return size, found
        return 0, []

    def _plausible(self, doc: Doc, i: int, size: int, key: str, found: list[Place]) -> bool:
        if size == 1 and doc[i].is_sent_start and found[0].importance < SENTENCE_START_IMPORTANCE:
            return False  # "Police said …": a capital at the start of a sentence proves nothing
        if size > 1 or key not in self.common:
            return True
        # A common word: a place only after a place preposition, and not at the start of a sentence.
        return i > 0 and not doc[i].is_sent_start and doc[i - 1].lower_ in self.prepositions

    def __call__(self, doc: Doc) -> Doc:
        """Set doc._.places."""
        # A person's name holds no place ("Jaroslav Janoesjevytsj" is no Yaroslavl); a capital that
        # speaks ("Kiev ontkent") is still the place it names.
        self._named = {i for a in doc._.actors or () if not self.gazetteer.candidates(a.text, fuzzy=False)
                       for i in range(a.start, a.end)}
        found: list[tuple[int, int, list[Place]]] = []
        i = 0
        while i < len(doc):
            size, places = self._lookup(doc, i) if self._starts_window(doc, i) else (0, [])
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
            best = places[0] if len(places) == 1 else max(places, key=lambda p: self._score(p, sure, regions))
            mentions.append(PlaceMention(start, end, doc[start:end].text, best.slug))
        return mentions

    @staticmethod
    def _score(place: Place, sure: list[Place], regions: set[str]) -> float:
        score = place.importance
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
