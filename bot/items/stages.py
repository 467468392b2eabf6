"""The stages after ingest: read new articles (spaCy), store their claims, and group them into items.
Orchestration only: what a reading means is bot.nlp's business, which item an article joins is
bot.items.group's, and what an item's claims say of each other is bot.items.disputes'."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from bot.items import group, kept, marking
from bot.items.describe import words_of
from bot.items.kept import Held, Kept
from bot.metrics import READ_SECONDS
from bot.nlp.gazetteer import shared
from bot.nlp.lexicon import languages
from bot.nlp.pipeline import ArticleInput, read
from storage import itemqueries as q
from storage.db import Engine, OperationalError, session_scope
from storage.models import Article, utcnow

log = logging.getLogger(__name__)
CANDIDATES = 30
BATCH = 32  # articles read at once (nlp.pipe); also what a killed run can lose of its work
MAX_ATTEMPTS = 3  # readings begun and never finished (the process died) before an article is given up
RACES = 5  # times an article is grouped again because another process changed its item meanwhile
DATE_SLACK = timedelta(days=30)
DEADLOCK = "40P01"  # PostgreSQL's SQLSTATE for a deadlock detected
EARLIEST = date(1900, 1, 1)  # a "publication date" before this is a feed's placeholder, not a date
Reading = dict | Exception | None  # a reading, why there is none, or none needed (a language we do not read)


class ReadAndGroup:
    """A stage: the ids of newly stored articles in, items updated."""

    def __init__(self, engine: Engine, cache_dir: str, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine, self.cache_dir, self.clock = engine, cache_dir, clock
        self.kept = Kept()  # candidate items decoded, across the articles of this stage (bot.items.kept)
        self.read_languages = frozenset(languages())  # asked once: it lists the lexicons on disk

    async def __call__(self, article_ids: list[int]) -> None:
        """Run in a worker thread: reading is CPU work."""
        await asyncio.to_thread(self.process, article_ids)

    def process(self, article_ids: Sequence[int]) -> int:
        """Read and group these articles (those not read yet), a batch at a time, each batch kept as it
        is done; returns how many were done."""
        ids = list(article_ids)
        return sum(self._batch(ids[start : start + BATCH]) for start in range(0, len(ids), BATCH))

    def _batch(self, ids: list[int]) -> int:
        with session_scope(self.engine) as session:
            rows = q.articles_to_read(session, ids)
        tries = {a.id: a.read_attempts for a, _ in rows}
        fresh = [row for row in rows if tries[row[0].id] == 0]
        readings = self._readings(fresh)  # together (nlp.pipe), kept together
        together: list[tuple[Article, Reading]] = []
        for article, outlet in rows:
            if tries[article.id] == 0:
                together.append((article, readings[article.id]))
                continue
            self._settle_together(together)  # what comes before it, kept first: the order stays
            together = []
            if tries[article.id] < MAX_ATTEMPTS:
                # Tried before and never finished: alone, and kept at once, so that an article that
                # kills its process takes only itself down with it.
                self._settle(article, self._readings([(article, outlet)])[article.id])
            else:
                self._settle(article, RuntimeError(f"reading was begun {tries[article.id]} times and never finished"))
        self._settle_together(together)
        return len(rows)

    def _readings(self, rows: Sequence[tuple[Article, str]]) -> dict[int, Reading]:
        """Each article's reading (nlp.pipe over the batch); when the batch fails, one by one, so that
        the article that fails keeps its exception and the others their readings."""
        supported = self.read_languages
        inputs = {a.id: ArticleInput(f"{a.title}\n\n{a.text}", a.language, reading_day(a), a.link, outlet)
                  for a, outlet in rows if a.language in supported}
        found: dict[int, Reading] = {a.id: None for a, _ in rows if a.language not in supported}
        if not inputs:
            return found
        self._begin(list(inputs))  # counted first: an article that kills the process shows in the count
        try:
            with READ_SECONDS.time():
                return found | dict(zip(inputs, read(list(inputs.values()), self.cache_dir)))
        except Exception:
            if len(inputs) > 1:
                log.warning("reading a batch of %d articles failed; reading them one by one", len(inputs))
        return found | {i: self._read_alone(i, article) for i, article in inputs.items()}

    def _begin(self, ids: list[int]) -> None:
        with session_scope(self.engine) as session:
            q.begin_reading(session, ids)

    def _read_alone(self, article_id: int, article: ArticleInput) -> Reading:
        try:
            (reading,) = read([article], self.cache_dir)
            return reading
        except Exception as exc:  # kept, and recorded on the article by _settle
            log.exception("reading article %s failed", article_id)
            return exc

    def _settle_together(self, done: list[tuple[Article, Reading]]) -> None:
        """Store these readings and group their articles in one transaction (one commit for the
        batch). When one article fails, that transaction is let go whole and each article is settled
        alone, in the same order: grouping is incremental, so the items come out as they would have,
        and the failure costs only its own article."""
        if not done:
            return
        try:
            with session_scope(self.engine) as session:
                for article, reading in done:
                    if isinstance(reading, Exception):
                        q.record_failure(session, article.id, repr(reading)[:500], self.clock())
                    else:
                        self._one(session, article, reading)
            return
        except OperationalError as exc:
            if not _deadlocked(exc):  # the database, not an article: the batch is left unread for the next run
                raise
            log.warning("grouping a batch of %d articles met another process's; grouping them one by one", len(done))
        except Exception:
            log.warning("grouping a batch of %d articles failed; grouping them one by one", len(done))
        for article, reading in done:
            self._settle(article, reading)

    def _settle(self, article: Article, reading: Reading) -> None:
        """Store one article's reading and put it in an item; a failure is recorded on the article
        (read, with the error), once: it is not tried again, and the others go on."""
        error = reading if isinstance(reading, Exception) else self._grouped(article, reading)
        if error is not None:
            with session_scope(self.engine) as session:
                q.record_failure(session, article.id, repr(error)[:500], self.clock())

    def _grouped(self, article: Article, reading: dict | None) -> Exception | None:
        """Group the article in a transaction of its own; None when it is done (or left for the next
        run), the article's own failure otherwise. When another process wrote one of its items
        meanwhile, the transaction rolls back and the article is grouped again on the item's new state."""
        for _ in range(RACES):
            try:
                with session_scope(self.engine) as session:
                    self._one(session, article, reading)
                return None
            except q.ItemChanged as exc:
                log.info("grouping article %s again: %s", article.id, exc)
            except OperationalError:  # the database, not the article: left unread for the next run
                raise
            except Exception as exc:  # one article's failure must not stop the others, nor repeat forever
                log.exception("grouping article %s failed", article.id)
                return exc
        log.warning("article %s left unread for the next run: its items kept changing under it", article.id)
        return None

    def _one(self, session, article: Article, reading: dict | None) -> None:
        features = self._features(article, reading)
        claims = [_claim_row(n, c) for n, c in enumerate(reading["claims"])] if reading else []
        if q.store_reading(session, article.id, features.as_dict(), features.first, features.last, self.clock()):
            self._group(session, article, features, claims)

    def _features(self, article: Article, reading: dict | None) -> group.Features:
        published = reading_day(article)
        reading = reading or {"places": [], "claims": [], "date_mentions": [], "actors": [], "concepts": []}
        first, last, explicit = _event_days(reading, published)
        numbers = {(n["value"], n["counts"]) for c in reading["claims"] for n in c["numbers"]
                   if n["value"] is not None and n["value"] >= 2}
        actors = {c["actor"] for c in reading["claims"] if c["actor"] not in ("outlet", "unknown")}
        actors |= set(reading["actors"])
        places = tuple(sorted((p["slug"], p["weight"]) for p in reading["places"] if not p["as_actor_only"]))
        words = words_of(article.title, article.text, article.language, article.link,
                         article.language in self.read_languages, self._place_of)
        return group.Features(
            article.id, article.language, published, first, last, explicit, places or words.places,
            tuple(sorted(numbers)), tuple(sorted(actors)), group.signature(f"{article.title}\n{article.text}"),
            article.content_hash, tuple(sorted(set(reading["concepts"]) | set(words.concepts))),
            tuple(sorted((p["slug"], p["region"]) for p in reading["places"] if p["region"] and not p["as_actor_only"])),
            words.terms, words.names, words.figures, words.kind)

    def _place_of(self, key: str) -> str | None:
        """The slug of a folded place name, if it names exactly one place."""
        found = shared(self.cache_dir).aliases.get(key, ())
        return shared(self.cache_dir).places[found[0]].slug if len(found) == 1 else None

    def group(self, session, article: Article, features: group.Features) -> None:
        """Put one read article into an item (new, existing, or merged from several)."""
        self._group(session, article, features, [])

    def _group(self, session, article: Article, features: group.Features, claims: list[dict]) -> None:
        keys = features.keys()
        learnt = q.after_commit(session, "kept items", self.kept.learn)
        found = self._candidates(session, keys, *features.lookup_days(), learnt)
        decision = group.decide(features, {i: held.profile for i, held in found.items()})
        now = self.clock()
        gazetteer = shared(self.cache_dir)
        places = [(s, gazetteer.get(s).region if gazetteer.get(s) else None) for s, _ in features.places]
        marked = None
        if decision.join is None:
            item = _founded(session, article, features, claims, now)
        else:
            item = found[decision.join]  # what is held of it, and of those merged into it, is let go: they change
            self.kept.forget([item.id, *decision.merge])
            item.profile.add(features)
            for other in decision.merge:
                q.merge(session, item.id, other, found[other].version)
                item.profile.absorb(found[other].profile)
                item.titles = {**found[other].titles, **item.titles}
                learnt.pop(other, None)
            # The joining claims marked before they are stored (a merged item: all of them, after).
            marked = None if decision.merge else marking.joining(item, article.id, claims)
        q.attach(session, item.id, article.id, keys, features.key_days(), places)
        q.store_claims(session, article.id, item.id, claims)
        learnt[item.id] = item if decision.join is None else self._update(session, item, article, now, marked)

    def _candidates(self, session, keys: list[str], first: date, last: date, learnt: dict) -> dict[int, Held]:
        """The candidate items, decoded: those written or read earlier in this transaction, those held
        at the version stored, the others read (in one statement) and learnt once this transaction
        commits."""
        versions = q.candidate_versions(session, keys, first, last, CANDIDATES)
        found = {i: _current(learnt.get(i), (count, at)) or self.kept.get(i, (count, at)) for i, count, at in versions}
        missing = [i for i, held in found.items() if held is None]
        for i, count, at, stored, titles, disputed in q.item_states(session, missing):
            found[i] = learnt[i] = kept.decoded(i, (count, at), stored, titles, disputed)
        return {i: held for i, held in found.items() if held is not None}

    def _update(self, session, item: Held, article: Article, now: datetime, marked: marking.Marked | None) -> Held:
        """Write the item's new state (its profile, marks, titles, days); what is stored, as held."""
        profile = item.profile
        if article.language and article.language not in item.titles:
            item.titles = {**item.titles, article.language: article.title}
        marks = marking.settle(session, item, marked)
        # Kept beside the grouping profile: what the item's claims offer the next article's (bot.items.marks).
        stored = {**profile.to_dict(), "marks": marks}
        q.save_item(session, item.id, item.version, stored, profile.articles, *profile.event_days(), now, item.titles,
                    item.disputed)
        return kept.as_stored(item.id, (profile.articles, now), stored, item.titles, item.disputed)


def _deadlocked(exc: OperationalError) -> bool:
    """Whether PostgreSQL let this transaction go because it and another each waited for rows the
    other held (a batch holds its items' rows until it commits): one article at a time then waits
    for the other's rows instead."""
    return getattr(exc.orig, "sqlstate", None) == DEADLOCK


def _current(held: Held | None, version: kept.Version) -> Held | None:
    """An item as this transaction holds it, if the store shows that version of it."""
    return held if held is not None and held.version == version else None


def reading_day(article: Article) -> date:
    """The day reading resolves "yesterday" against and grouping dates an article by: its publication
    day, unless its fetch contradicts that (more than a day after it was fetched, or a placeholder such
    as 0001-01-01), then the day it was fetched."""
    fetched = article.fetched_at.date()
    published = article.published_at.date() if article.published_at else fetched
    return published if EARLIEST <= published <= fetched + timedelta(days=1) else fetched


def _event_days(reading: dict, published: date) -> tuple[date, date, bool]:
    """The days an article is about: the day its claims name most (a dated claim counts over the
    publication day), else the days it mentions, else the day it was published."""
    def near(day: date) -> bool:
        return published - DATE_SLACK <= day <= published + timedelta(days=1)

    # The latest day it names: a report recalls earlier events as background ("after the strike on
    # Makiivka at New Year"), it rarely looks back on its own news from the day after.
    dated = [date.fromisoformat(c["event_date"]) for c in reading["claims"] if c.get("dated") and c["event_date"]]
    dated = [d for d in dated if near(d)]
    if dated:
        return max(dated), max(dated), True
    mentioned = [date.fromisoformat(d["first"]) for d in reading["date_mentions"]]
    mentioned = [d for d in mentioned if near(d)]
    if mentioned:
        return max(mentioned), max(mentioned), True
    return published, published, False


def _founded(session, article: Article, features: group.Features, claims: list[dict], now: datetime) -> Held:
    """A new item of one article, written once, whole: its claims' marks are decided among themselves
    before they are stored (with them)."""
    profile = group.Profile.new(features)
    marks, disputed = marking.founded(article.id, claims)
    titles = {article.language: article.title} if article.language else {}
    stored = {**profile.to_dict(), "marks": marks}
    item_id = q.new_item(session, now, stored, *profile.event_days(), titles, profile.articles, disputed)
    return kept.as_stored(item_id, (profile.articles, now), stored, titles, disputed)


def _claim_row(position: int, claim: dict) -> dict:
    def part(name: str, key: str):
        span = claim[name]
        return span[key] if span else None

    # Who speaks, in the words that name them: for a pronoun resolved to an earlier speaker ("volgens hem"),
    # that speaker's words (the offsets stay where this sentence names them). A speaker span may end with
    # the comma that closes its apposition ("Jan Roe, 69, said"); readers see none.
    named = part("resolved", "text") if claim.get("resolved") else part("speaker", "text")
    return {
        "position": position, "speaker": (named or "").rstrip(" ,;")[:300] or None,
        "speaker_start": part("speaker", "start"), "speaker_end": part("speaker", "end"),
        "cue": (part("cue", "text") or "")[:80] or None, "cue_start": part("cue", "start"), "cue_end": part("cue", "end"),
        "stance": claim["stance"], "actor": claim["actor"], "side": claim["side"],
        "content": part("content", "text") or "", "content_start": part("content", "start"),
        "content_end": part("content", "end"),
        "event_date": date.fromisoformat(claim["event_date"]) if claim["event_date"] else None,
        "numbers": claim["numbers"], "places": claim["places"], "refers_to": claim["refers_to"],
        "carried": claim["carried"], "disputed": False, "unverified": False,
    }
