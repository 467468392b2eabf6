"""Relevance: which of the claims reading found concern the war. A step of its own, after the claim
finder, so that reading finds every attributed claim and an evaluation can score both sets.

A claim is relevant when it speaks for a side (a Russian or Ukrainian speaker), when its sentence
holds words of war or names a place of the war, or when a known actor makes it; never when its
speaker is a pronoun that stands for nobody reading could name. In an article about the war (several
sentences with its words or places), every claim is relevant: the Kremlin spokesman's comment in a
drone-attack report concerns the war even when its own sentence names neither. The finder notes
those facts on each claim; this step only decides."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from bot.nlp.gazetteer import shared
from bot.nlp.model import Claim

NAMED_AREAS = frozenset({"donbas", "dpr", "lpr", "crimea", "ukraine", "russia", "belarus", "black_sea", "sea_of_azov"})
SIDES = ("UA", "RU", "BY")
WAR_ARTICLE = 3  # sentences with words or places of the war that make a whole article about it


def is_relevant(claim: Claim, war_place) -> bool:
    """Whether one claim concerns the war, from the facts the finder noted on it."""
    if claim.pronoun and claim.resolved is None:
        return False  # "he said" with nobody it safely stands for: a bare pronoun is never shown
    if claim.side in ("RU", "UA") or claim.war_words or any(war_place(slug) for slug in claim.places):
        return True
    return claim.actor not in ("unknown", "outlet")


class Relevance:
    """Sets Claim.relevant on every claim of doc._.claims."""

    def __init__(self, cache_dir: str) -> None:
        gazetteer = shared(cache_dir)
        self.country = {}
        self._gazetteer = gazetteer

    def war_place(self, slug: str) -> bool:
        """A place of the war: Ukraine, Russia, Belarus, or one of the named areas."""
        if slug not in self.country:
            place = self._gazetteer.get(slug)
            self.country[slug] = slug in NAMED_AREAS or (place is not None and place.country in SIDES)
        return self.country[slug]

    def about_the_war(self, claims: list[Claim]) -> bool:
        """Whether the article is about the war: several sentences hold its words or places, one at least
        a place or a side of it (an article on another war stays apart)."""
        placed = [any(self.war_place(s) for s in c.places) or c.side in ("RU", "UA") for c in claims]
        return any(placed) and sum(c.war_words or p for c, p in zip(claims, placed)) >= WAR_ARTICLE

    def __call__(self, doc: Doc) -> Doc:
        """Mark each claim relevant or not; in an article about the war, every claim a reader can place is."""
        claims = doc._.claims or []
        whole = self.about_the_war(claims)
        for claim in claims:
            unplaced = claim.pronoun and claim.resolved is None
            claim.relevant = (whole and not unplaced) or is_relevant(claim, self.war_place)
        return doc


@Language.factory("fb_relevance", default_config={"cache_dir": "data/cache"})
def make_relevance(nlp: Language, name: str, cache_dir: str) -> Relevance:
    """Factory: the relevance step."""
    return Relevance(cache_dir)
