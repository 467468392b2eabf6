"""Sentence boundaries: after . ! ? … (and a closing quote), never after an abbreviation or an
initial, always at a paragraph break or a line that ends without punctuation (a headline)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from bot.nlp.lexicon import lexicon

ENDS = frozenset(".!?…")
CLOSERS = frozenset("\"'”’»)")


class SentenceSplitter:
    """Sets Token.is_sent_start on every token."""

    def __init__(self, lang: str) -> None:
        self.abbreviations = lexicon(lang).words("abbreviations")

    def _ends_sentence(self, doc: Doc, i: int) -> bool:
        token = doc[i]
        if "\n" in token.text:
            return True
        if token.text not in ENDS and not (token.text.endswith(".") and token.text.lower() not in self.abbreviations
                                           and len(token.text) > 2 and token.text[:-1].isalpha()):
            return False
        if token.text == "." and i > 0 and doc[i - 1].text.lower() + "." in self.abbreviations:
            return False
        return not (token.text == "." and i > 0 and len(doc[i - 1].text) == 1 and doc[i - 1].text.isupper())

    def __call__(self, doc: Doc) -> Doc:
        """Mark sentence starts."""
        starts = {0}
        for i in range(len(doc) - 1):
            if self._ends_sentence(doc, i):
                j = i + 1
                # A quote glued to the full stop closes; one after a space opens the next sentence.
                while j < len(doc) and (doc[j].text in ENDS or (doc[j].text in CLOSERS and not doc[j - 1].whitespace_)):
                    j += 1
                if j < len(doc) and "\n" not in doc[i].text and doc[j].text[:1].islower():
                    continue  # "e.g. this" or an ellipsis inside a sentence
                starts.add(j)
            elif "\n" in doc[i].whitespace_ or "\n" in doc[i + 1].text:
                starts.add(i + 1)
        for i, token in enumerate(doc):
            token.is_sent_start = i in starts
        return doc


@Language.factory("fb_sentences")
def make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    """Factory: the rule-based sentence splitter for the pipeline's language."""
    return SentenceSplitter(nlp.lang)
