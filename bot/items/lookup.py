"""Items and their claims about a place or a day, as plain data (the shape `query --json` prints
and the bot's answers are composed from). Reads through storage; decides nothing of its own."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from bot.items import accounts as accounting
from bot.items import naming
from bot.items.disputes import HeadlineClaim
from bot.items.profile import Profile
from bot.nlp.gazetteer import Gazetteer, Place
from bot.nlp.lexicon import lexicon
from storage import lookups as q
from storage.db import Session

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
    place, items = place_items(session, gazetteer, name, limit)
    return {"place": {"slug": place.slug, "name": place_name(place, lang)},
            "items": describe_items(session, gazetteer, items, lang)}


def place_items(session: Session, gazetteer: Gazetteer, name: str, limit: int = LIMIT) -> tuple[Place, list]:
    """The place a name means and its newest items (rows describe_items takes), not described yet:
    an answer describes only those it shows."""
    place = find_place(gazetteer, name)
    return place, q.items_for_places(session, [place.slug], sorted({place.slug, *place.covers}), limit)


def date_items(session: Session, first: date, last: date, limit: int = LIMIT) -> list:
    """The newest items with claims about a day (or days), not described yet (see place_items)."""
    return q.items_for_dates(session, first, last, limit)


def place_name(place: Place, lang: str) -> str:
    """A place's name in the reader's spelling."""
    return place.name_nl if lang == "nl" else place.name


def newest_change(session: Session) -> tuple:
    """A mark of the store's newest item change: an answer made at one mark holds until it moves."""
    return q.newest_change(session)


def by_item(session: Session, gazetteer: Gazetteer, item_id: int, lang: str = "en") -> dict | None:
    """One item in full (None when there is no such item, or it was merged away)."""
    items = q.items_by_id(session, [item_id])
    return describe_items(session, gazetteer, items, lang)[0] if items else None


def by_date(session: Session, gazetteer: Gazetteer, first: date, last: date, lang: str = "en",
            limit: int = LIMIT) -> dict:
    """Items with claims about a day (or days), newest first."""
    items = date_items(session, first, last, limit)
    return {"date": first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}",
            "items": describe_items(session, gazetteer, items, lang)}


def describe_items(session: Session, gazetteer: Gazetteer, items: Sequence, lang: str) -> list[dict]:
    """Items (storage.lookups rows, or Item objects) with their articles (syndicated copies folded
    together) and claims: two statements (articles; claims with their translations), whatever the
    number of items and claims."""
    ids = [i.id for i in items]
    articles = defaultdict(list)
    for article in q.item_articles(session, ids):
        articles[article.item_id].append(article)
    claims = defaultdict(list)
    # In reading order, ties broken by outlet and link rather than by row id: the same reports give
    # the same answer whichever feed happened to be stored first.
    rows = sorted(q.claims_of_items(session, ids, lang), key=lambda r: (r.read_at, r.outlet, r.link or "", r.position))
    for claim in rows:
        claims[claim.item_id].append(claim)
    translated = {r.id: r.translation for r in rows if r.translation is not None}
    found = [_item(gazetteer, item, articles[item.id], claims[item.id], lang) for item in items]
    for item in found:
        for account in item["accounts"]:
            for report in account["reports"]:
                report["translation"] = translated.get(report["claim"]) if report["language"] != lang else None
    return found


def _item(gazetteer: Gazetteer, item, articles: list, claims: list, lang: str) -> dict:
    rows = _with_references([_claim(c) for c in claims])
    named = accounting.named(rows, lang, _place_name(gazetteer, lang))
    places, main_places = _profile_places(item)
    return {
        "id": item.id,
        "title": headline(gazetteer, item, rows, lang, places, main_places),
        "titles": item.titles,
        "event_date": item.event_first.isoformat() if item.event_first else None,
        "event_last": item.event_last.isoformat() if item.event_last else None,
        "updated": item.updated_at.isoformat(),
        "created": item.created_at.isoformat(),
        "places": sorted(places),
        "disputed": item.disputed,
        "articles": _articles(articles),
        "claims": rows,
        "accounts": named,
        "disagreements": accounting.disagreements(named),
    }


def _profile_places(item) -> tuple[dict, dict]:
    """The places of an item's profile and how many reports each is the main place of: from the
    two columns a look-up row carries, or from an Item's whole profile."""
    profile = getattr(item, "profile", None)
    if profile is not None:
        return profile.get("places") or {}, profile.get("main_places") or {}
    return item.places or {}, item.main_places or {}


def headline(gazetteer: Gazetteer, item, claims: list[dict], lang: str, places: dict, main_places: dict) -> str:
    """The item's headline in a language (bot.items.naming.headline: who claims what when sides
    disagree), from its claims as _claim gives them and its profile's places."""
    if not item.disputed and lang in item.titles:
        return item.titles[lang]  # nothing to build: a report's own title in the reader's language
    top = Profile(date.min, date.min, places=Counter(places), main_places=Counter(main_places)).main_place()
    place = gazetteer.get(top) if top else None
    name = (place.name_nl if lang == "nl" else place.name) if place else None
    facts = [HeadlineClaim(c["side"], c["stance"], tuple((n["value"], n["counts"]) for n in c["numbers"] if n["value"]))
             for c in claims if c["speaker"]]
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
    """A claim row of storage.lookups.claims_of_items (CLAIM_COLUMNS, then its article's link,
    language, time and title, the outlet and a translation) as an answer shows it. Unpacked once:
    an answer makes this of every claim of every item it shows."""
    (claim_id, _, article_id, position, refers_to, speaker, speaker_start, cue, actor, side, stance, content,
     content_start, event_date, numbers, places, disputed, unverified, link, language, _, title, outlet, _) = claim
    title = len(title or "")
    start = content_start if content_start is not None else speaker_start
    return {
        "id": claim_id, "article_id": article_id, "position": position, "refers_to": refers_to,
        "headline": (start if start is not None else title) < title,
        "places": list(_json(places)),
        "speaker": speaker, "cue": cue, "actor": actor, "side": side, "stance": stance,
        "text": content, "numbers": [{"value": n["value"], "counts": n["counts"], "who": n.get("who"),
                                      "qualifier": n.get("qualifier")} for n in _json(numbers)],
        "event_date": event_date.isoformat() if event_date else None,
        "disputed": disputed, "unverified": unverified,
        "article_url": link, "outlet": outlet, "language": language,
    }


@lru_cache(maxsize=4096)
def _json(text: str | None) -> list:
    """A claim's numbers or places from their JSON text, decoded once per distinct text (most are
    "[]" or repeat across an item's reports); callers copy what they keep, never change it."""
    return json.loads(text) if text else []
