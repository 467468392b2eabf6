"""Which words may belong to a speaker phrase, asked by token index over the doc's plain word lists
(bot.nlp.tokenfacts) rather than of spaCy Token objects: capitalised words, actor names, words of
the lexicon's lists, compounds ending in a speaker noun, initials, party tags, a bracketed acronym,
"in" between a speaker's noun and a name, and an inflected adjective before a speaker's noun."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from bot.nlp.lexicon import Lexicon
from bot.nlp.tokenfacts import facts, words_of

TAG_PART = re.compile(r"^(?:[A-Z][A-Za-z.]*|-|\.)$")  # "(D-Ga.)", "(R)": a party and state after a name
COMPOUND_MIN = 8  # a compound is longer than this ("legerwoordvoerder")
SUFFIX_MIN = 6  # and ends in a speaker noun at least this long


class SpeakerWords:
    """The word-level test of speaker phrases for one language."""

    def __init__(self, words: Lexicon) -> None:
        self.nouns = words.words("speaker_nouns")
        self.sides = words.table("side_words")
        self.roles = words.table("role_nouns")
        self.connectors = words.words("connectors")
        self.determiners = words.words("determiners")
        self.pronouns = frozenset(words.table("pronouns"))
        self.body_nouns = words.words("body_nouns")
        self.compounds = bool(words.raw.get("compounds"))
        self.adjective_endings = tuple(words.words("adjective_endings"))
        self.place_links = words.words("speaker_place_links")
        self.allowed = (self.nouns | frozenset(self.sides) | frozenset(self.roles) | self.connectors
                        | self.determiners | words.words("np_adjectives") | words.words("titles") | words.words("name_suffixes"))
        self.titles = words.words("titles")
        self.name_marks = bool(words.raw.get("name_marks"))  # initials, party tags, "Sanders’ campaign"
        self.before_nouns = self.allowed - self.determiners - self.connectors  # what an inflected adjective may precede
        # any(word.endswith(n) for n in …) as one str.endswith over a tuple; answers remembered per word
        self._noun_suffixes = tuple(n for n in self.nouns if len(n) >= SUFFIX_MIN)
        self._body_suffixes = tuple(n for n in self.body_nouns if len(n) >= SUFFIX_MIN)
        self._compound_nouns: dict[str, bool] = {}

    def compound_noun(self, word: str) -> bool:
        """"legerwoordvoerder", "Kremlinwoordvoerder": a compound ending in a speaker noun."""
        found = self._compound_nouns.get(word)
        if found is None:
            found = self.compounds and len(word) > COMPOUND_MIN and word.endswith(self._noun_suffixes)
            if len(self._compound_nouns) < 200_000:
                self._compound_nouns[word] = found
        return found

    def compound_body(self, word: str) -> bool:
        """A compound ending in a noun for a body ("inlichtingendienst")."""
        return self.compounds and len(word) > COMPOUND_MIN and word.endswith(self._body_suffixes)

    def part(self, doc: Doc, i: int, actor_tokens: set[int], date_tokens: set[int]) -> bool:
        """Whether token i can belong to a speaker phrase."""
        return self.part_of(words_of(doc), doc, i, actor_tokens, date_tokens)

    def part_of(self, words, doc: Doc, i: int, actor_tokens: set[int], date_tokens: set[int]) -> bool:
        """part() with the doc's word lists at hand (a loop over a phrase reads them once)."""
        if i < 0:
            i += len(words.text)  # as doc[i] reads a negative index
        if i in date_tokens:
            return False
        lower, text = words.lower[i], words.text[i]
        if i in actor_tokens or lower in self.allowed or self.compound_noun(lower):
            return True
        if text in ("-", "'s", "’s"):
            return True
        texts = words.text
        if text == "/" and self.name_marks and 0 < i < len(texts) - 1:
            return texts[i - 1][:1].isupper() and texts[i + 1][:1].isupper()  # "CNN/ORC poll"
        if lower in self.place_links:
            return self._place_link(words, i, actor_tokens)
        if self.place_links and text in ("(", ")"):
            return self._bracketed(texts, i)
        if self.name_marks and self._name_mark(words, i):
            return True
        return text[:1].isupper() and self._word(words, i) or self._inflected(doc, words, i, actor_tokens)

    def _place_link(self, words, i: int, actor_tokens: set[int]) -> bool:
        """"in" between a speaker's noun and a capitalised name: where the speaker sits, part of the phrase."""
        if i == 0 or i + 1 >= len(words.text) or not words.text[i + 1][:1].isupper():
            return False
        previous = words.lower[i - 1]
        return (previous in self.nouns or previous in self.body_nouns or i - 1 in actor_tokens
                or self.compound_noun(previous)) and previous not in self.pronouns

    @staticmethod
    def _bracketed(texts: list[str], i: int) -> bool:
        """"het Institute for the Study of War (ISW)", "minister Hoekstra (Buitenlandse Zaken)": a bracketed
        acronym or name of up to three capitalised words inside a speaker."""
        step = 1 if texts[i] == "(" else -1
        other = next((j for j in range(i + step, i + 5 * step, step) if 0 <= j < len(texts) and texts[j] in "()"), None)
        if other is None or texts[other] == texts[i] or abs(other - i) < 2:
            return False
        opening = min(i, other)
        return opening > 0 and texts[opening - 1][:1].isupper() and all(texts[k][:1].isupper() for k in range(opening + 1, max(i, other)))

    def _word(self, words, i: int) -> bool:
        # "Wit-Russische", "VN-baas", "Azov-bataljon": a hyphenated name is one word of the phrase
        return words.alpha[i] or self.compounds and all(part.isalpha() for part in words.text[i].split("-"))

    def _nominal(self, words, i: int, actor_tokens: set[int]) -> bool:
        word = words.lower[i]
        return (i in actor_tokens or word in self.nouns or word in self.sides or word in self.roles
                or self.compound_noun(word) or words.text[i][:1].isupper() and words.alpha[i])

    def _inflected(self, doc: Doc, words, i: int, actor_tokens: set[int]) -> bool:
        """"de gevluchte burgemeester", "het extremistische Azov-bataljon": an inflected adjective between
        an article (or the phrase's edge) and a noun of the speaker; not a verb after a name ("Kiev meldde")."""
        if not self.adjective_endings or not (words.alpha[i] and len(words.text[i]) > 4):
            return False
        flags = facts(doc)
        if not flags.lower_case[i] or flags.stop[i]:
            return False
        if not words.lower[i].endswith(self.adjective_endings) or i + 1 >= len(words.text):
            return False
        if not (self._nominal(words, i + 1, actor_tokens) or words.lower[i + 1] in self.before_nouns):
            return False
        return i == 0 or not (words.text[i - 1][:1].isupper() or words.lower[i - 1] in self.nouns)

    def _name_mark(self, words, i: int) -> bool:
        """An initial ("Paul R. Pillar"), the stop of a split title ("Lt . Gov."), a party tag ("(D-Ga.)")
        or the apostrophe of a plural possessive ("Sanders’ campaign")."""
        text = words.text[i]
        if len(text) == 2 and text[0].isupper() and text[1] == ".":
            return True
        if text[:1].isupper() and len(text) > 2 and text.replace("'", "").replace("’", "").isalpha():
            return True  # "O'Hanlon", "D’Amato"
        if text == "." and i > 0 and words.lower[i - 1] + "." in self.titles and not words.ws[i - 1]:
            return True
        if text in ("'", "’") and i > 0 and words.lower[i - 1].endswith("s") and not words.ws[i - 1] and words.ws[i]:
            return True
        return self._in_tag(words.text, i)

    @staticmethod
    def _in_tag(texts: list[str], i: int) -> bool:
        opening = next((j for j in range(i, max(-1, i - 7), -1) if texts[j] == "("), None)
        if opening is None or opening == 0 or not texts[opening - 1][:1].isupper():
            return False
        closing = next((j for j in range(opening + 1, min(len(texts), opening + 7)) if texts[j] == ")"), None)
        return (closing is not None and closing > opening + 1 and i <= closing
                and all(TAG_PART.match(texts[k]) for k in range(opening + 1, closing)))
