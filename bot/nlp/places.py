"""Places: gazetteer look-ups over capitalised word windows, ambiguity settled by importance and
context (the oblast named in the text, the other places), common words kept out unless context
says they are places ("in Bar" is a town; "a bar" is not)."""

from __future__ import annotations

import math
from itertools import compress
from operator import or_

from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
from spacy.lang.nl.stop_words import STOP_WORDS as NL_STOP
from spacy.language import Language
from spacy.tokens import Doc

from bot.nlp import placecontext as around
from bot.nlp import translit
from bot.nlp.gazetteer import Gazetteer, Place, shared
from bot.nlp.lexicon import actors, lexicon
from bot.nlp.model import PlaceMention, Words

MAX_WINDOW = 4
KNOWN_IMPORTANCE = 5.5  # a country, an oblast, a city of some 300,000: a name every reader knows as a place
COMPOUND = "compound"  # a Dutch compound whose head says nothing of the kind ("Olenivka-gevangenis")
SENTENCE_START_IMPORTANCE = 4.0  # about 10,000 people, or a curated place
STOP_WORDS = {"nl": NL_STOP, "en": EN_STOP}
REMEMBERED = 100_000  # spellings whose look-ups a matcher remembers before it starts afresh


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
        self.lookups = _Lookups(gazetteer)
        self.region_words = gazetteer.region_words
        self.prepositions = words.words("place_prepositions")
        self.common = (words.words("common_words") | {w.lower() for w in STOP_WORDS.get(lang, ())}
                       | _lexicon_words(words))
        # Names of people and bodies are never looked up by skeleton: "Poetin" is no village.
        self.not_places = ({translit.normal(n) for a in actors() for n in a.names}
                           | {translit.normal(w) for w in words.table("side_words")}) - set(gazetteer.aliases)
        self.adjective_endings = tuple(words.words("adjective_suffixes"))
        self.ctx = around.context(lang)
        self.stop = {w.lower() for w in STOP_WORDS.get(lang, ())}
        self._named: set[int] = set()
        self._oblasts: dict[str, Place | None] = {}
        self._fuzzy: dict[str, bool] = {}  # whether a spelling is looked up by near spellings too

    def _starts_window(self, words: Words, i: int) -> bool:
        if i in self._named:
            return False
        if words.capitalised(i):
            return True
        return words.lower[i] in self.region_words and i + 1 < len(words.text) and words.capitalised(i + 1)

    def _reach(self, words: Words, start: int) -> int:
        """How many tokens from start (at most MAX_WINDOW) may be part of a name: capitalised words,
        region words, hyphens and apostrophes."""
        cap, text, lower, region_words = words.cap, words.text, words.lower, self.region_words
        end = min(start + MAX_WINDOW, len(text))
        k = start
        while k < end and (cap[k] or text[k] in "-'’" or lower[k] in region_words):
            k += 1
        return k - start

    def _lookup(self, words: Words, i: int) -> tuple[int, list[Place], str, str | None]:
        """The longest window from token i that names a place: its size, candidates, text, and the kind
        a Dutch compound's head gives ("Donbas-regio"). A window lies within the reach of name words
        and ends in a capitalised or region word."""
        for size in range(self._reach(words, i), 0, -1):
            if not (words.cap[i + size - 1] or words.lower[i + size - 1] in self.region_words):
                continue
            text = words.span_text(i, i + size)
            found = self._candidates(text)
            if found and self._plausible(words, i, size, translit.normal(text), found):
                return size, found + self.lookups.namesakes(text, found), text, None
        parts = around.compound(words.text[i], self.ctx)
        if parts and (found := self._candidates(parts[0])):
            return 1, found, parts[0], parts[1] or COMPOUND
        if self.ctx.genitive_s and words.text[i].endswith("s") and len(words.text[i]) >= 6:
            found = self.lookups.candidates(words.text[i][:-1], fuzzy=False)
            if found and found[0].importance >= KNOWN_IMPORTANCE:
                return 1, found, words.text[i][:-1], None
        return 0, [], "", None

    def _name_word(self, words: Words, i: int) -> bool:
        """A capitalised word that may be part of a person's or thing's name: no adjective, compound or place."""
        text = words.text[i]
        return (words.capitalised(i) and "-" not in text and not text.lower().endswith(self.adjective_endings)
                and not self.lookups.candidates(text, fuzzy=False))

    def _known(self, text: str) -> bool:
        """A name every reader knows as a place (a country, an oblast, a large city)."""
        found = self.lookups.candidates(text, fuzzy=False)
        return bool(found) and found[0].importance >= KNOWN_IMPORTANCE

    def _candidates(self, text: str) -> list[Place]:
        fuzzy = self._fuzzy.get(text)
        if fuzzy is None:  # decided once per spelling
            key, parts = translit.normal(text), text.split()
            # "Na Kyiv" at a sentence start is no spelling of Yenakiieve: near spellings only of names
            fuzzy = bool(self.ctx.fuzzy and len(parts) <= 2 and key not in self.not_places and parts[0].lower() not in self.stop
                         and not text.lower().endswith(self.adjective_endings))
            if len(self._fuzzy) > REMEMBERED:
                self._fuzzy.clear()
            self._fuzzy[text] = fuzzy
        return self.lookups.candidates(text, fuzzy=fuzzy)

    def _plausible(self, words: Words, i: int, size: int, key: str, found: list[Place]) -> bool:
        if size == 1 and words.starts[i] and found[0].importance < SENTENCE_START_IMPORTANCE:
            return False  # "Police said …": a capital at the start of a sentence proves nothing
        after_preposition = i > 0 and not words.starts[i] and words.lower[i - 1] in self.prepositions
        if size == 1 and key in self.ctx.first_names and not after_preposition:
            return False  # "Vladimir", "Roman" alone: a person far more often than the city
        if size == 1 and key not in self.gazetteer.aliases and (
                (i + 1 < len(words.text) and self._name_word(words, i + 1))
                or (i > 0 and not words.starts[i] and self._name_word(words, i - 1))):
            return False  # a near spelling inside a run of names ("Phoenix Ghost", "Petro Kotin") is a name
        if size > 1 or key not in self.common:
            return True
        # A common word: a place only after a place preposition or a word for a settlement ("het dorp Pisky").
        return after_preposition or around.settlement_before(words, i, self.ctx)

    def __call__(self, doc: Doc) -> Doc:
        """Set doc._.places."""
        # A person's name holds no place ("Jaroslav Janoesjevytsj" is no Yaroslavl); a capital that
        # speaks ("Kiev ontkent") is still the place it names.
        words, after = doc._.words, 0
        self._named = {i for a in doc._.actors or () if not self.lookups.candidates(a.text, fuzzy=False)
                       for i in range(a.start, a.end)} | around.person_tokens(words, self.ctx, self._known)
        found: list[tuple[int, int, list[Place], str, str | None]] = []
        # Only a capitalised word or a region word can open a window: the others are not visited.
        region_words = self.region_words
        opening = list(compress(range(len(words.cap)), map(or_, words.cap, map(region_words.__contains__, words.lower))))
        for i in opening:
            if i < after or not self._starts_window(words, i):
                continue
            size, places, text, cue = self._lookup(words, i)
            if size and not self._not_place(words, i, size, places, cue, found):
                found.append((i, i + size, places, text, None if cue == COMPOUND else cue))
            after = i + (size or 1)
        doc._.places = self._resolve(words, found)
        return doc

    def _not_place(self, words: Words, i: int, size: int, places: list[Place], cue: str | None, found: list) -> bool:
        """A name that is part of a body's name, or an abbreviation repeating the place before it ("Loehansk (LPR)")."""
        if words.text[i].isupper() and i >= 2 and words.text[i - 1] == "(" and found and found[-1][1] == i - 1:
            return True
        if cue or places[0].slug in self.ctx.river_of:
            return False  # a compound's article is its head's ("de Zaporizja-kerncentrale"); "de Dnipro" is the river
        return around.body_not_place(words, i, i + size, self.ctx, _city_or_not(places[0]))

    def _resolve(self, words: Words, found: list[tuple[int, int, list[Place], str, str | None]]) -> list[PlaceMention]:
        sure = [places[0] for _, _, places, _, _ in found if len(places) == 1]
        regions = {p.region for p in sure if p.region} | {p.slug for p in sure}
        nearest = _Nearest(sure)
        cues = self._cues(words, found)
        mentions = []
        for (start, end, places, text, _), cue in zip(found, cues):
            best = places[0] if len(places) == 1 else max(places, key=lambda p: self._score(p, nearest, regions, places[0]))
            if cue is None and around.point_before(words, start, self.ctx):
                cue = "point"  # "near Donetsk": the city, whatever the bare name means elsewhere
            best = self._by_kind(best, cue, around.after_article(words, start, self.ctx))
            if best is not None:
                mentions.append(PlaceMention(start, end, text, best.slug))
        return mentions

    def _cues(self, words: Words, found: list) -> list[str | None]:
        """The kind each mention's context asks for; an oblast cue holds for the whole list it ends or
        starts ("Donetsk, Luhansk and Kherson regions", "de regio's Loehansk en Donetsk")."""
        cues = [cue or around.kind_cue(words, start, end, self.ctx) for start, end, _, _, cue in found]
        # a bare name that means its oblast ("Donetsk") makes the names listed with it oblasts too
        prior = [c is None and f[2][0].slug in self.ctx.oblast_first for f, c in zip(found, cues)]
        for run in around.lists(words, [(f[0], f[1]) for f in found], self.ctx):
            if len(run) > 1 and ({"oblast", "region"} & {cues[run[0]], cues[run[-1]]} or any(prior[n] for n in run)):
                for n in run:
                    cues[n] = cues[n] if cues[n] == "city" else "oblast"
        return cues

    def _by_kind(self, place: Place, cue: str | None, after_article: bool) -> Place | None:
        """The river or oblast a city's name stands for when the context says so; None for a region the
        gazetteer does not hold ("Oryol and Kursk regions": not the city of Oryol)."""
        river = self.ctx.river_of.get(place.slug)
        if cue in ("city", "point"):
            return place
        if river and (cue == "river" or after_article):
            return self.gazetteer.get(river) or place
        if cue == "region":
            return self._oblast_of(place) if place.kind in ("city", "abroad") else place
        if cue == "oblast" and place.kind in ("city", "abroad"):
            # every Ukrainian city of note has its oblast; a Russian one may not be held ("Oryol")
            return self._oblast_of(place) or (place if place.country == "UA" else None)
        if cue is None and place.slug in self.ctx.oblast_first:
            return self._oblast_of(place) or place
        return place

    def _oblast_of(self, place: Place) -> Place | None:
        """The oblast named after a city ("Kherson" → Kherson Oblast), or None."""
        if place.slug not in self._oblasts:
            keys = (translit.normal(f"{place.name} {word}") for word in ("oblast", "region"))
            hits = (self.gazetteer.places[i] for key in keys for i in self.gazetteer.aliases.get(key, ()))
            self._oblasts[place.slug] = next((p for p in hits if p.kind in ("oblast", "area") and p.slug != place.slug),
                                             None)
        return self._oblasts[place.slug]

    @staticmethod
    def _score(place: Place, nearest: _Nearest, regions: set[str], first: Place) -> float:
        score = place.importance + (1.0 if place is first else 0.0)
        if place.region in regions:
            score += 3
        if nearest.sure:
            score += 2 * math.exp(-nearest(place) / 150)
        return score


class _Lookups:
    """The gazetteer's answers for a spelling, remembered across documents (news repeats its names,
    and a fuzzy look-up is the costly part of reading places); a new list on every answer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer, self.known = gazetteer, {}

    def _remembered(self, key: tuple, answer) -> list[Place]:
        found = self.known.get(key)
        if found is None:
            if len(self.known) > REMEMBERED:
                self.known.clear()
            found = self.known[key] = answer()
        return list(found)

    def candidates(self, text: str, fuzzy: bool = True) -> list[Place]:
        """Gazetteer.candidates, remembered (a spelling already asked costs one look-up, no closure)."""
        found = self.known.get((text, fuzzy))
        if found is not None:
            return list(found)
        return self._remembered((text, fuzzy), lambda: self.gazetteer.candidates(text, fuzzy=fuzzy))

    def namesakes(self, text: str, found: list[Place]) -> list[Place]:
        """Gazetteer.namesakes, remembered."""
        return self._remembered((text, tuple(p.slug for p in found)), lambda: self.gazetteer.namesakes(text, found))


class _Nearest:
    """The distance from a place to the nearest of the places a text names for sure; each sure place
    counted once and each distance worked out once per text (a long text repeats its places)."""

    def __init__(self, sure: list[Place]) -> None:
        self.sure = list({id(p): p for p in sure}.values())
        self.known: dict[int, float] = {}

    def __call__(self, place: Place) -> float:
        if id(place) not in self.known:
            self.known[id(place)] = min(_km(place, other) for other in self.sure)
        return self.known[id(place)]


def _city_or_not(place: Place) -> str:
    return "city" if place.kind in ("city", "abroad") and place.population else place.kind


def _km(a: Place, b: Place) -> float:
    dlat = math.radians(b.lat - a.lat)
    dlon = math.radians(b.lon - a.lon) * math.cos(math.radians(a.lat))
    return 6371 * math.hypot(dlat, dlon)


@Language.factory("fb_places", default_config={"cache_dir": "data/cache"})
def make_places(nlp: Language, name: str, cache_dir: str) -> PlaceMatcher:
    """Factory: the place matcher, on the gazetteer compiled into cache_dir."""
    return PlaceMatcher(nlp.lang, shared(cache_dir))
