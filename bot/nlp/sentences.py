"""Sentence boundaries: after . ! ? … (and a closing quote), never after an abbreviation or an
initial, always at a paragraph break or a line that ends without punctuation (a headline), and after
a colon followed by more than one space (where a page had a link, video or embed the text lost)."""

from __future__ import annotations

from itertools import compress

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from bot.nlp.lexicon import lexicon
from bot.nlp.model import Words

ENDS = frozenset(".!?…•")  # "•" separates the headlines of a list ("Kiev: … • Moskou: …")
CLOSERS = frozenset("\"'”’»)")
MAY_END = ENDS | {":", "."}  # the last character of any token _ends_sentence may say yes to
MAY_END_HERE, BREAK = 1, 2  # a token that may end a sentence; one that holds a line break
KNOWN_SPELLINGS = 200_000  # token texts whose kind is remembered before the splitter starts afresh


class SentenceSplitter:
    """Sets Token.is_sent_start on every token."""

    def __init__(self, lang: str) -> None:
        self.abbreviations = lexicon(lang).words("abbreviations")
        self.known: dict = {}  # lexeme facts by orth id, shared by every document this pipeline reads
        self.kinds: dict[str, int] = {}  # BREAK, MAY_END_HERE or 0 by token text, likewise
        self.speech_verbs = lexicon(lang).words("determined_cues")  # '"Why not?" Roe said.': one sentence

    def _speaker_follows(self, texts: list[str], j: int) -> bool:
        """'"Who are they?" Roe said of the firm': a quote that ends in ? or ! and the speaker and verb
        after it are one sentence (the capitalised name is no sentence start)."""
        for k in range(j, min(j + 5, len(texts))):
            if texts[k].lower() in self.speech_verbs:
                return k > j
            if not (texts[k][:1].isupper() or texts[k].lower() in ("he", "she", "they")) or not texts[k].isalpha():
                return False
        return False

    def _ends_sentence(self, texts: list[str], i: int) -> bool:
        text = texts[i]
        if "\n" in text:
            return True
        if text == ":" and i + 1 < len(texts) and texts[i + 1].isspace():
            return True  # "Lees er hier alles over:  De minister …": a stripped link or embed ends the sentence
        if text not in ENDS and not (text.endswith(".") and text.lower() not in self.abbreviations
                                     and len(text) > 2 and text[:-1].isalpha()):
            return False
        if text == "." and i > 0 and texts[i - 1].lower() + "." in self.abbreviations:
            return False
        return not (text == "." and i > 0 and len(texts[i - 1]) == 1 and texts[i - 1].isupper())

    def __call__(self, doc: Doc) -> Doc:
        """Mark sentence starts."""
        words = Words.of(doc, (), self.known)
        texts, spaces = words.text, words.ws
        starts = {0}
        # Only a token that may end a sentence, or one before a line break, is looked at (a token
        # elsewhere neither ends a sentence nor precedes a break); which tokens those are is known
        # per spelling, and picked out without a Python step per token.
        kinds = self.kinds
        if len(kinds) > KNOWN_SPELLINGS:
            kinds.clear()
        for text in set(texts).difference(kinds):
            kinds[text] = BREAK if "\n" in text else (MAY_END_HERE if text[-1:] in MAY_END else 0)
        marked = list(map(kinds.__getitem__, texts))
        maybe = list(compress(range(len(texts)), marked))
        breaks = [i - 1 for i in maybe if marked[i] == BREAK and i > 0]
        size = len(texts)
        for i in sorted(set(maybe).union(breaks)):
            if i >= size - 1:
                continue
            if self._ends_sentence(texts, i):
                j = i + 1
                # A quote glued to the full stop closes; one after a space opens the next sentence.
                # After a line break a quote mark opens the next sentence.
                while j < size and "\n" not in texts[i] and (texts[j] in ENDS or (texts[j] in CLOSERS and not spaces[j - 1])):
                    j += 1
                if j < size and "\n" not in texts[i] and (texts[j][:1].islower() or texts[j] in (",", ";")):
                    continue  # "e.g. this", an ellipsis inside a sentence, "Rep. Roe (D-Pa.), who …"
                if texts[i] in "?!" and j > i + 1 and texts[j - 1] in CLOSERS and "\n" not in "".join(spaces[i:j]) \
                        and self._speaker_follows(texts, j):
                    continue
                starts.add(j)
            elif "\n" in spaces[i] or "\n" in texts[i + 1]:
                starts.add(i + 1)
        starts = sorted(i for i in starts if i < size)
        values = numpy.full((len(doc), 1), -1, dtype="int64").astype("uint64")  # -1: not a start
        values[starts, 0] = 1
        if len(doc):
            doc.from_array([SENT_START], values)  # one call; Token.is_sent_start re-checks the doc per token
        for i in starts:
            words.starts[i] = True
        doc._.words = words
        edges = starts + [len(doc)]
        # Later components ask "which sentence?" often; Token.sent is slow to ask it of.
        doc._.sentences = [Span(doc, a, b) for a, b in zip(edges, edges[1:]) if a < b]  # doc[a:b], without its Python slice checks
        sentence_of: list[int] = []
        for k, (a, b) in enumerate(zip(edges, edges[1:])):
            sentence_of += [k] * (b - a)
        doc._.sentence_of = sentence_of
        return doc


@Language.factory("fb_sentences")
def make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    """Factory: the rule-based sentence splitter for the pipeline's language."""
    return SentenceSplitter(nlp.lang)
