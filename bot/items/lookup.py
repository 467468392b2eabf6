"""Items and their claims about a place or a day, as plain data (the shape `query --json` prints
and the bot's answers are composed from). Reads through storage; decides nothing of its own."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from bot.items import accounts as accounting
from bot.items import naming
from bot.items.disputes import HeadlineClaim
from bot.items.profile import Profile
from bot.nlp.gazetteer import Gazetteer, Place
from bot.nlp.lexicon import lexicon
from storage import itemqueries, lookups as q
from storage import translations
from storage.db import Session
from storage.models import Item

LIMIT = 20
COUNTRIES = frozenset({"russia", "ukraine"})  # too wide to say where something happened


class UnknownPlace(Exception):
    """No place has that name; suggestions holds the nearest known names."""

    def __init__(self, name: str, suggestions: list[Place]) -> None:
        super().__init__(f"no known place is called {name!r}")
        self.suggestions = suggestions


def find_place(gazetteer: Gazetteer, name: str) -> Place:
    """The place a spelling or slug names, or UnknownPlace with suggestions."""
    place = gazetteer.resolve(name.strip())
    if place is None:
        raise UnknownPlace(name, gazetteer.suggest(name))
    return place


def by_place(session: Session, gazetteer: Gazetteer, name: str, lang: str = "en", limit: int = LIMIT) -> dict:
    """Items about a place (a region includes its places), newest first."""
    place = find_place(gazetteer, name)
    regions = sorted({place.slug, *place.covers})
    items = q.items_for_places(session, [place.slug], regions, limit)
    return {"place": {"slug": place.slug, "name": place.name_nl if lang == "nl" else place.name},
            "items": describe_items(session, gazetteer, items, lang)}


def by_item(session: Session, gazetteer: Gazetteer, item_id: int, lang: str = "en") -> dict | None:
    """One item in full (None when there is no such item, or it was merged away)."""
    items = list(itemqueries.items_by_id(session, [item_id]).values())
    return describe_items(session, gazetteer, items, lang)[0] if items else None


def by_date(session: Session, gazetteer: Gazetteer, first: date, last: date, lang: str = "en",
            limit: int = LIMIT) -> dict:
    """Items with claims about a day (or days), newest first."""
    items = q.items_for_dates(session, first, last, limit)
    return {"date": first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}",
            "items": describe_items(session, gazetteer, items, lang)}


def describe_items(session: Session, gazetteer: Gazetteer, items: list[Item], lang: str) -> list[dict]:
    """Items with their articles (syndicated copies folded together) and claims."""
    ids = [i.id for i in items]
    articles = defaultdict(list)
    for article in q.item_articles(session, ids):
        articles[article.item_id].append(article)
    claims = defaultdict(list)
    # In reading order, ties broken by outlet and link rather than by row id: the same reports give
    # the same answer whichever feed happened to be stored first.
    rows = sorted(q.claims_of_items(session, ids), key=lambda r: (
        r.published_at or r.fetched_at, r.outlet, r.link or "", r.position))
    for claim in rows:
        claims[claim.item_id].append(claim)
    found = [_item(gazetteer, item, articles[item.id], claims[item.id], lang) for item in items]
    translated = translations.of_claims(session, [c["id"] for i in found for c in i["claims"]], lang)
    for item in found:
        for account in item["accounts"]:
            for report in account["reports"]:
                report["translation"] = translated.get(report["claim"]) if report["language"] != lang else None
    return found


def _item(gazetteer: Gazetteer, item: Item, articles: list, claims: list, lang: str) -> dict:
    rows = _with_references([_claim(c) for c in claims])
    named = accounting.named(rows, lang, _place_name(gazetteer, lang))
    return {
        "id": item.id,
        "title": headline(gazetteer, item, claims, lang),
        "titles": item.titles,
        "event_date": item.event_first.isoformat() if item.event_first else None,
        "event_last": item.event_last.isoformat() if item.event_last else None,
        "updated": item.updated_at.isoformat(),
        "created": item.created_at.isoformat(),
        "places": sorted(item.profile.get("places", {})),
        "disputed": item.disputed,
        "articles": _articles(articles),
        "claims": rows,
        "accounts": named,
        "disagreements": accounting.disagreements(named),
    }


def headline(gazetteer: Gazetteer, item: Item, claims: list, lang: str) -> str:
    """The item's headline in a language (bot.items.naming.headline: who claims what when sides disagree)."""
    if not item.disputed and lang in item.titles:
        return item.titles[lang]  # nothing to build: a report's own title in the reader's language
    top = Profile.from_dict(item.profile).main_place() if item.profile else None
    place = gazetteer.get(top) if top else None
    name = (place.name_nl if lang == "nl" else place.name) if place else None
    facts = [HeadlineClaim(c.side, c.stance, tuple((n["value"], n["counts"]) for n in c.numbers if n["value"]))
             for c in claims if c.speaker]
    words = lexicon(lang).raw["headline"]
    return naming.headline(item.titles, lang, item.disputed, naming.claims_headline(name, facts, words),
                           naming.claims_headline(name, facts, words, vague=True))


def _articles(rows: list) -> list[dict]:
    folded: dict[str, dict] = {}
    for article in rows:
        outlet = article.outlet
        entry = folded.get(article.content_hash)
        if entry is None:
            folded[article.content_hash] = {
                "url": article.link, "outlet": outlet, "language": article.language, "title": article.title,
                "published": article.published_at.isoformat() if article.published_at else None,
                "copies": []}
        else:
            entry["copies"].append({"url": article.link, "outlet": outlet})
    return list(folded.values())


def _place_name(gazetteer: Gazetteer, lang: str):
    """Slug → the place's name in the reader's spelling (None for a whole country: too wide to say where)."""
    def name(slug: str) -> str | None:
        place = None if slug in COUNTRIES else gazetteer.get(slug)
        return (place.name_nl if lang == "nl" else place.name) if place else None
    return name


def _with_references(rows: list[dict]) -> list[dict]:
    """refers_to as the id of the claim it names (a position within the same article when stored)."""
    at = {(r["article_id"], r["position"]): r["id"] for r in rows}
    for row in rows:
        row["refers_to"] = at.get((row["article_id"], row["refers_to"])) if row["refers_to"] is not None else None
    return rows


def _claim(claim) -> dict:
    """A claim row (with its article's link, language and title and the outlet) as an answer shows it."""
    title = len(claim.title or "")
    return {
        "id": claim.id, "article_id": claim.article_id, "position": claim.position, "refers_to": claim.refers_to,
        "headline": next((at for at in (claim.content_start, claim.speaker_start) if at is not None), title) < title,
        "places": list(claim.places),
        "speaker": claim.speaker, "cue": claim.cue, "actor": claim.actor, "side": claim.side, "stance": claim.stance,
        "text": claim.content, "numbers": [{"value": n["value"], "counts": n["counts"], "who": n.get("who"),
                                            "qualifier": n.get("qualifier")} for n in claim.numbers],
        "event_date": claim.event_date.isoformat() if claim.event_date else None,
        "disputed": claim.disputed, "unverified": claim.unverified,
        "article_url": claim.link, "outlet": claim.outlet, "language": claim.language,
    }
