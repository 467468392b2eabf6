"""Concepts: subjects named in the text ("bestand", "truce" → ceasefire) that link reports of one
event across languages when they share no specific place."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.nlp.lexicon import lexicon


class ConceptFinder:
    """Sets doc._.concepts: the sorted concept ids the text names."""

    def __init__(self, nlp: Language) -> None:
        self.concepts = lexicon(nlp.lang).table("concepts")
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for phrase in self.concepts:
            self.matcher.add(phrase, [nlp.make_doc(phrase)])

    def __call__(self, doc: Doc) -> Doc:
        """Find the concepts."""
        doc._.concepts = sorted({self.concepts[doc.vocab.strings[m]] for m, _, _ in self.matcher(doc)})
        return doc


@Language.factory("fb_concepts")
def make_concepts(nlp: Language, name: str) -> ConceptFinder:
    """Factory: the concept finder for the pipeline's language."""
    return ConceptFinder(nlp)
