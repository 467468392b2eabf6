"""The reading pipeline per language: spacy.blank(lang) plus our components, and what it yields
for an article as plain data (places, dates, claims with character offsets)."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import bot.nlp.actors  # noqa: F401  (registers the factories)
import bot.nlp.boilerplate  # noqa: F401
import bot.nlp.claims  # noqa: F401
import bot.nlp.concepts  # noqa: F401
import bot.nlp.dates  # noqa: F401
import bot.nlp.places  # noqa: F401
import bot.nlp.quantities  # noqa: F401
import bot.nlp.relevance  # noqa: F401
import bot.nlp.sentences  # noqa: F401
from bot.nlp.gazetteer import shared
from bot.nlp.lexicon import languages, lexicon

COMPONENTS = ("fb_sentences", "fb_boilerplate", "fb_actors", "fb_places", "fb_dates", "fb_quantities", "fb_claims", "fb_relevance",
              "fb_concepts")
for _name in ("published", "words", "sentences", "sentence_of", "furniture", "places", "dates", "quantities", "actors", "claims",
              "concepts"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@lru_cache(maxsize=8)
def build(lang: str, cache_dir: str = "data/cache") -> Language:
    """A blank pipeline for the language with our components (built once per process)."""
    if lang not in languages():
        raise ValueError(f"no reading pipeline for {lang!r}; known: {', '.join(languages())}")
    nlp = spacy.blank(lang)
    # spaCy's Dutch exceptions keep "dat.", "hand.", "VS." whole as abbreviations; at a sentence's end they
    # are the words themselves ("bestrijdt dat.", "van de hand.", "de VS."), so they are split like any word.
    words = lexicon(lang).words("not_abbreviations")
    if words:
        nlp.tokenizer.rules = {k: v for k, v in nlp.tokenizer.rules.items() if k.lower().removesuffix(".") not in words}
    for name in COMPONENTS:
        config = {"cache_dir": cache_dir} if name in ("fb_places", "fb_claims", "fb_relevance") else {}
        nlp.add_pipe(name, config=config)
    # The gazetteer, lexicons and vocabulary live as long as the process: every collection of the
    # oldest generation would walk their objects again (a tenth of reading's time). Freeze what is
    # alive now, after a collection, so that the collector leaves it alone from here on.
    gc.collect()
    gc.freeze()
    _fewer_young_collections()
    return nlp


YOUNG_THRESHOLD = 10_000  # container objects allocated (net) between two collections of the young generation


def _fewer_young_collections() -> None:
    """Reading makes and drops many small containers per token (spans, mentions, lists of offsets), most of
    them freed by their reference counts as they go, yet each 700 of them started a pass over the young
    generation: 280 passes and 25 of the middle one over 300 real Dutch articles, 10-15% of reading's CPU.
    At 10,000 the cycles reading leaves are collected all the same, in 9 passes (62,571 objects against
    53,155), peak memory 159 MB against 155. Never lowered when the process set it higher."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, YOUNG_THRESHOLD), middle, old)


@dataclass(frozen=True, slots=True)
class ArticleInput:
    """What reading needs of an article."""

    text: str
    language: str
    published: date | None = None
    url: str | None = None
    outlet: str | None = None


def read(articles: Iterable[ArticleInput], cache_dir: str = "data/cache", batch_size: int = 32,
         keep_irrelevant: bool = False) -> Iterator[dict]:
    """Read articles (grouped by language, batched with nlp.pipe) and yield one result each, in order.
    Claims the relevance step finds beside the war are left out unless keep_irrelevant."""
    articles = list(articles)
    results: list[dict | None] = [None] * len(articles)
    for lang in sorted({a.language for a in articles}):
        nlp = build(lang, cache_dir)
        indexes = [i for i, a in enumerate(articles) if a.language == lang]
        docs = (_doc(nlp, articles[i]) for i in indexes)
        for i, doc in zip(indexes, nlp.pipe(docs, batch_size=batch_size)):
            results[i] = describe(doc, articles[i], cache_dir, keep_irrelevant)
    yield from results


def _doc(nlp: Language, article: ArticleInput) -> Doc:
    doc = nlp.make_doc(article.text.replace("\xa0", " "))  # a no-break space is a space, as ingest cleans it (same length)
    doc._.published = article.published
    return doc


def _chars(doc: Doc, tokens: tuple[int, int] | None) -> dict | None:
    if tokens is None or tokens[0] >= tokens[1]:
        return None
    span = doc[tokens[0] : tokens[1]]
    return {"text": span.text, "start": span.start_char, "end": span.end_char}


def describe(doc: Doc, article: ArticleInput, cache_dir: str = "data/cache", keep_irrelevant: bool = False) -> dict:
    """An article's reading as plain data: places, dates covered, claims with offsets."""
    gazetteer = shared(cache_dir)
    places = {}
    headline_end = doc._.sentences[0].end if doc._.sentences else 0
    for mention in doc._.places:
        place = gazetteer.get(mention.slug)
        entry = places.setdefault(mention.slug, {"slug": mention.slug, "name": place.name, "region": place.region,
                                                 "mentions": [], "as_actor_only": True, "weight": 0})
        entry["mentions"].append({"text": mention.text, "start": doc[mention.start].idx, "as_actor": mention.as_actor})
        # Grouping leaves out places that only speak; a place that acts ("Russia captured X") stays a
        # key there until grouping is tuned for it (as_actor on the mention says both).
        entry["as_actor_only"] &= mention.speaks
        # How much the text is about a place: more in the headline, more with every mention (capped).
        entry["weight"] = min(entry["weight"] + (2 if mention.start < headline_end else 1), 4)
    dates = sorted({d.first for d in doc._.dates} | {d.last for d in doc._.dates} | ({article.published} if article.published else set()))
    return {
        "language": article.language,
        "published": article.published.isoformat() if article.published else None,
        "places": list(places.values()),
        "dates": [d.isoformat() for d in dates],
        "date_mentions": [{"text": d.text, "first": d.first.isoformat(), "last": d.last.isoformat()} for d in doc._.dates],
        "claims": _claims(doc, article, keep_irrelevant),
        "actors": sorted({a.actor for a in doc._.actors}),
        "concepts": doc._.concepts,
    }


def _claims(doc: Doc, article: ArticleInput, keep_irrelevant: bool) -> list[dict]:
    """The claims as data; refers_to re-pointed at the kept list (None when its claim was left out)."""
    kept = [k for k, c in enumerate(doc._.claims) if keep_irrelevant or c.relevant]
    where = {k: n for n, k in enumerate(kept)}
    out = []
    for k in kept:
        claim = _claim(doc, doc._.claims[k], article)
        claim["refers_to"] = where.get(claim["refers_to"]) if claim["refers_to"] is not None else None
        out.append(claim)
    return out


def _claim(doc: Doc, claim, article: ArticleInput) -> dict:
    return {
        "speaker": _chars(doc, claim.speaker), "actor": claim.actor, "side": claim.side,
        "cue": _chars(doc, claim.cue), "stance": claim.stance, "content": _chars(doc, claim.content),
        "numbers": [{"value": q.value, "counts": q.counts, "who": q.who, "qualifier": q.qualifier, "text": q.text}
                    for q in claim.numbers],
        "places": claim.places, "event_date": claim.event_date.isoformat() if claim.event_date else None,
        "dated": claim.dated,
        "refers_to": claim.refers_to, "carried": claim.carried, "resolved": _chars(doc, claim.resolved),
        "relevant": claim.relevant, "url": article.url, "outlet": article.outlet,
    }
