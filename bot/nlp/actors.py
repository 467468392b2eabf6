"""Actors: names of the bodies and people who make claims, matched longest first."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from bot.nlp.lexicon import actors
from bot.nlp.model import ActorMention
from bot.nlp.tokenfacts import text_between


class ActorFinder:
    """Sets doc._.actors with non-overlapping mentions."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.sides = {}
        for actor in actors():
            self.sides[actor.id] = actor.side
            self.matcher.add(actor.id, [nlp.make_doc(name) for name in actor.names])

    def __call__(self, doc: Doc) -> Doc:
        """Find actor names; the longest wins where names overlap."""
        matches = sorted(self.matcher(doc), key=lambda m: (-(m[2] - m[1]), m[1]))
        taken: set[int] = set()
        found = []
        for match_id, start, end in matches:
            if taken.isdisjoint(range(start, end)):
                actor = doc.vocab.strings[match_id]
                found.append(ActorMention(start, end, text_between(doc, start, end), actor, self.sides[actor]))
                taken.update(range(start, end))
        doc._.actors = sorted(found, key=lambda m: m.start)
        return doc


@Language.factory("fb_actors")
def make_actors(nlp: Language, name: str) -> ActorFinder:
    """Factory: the actor finder."""
    return ActorFinder(nlp)
