"""Quantities: numbers with what they count ("minstens 600 Oekraïense soldaten gedood" → 600,
killed, soldiers, at_least). A casualty word near the number (before or after) wins over the
noun it counts; numbers in dates and bare years are left alone; numbers that count nothing we
know are not reported."""

from __future__ import annotations

import re
from itertools import compress

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.nlp.lexicon import lexicon
from bot.nlp.model import Quantity, Words
from bot.nlp.tokenfacts import ext, facts, text_between, words_of

CASUALTIES = frozenset({"killed", "wounded", "dead_or_wounded"})
LOOKAHEAD = 6
_DIGITS = re.compile(r"^\d{1,3}([.,]\d{3})+$|^\d+([.,]\d+)?$")


def parse_number(text: str, lang: str) -> float | None:
    """'1.300' (nl) and '1,300' (en) are thousands; '1,5' (nl) and '1.5' (en) are fractions."""
    if not _DIGITS.match(text):
        return None
    thousands, decimal = (".", ",") if lang == "nl" else (",", ".")
    if re.match(r"^\d{1,3}(" + re.escape(thousands) + r"\d{3})+$", text):
        return float(text.replace(thousands, ""))
    return float(text.replace(thousands, "").replace(decimal, "."))


class QuantityFinder:
    """Sets doc._.quantities."""

    def __init__(self, nlp: Language) -> None:
        words = lexicon(nlp.lang)
        self.lang = nlp.lang
        self.numbers = words.table("numbers")
        self.multipliers = words.table("multipliers")
        self.counts = words.table("counts")
        self.verbs = words.table("casualty_verbs")
        self.qualifiers = words.table("qualifiers")
        self.negators = words.table("count_negators")  # "no one was hurt", "none of the 40": a count of 0
        self.compounds = bool(words.raw.get("compounds"))
        self._compounds: dict[str, str | None] = {}  # _compound's answers by word
        self.separable = {tuple(k.split()): v for k, v in words.table("separable_casualties").items()}
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        for kind, table in (("count", self.counts), ("verb", self.verbs), ("qual", self.qualifiers), ("neg", self.negators)):
            for phrase in table:
                self.phrases.add(f"{kind}:{phrase}", [nlp.make_doc(phrase)])

    def _value(self, words: Words, i: int) -> tuple[float | str | None, int]:
        text, lower = words.text[i], words.lower[i]
        value: float | str | None = parse_number(text, self.lang) if text[:1].isdigit() else None
        if value is None:
            value = self.numbers.get(lower)
            value = float(value) if isinstance(value, int) else value
        if value is None:
            return None, i + 1
        end = i + 1
        if isinstance(value, float) and end < len(words.lower) and words.lower[end] in self.multipliers:
            value *= self.multipliers[words.lower[end]]
            end += 1
        return value, end

    def __call__(self, doc: Doc) -> Doc:
        """Find every number that counts something we know."""
        marks: dict[int, tuple[str, str, int]] = {}
        for match_id, start, end in self.phrases(doc):
            kind, phrase = doc.vocab.strings[match_id].split(":", 1)
            if start not in marks or end - start > marks[start][2] - start:
                marks[start] = (kind, phrase, end)
        in_dates = {i for d in (ext(doc, "dates") or []) for i in range(d.start, d.end)}
        found, highest, after, words = [], [], 0, ext(doc, "words")
        # Only a token that starts with a digit or is a number word can hold a value: no other is visited.
        numbers = self.numbers
        valued = {w for w in set(words.lower) if w[:1].isdigit() or w in numbers}  # a digit is its own lower case
        for i in list(compress(range(len(words.lower)), map(valued.__contains__, words.lower))):
            if i < after or i in in_dates:
                continue
            value, after = self._value(words, i)
            if value is not None and not self._is_year(doc, i, value):
                quantity = self._describe(doc, i, after, value, marks) or self._parallel(doc, i, after, value, found, highest)
                if quantity:
                    found.append(quantity)
                    highest.append(max(highest[-1], quantity.start) if highest else quantity.start)
        doc._.quantities = found
        return doc

    @staticmethod
    def _is_year(doc: Doc, i: int, value: object) -> bool:
        text = words_of(doc).text[i]
        return isinstance(value, float) and 1900 <= value <= 2100 and text.isdigit() and len(text) == 4

    def _describe(self, doc: Doc, start: int, end: int, value: float | str, marks: dict) -> Quantity | None:
        sentence = ext(doc, "sentences")[ext(doc, "sentence_of")[start]]
        noun, casualty, stop = None, None, end
        words = words_of(doc)
        for j in range(end, min(end + LOOKAHEAD, sentence.end)):
            if words.punct[j] and words.text[j] not in "-":
                break
            kind, phrase, mark_end = marks.get(j, (None, None, None))
            if kind is None and (suffix := self._compound(words.lower[j])):
                kind, phrase, mark_end = "count", suffix, j + 1
            if kind == "count":
                category = self.counts[phrase]
                if category in CASUALTIES:
                    casualty, stop = category, mark_end
                    break
                if noun is None:
                    noun, stop = category, mark_end
            elif kind == "verb" and noun is not None:
                casualty, stop = self.verbs[phrase], mark_end
                break
        qualifier, first = self._qualifier(doc, start, marks)
        if casualty is None:
            casualty = self._verb_before(doc, first, sentence.start, marks) or self._around(doc, start, stop, sentence)
        counts = casualty if casualty in CASUALTIES else (noun or casualty)
        if counts is None:
            return None
        who = noun if noun != counts else None
        number = None if isinstance(value, str) else value
        if (negated := self._negator(doc, start, first, marks)) is not None:
            number, first, qualifier = 0.0, negated, None
        qualifier = qualifier or (value if isinstance(value, str) else None)
        return Quantity(first, stop, text_between(doc, first, stop), number, counts, who, qualifier)

    def _compound(self, word: str) -> str | None:
        # "marinedrones", "burgerdoden", "schoolgebouwen": a compound ending in a counted noun.
        if not self.compounds or len(word) < 8:
            return None
        if word not in self._compounds:  # remembered per word: the search runs over every counted noun
            if len(self._compounds) > 200_000:
                self._compounds.clear()
            self._compounds[word] = next((c for c in self.counts if len(c) >= 5 and " " not in c and word.endswith(c)), None)
        return self._compounds[word]

    def _around(self, doc: Doc, start: int, stop: int, sentence) -> str | None:
        # "kwamen drie burgers om": a separable verb whose parts stand on either side.
        lower = ext(doc, "words").lower
        for (verb, particle), category in self.separable.items():
            before = verb in lower[max(sentence.start, start - 8) : start]
            after = particle in lower[stop : min(sentence.end, stop + 4)]
            if before and after:
                return category
        return None

    @staticmethod
    def _parallel(doc: Doc, start: int, end: int, value: float | str, found: list[Quantity], highest: list[int]) -> Quantity | None:
        # "volgens Kiev 400 doden, volgens Moskou 89": a bare number counts what the one before counted.
        # highest[k] is the latest start among found[:k + 1]: the search back ends where none can be in
        # this sentence (so a long text is not searched from its end for each sentence's first number).
        bare = end >= len(doc) or words_of(doc).punct[end]
        sentence_start, previous = ext(doc, "sentences")[ext(doc, "sentence_of")[start]].start, None
        for k in range(len(found) - 1, -1, -1):
            if highest[k] < sentence_start:
                break
            if found[k].start >= sentence_start:
                previous = found[k]
                break
        if not bare or previous is None or isinstance(value, str):
            return None
        return Quantity(start, end, text_between(doc, start, end), value, previous.counts, previous.who, None)

    def _verb_before(self, doc: Doc, first: int, sent_start: int, marks: dict) -> str | None:
        # A casualty word right before the number ("killed more than 600"), or a casualty verb a
        # few words before it in the same clause ("stierven rond de jaarwisseling 400 soldaten").
        punct, like_num = words_of(doc).punct, facts(doc).like_num
        for j in range(first - 1, max(sent_start, first - 6) - 1, -1):
            if punct[j] or like_num[j]:
                return None
            kind, phrase, end = marks.get(j, (None, None, None))
            if kind == "verb":
                return self.verbs[phrase]
            if kind == "count" and end == first and self.counts[phrase] in CASUALTIES:
                return self.counts[phrase]
        return None

    def _negator(self, doc: Doc, start: int, first: int, marks: dict) -> int | None:
        """Where a negation that makes the count nought opens, right before it: "none of the 40"
        before any count, "no"/"not" only before the word for one ("no one", not "geen 600 doden")."""
        if (found := _phrase_before(marks, first, "neg")) is None:
            return None
        phrase, j = found
        return j if self.negators[phrase] == "any" or self.numbers.get(words_of(doc).lower[start]) == 1 else None

    def _qualifier(self, doc: Doc, start: int, marks: dict) -> tuple[str | None, int]:
        found = _phrase_before(marks, start, "qual")
        return (self.qualifiers[found[0]], found[1]) if found is not None else (None, start)


def _phrase_before(marks: dict, start: int, kind: str) -> tuple[str, int] | None:
    """The nearest phrase of `kind` ending right at `start` (within three words before it), and where it opens."""
    for j in range(start - 1, max(0, start - 4) - 1, -1):
        found, phrase, end = marks.get(j, (None, None, None))
        if found == kind and end == start:
            return phrase, j
    return None


@Language.factory("fb_quantities")
def make_quantities(nlp: Language, name: str) -> QuantityFinder:
    """Factory: the quantity finder for the pipeline's language."""
    return QuantityFinder(nlp)
