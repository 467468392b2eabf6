"""What the bot answers, for Telegram and for the console alike: a message or button press in,
replies out. Parses, calls storage and lookup, composes with bot.replies; sends nothing itself."""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine

from bot import lookup
from bot.i18n import LANGUAGES, day, language_of, t
from bot.nlp.dates import parse_day
from bot.nlp.gazetteer import Gazetteer
from bot.replies import Reply, render_page
from storage import deliveries, itemqueries, subscribers
from storage.db import session_scope
from storage.models import utcnow

MAX_INPUT = 1000
COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,64})(?:@(\w+))?(?:\s+(.*))?$", re.S)
TIME = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
MENU = ("start", "help", "place", "date", "digest", "follow", "following", "subscribe", "unsubscribe", "language",
        "times", "timezone", "settings", "sources", "forgetme")
EXTRA = ("stop", "unfollow", "nonews", "stats", "feeds")


@dataclass(frozen=True, slots=True)
class Incoming:
    """A message or a button press, as the bot sees it."""

    chat_id: int
    text: str
    chat_type: str = "private"
    user_name: str = ""
    language_code: str | None = None
    callback: bool = False


class Throttle:
    """At most `limit` requests per chat in `seconds`; the first one over gets told, the rest ignored."""

    def __init__(self, limit: int = 20, seconds: float = 10.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.seconds, self.clock = limit, seconds, clock
        self.seen: dict[int, deque] = defaultdict(deque)
        self.lock = threading.Lock()  # answers run in worker threads

    def check(self, chat_id: int) -> str:
        """'ok', 'tell' (first over the limit) or 'drop'."""
        with self.lock:
            now, seen = self.clock(), self.seen[chat_id]
            while seen and now - seen[0] > self.seconds:
                seen.popleft()
            seen.append(now)
            if len(seen) <= self.limit:
                return "ok"
            return "tell" if len(seen) == self.limit + 1 else "drop"


def clean(text: str) -> str:
    """Input as a person meant it: NFC, no zero-width or direction marks, no control characters."""
    text = INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()


class Frontdesk:
    """Answers commands and button presses for any number of chats."""

    def __init__(self, engine: Engine, gazetteer: Callable[[], Gazetteer], bot_name: str = "",
                 clock: Callable[[], datetime] = utcnow, throttle: Throttle | None = None,
                 admins: frozenset[int] = frozenset()) -> None:
        self.engine, self._gazetteer, self.bot_name, self.clock = engine, gazetteer, bot_name.lower(), clock
        self.throttle = throttle or Throttle()
        self.admins = admins

    @property
    def gazetteer(self) -> Gazetteer:
        return self._gazetteer()

    def handle(self, msg: Incoming) -> list[Reply]:
        """The replies to one message or button press."""
        verdict = self.throttle.check(msg.chat_id)
        if verdict != "ok":
            return [Reply(t(self._language(msg), "throttled"))] if verdict == "tell" else []
        text = clean(msg.text)
        if len(msg.text) > MAX_INPUT:
            return [Reply(t(self._language(msg), "too_long", limit=MAX_INPUT))]
        if msg.callback:
            return self._button(msg, text)
        match = COMMAND.match(text)
        if match is None:
            return [] if msg.chat_type != "private" else [Reply(t(self._language(msg), "unknown_command"))]
        name, target, args = match.group(1).lower(), (match.group(2) or "").lower(), (match.group(3) or "").strip()
        if target and self.bot_name and target != self.bot_name:
            return []  # /cmd@OtherBot in a group is not for us
        handler = getattr(self, f"cmd_{name}", None) if name in MENU or name in EXTRA else None
        if handler is not None:
            return handler(msg, args)
        return self._place_command(msg, name)

    def _language(self, msg: Incoming) -> str:
        with session_scope(self.engine) as session:
            row = subscribers.get(session, msg.chat_id)
            return row.language if row else language_of(msg.language_code)

    def _settings(self, msg: Incoming):
        with session_scope(self.engine) as session:
            return subscribers.get_or_create(session, msg.chat_id, msg.chat_type, language_of(msg.language_code),
                                             self.clock())

    def _change(self, msg: Incoming, **values: object) -> None:
        self._settings(msg)
        with session_scope(self.engine) as session:
            subscribers.change(session, msg.chat_id, self.clock(), **values)

    # commands ------------------------------------------------------------------------------

    def cmd_start(self, msg: Incoming, args: str) -> list[Reply]:
        """Greet in the user's language and offer to subscribe."""
        lang = self._settings(msg).language
        return [Reply(escape(t(lang, "start.greeting", name=msg.user_name or "")),
                      [[(t(lang, "button.subscribe"), "sub")]], menu_language=lang)]

    def cmd_subscribe(self, msg: Incoming, args: str) -> list[Reply]:
        """Start digests."""
        row = self._settings(msg)
        if row.subscribed and row.active:
            return [Reply(t(row.language, "already_subscribed"))]
        self._change(msg, subscribed=True, active=True)
        return [Reply(escape(t(row.language, "subscribed", times=", ".join(row.times), timezone=row.timezone)))]

    def cmd_unsubscribe(self, msg: Incoming, args: str) -> list[Reply]:
        """Stop digests."""
        row = self._settings(msg)
        if not row.subscribed:
            return [Reply(t(row.language, "not_subscribed"))]
        self._change(msg, subscribed=False)
        return [Reply(t(row.language, "unsubscribed"))]

    cmd_stop = cmd_unsubscribe

    def cmd_language(self, msg: Incoming, args: str) -> list[Reply]:
        """Offer the languages as buttons (or take one given as argument)."""
        lang = self._settings(msg).language
        if args.lower() in LANGUAGES:
            return self._set_language(msg, args.lower())
        return [Reply(t(lang, "language.prompt"), [[("English", "lang:en"), ("Nederlands", "lang:nl")]])]

    def _set_language(self, msg: Incoming, lang: str) -> list[Reply]:
        self._change(msg, language=lang)
        return [Reply(t(lang, "language.set"), menu_language=lang)]

    def cmd_times(self, msg: Incoming, args: str) -> list[Reply]:
        """Set the digest times."""
        lang = self._settings(msg).language
        parts = args.replace(",", " ").split()
        if not parts or len(parts) > 6:
            return [Reply(t(lang, "times.usage"))]
        times = []
        for part in parts:
            found = TIME.match(part)
            if found is None:
                return [Reply(escape(t(lang, "times.invalid", value=part[:40])))]
            times.append(f"{int(found.group(1)):02d}:{found.group(2)}")
        self._change(msg, times=sorted(set(times)))
        return [Reply(t(lang, "times.set", times=", ".join(sorted(set(times)))))]

    def cmd_timezone(self, msg: Incoming, args: str) -> list[Reply]:
        """Set the time zone (an IANA name)."""
        lang = self._settings(msg).language
        if not args:
            return [Reply(t(lang, "timezone.usage"))]
        try:
            zone = ZoneInfo(args.strip())
        except (ZoneInfoNotFoundError, ValueError, IsADirectoryError):
            return [Reply(escape(t(lang, "timezone.invalid", value=args[:60])))]
        self._change(msg, timezone=str(zone))
        return [Reply(escape(t(lang, "timezone.set", timezone=str(zone))))]

    def cmd_settings(self, msg: Incoming, args: str) -> list[Reply]:
        """Everything at once, with buttons."""
        row = self._settings(msg)
        lang = row.language
        text = t(lang, "settings", language={"en": "English", "nl": "Nederlands"}[lang],
                 subscribed=t(lang, "yes" if row.subscribed else "no"), times=", ".join(row.times),
                 timezone=row.timezone)
        toggle = (t(lang, "button.unsubscribe"), "unsub") if row.subscribed else (t(lang, "button.subscribe"), "sub")
        return [Reply(escape(text), [[("English", "lang:en"), ("Nederlands", "lang:nl")], [toggle]])]

    def cmd_help(self, msg: Incoming, args: str) -> list[Reply]:
        """What the bot does."""
        return [Reply(escape(t(self._language(msg), "help")))]

    def cmd_sources(self, msg: Incoming, args: str) -> list[Reply]:
        """The feeds being read."""
        lang = self._language(msg)
        with session_scope(self.engine) as session:
            feeds = "\n".join(f"• {f.name}" for f in subscribers.active_feeds(session))
        return [Reply(escape(t(lang, "sources", feeds=feeds)))]

    def cmd_forgetme(self, msg: Incoming, args: str) -> list[Reply]:
        """Delete the chat's data: settings, follows, delivery log."""
        lang = self._language(msg)
        with session_scope(self.engine) as session:
            deliveries.forget(session, msg.chat_id)
            subscribers.forget(session, msg.chat_id)
        return [Reply(t(lang, "forgotten"))]

    def cmd_stats(self, msg: Incoming, args: str) -> list[Reply]:
        """For ADMIN_CHAT_IDS: how the service is doing."""
        lang = self._language(msg)
        if msg.chat_id not in self.admins:
            return [Reply(t(lang, "admin.only"))]
        with session_scope(self.engine) as session:
            figures = subscribers.stats(session, self.clock())
        return [Reply(escape(t(lang, "admin.stats", **figures)))]

    def cmd_feeds(self, msg: Incoming, args: str) -> list[Reply]:
        """For ADMIN_CHAT_IDS: every feed's state and last error."""
        lang = self._language(msg)
        if msg.chat_id not in self.admins:
            return [Reply(t(lang, "admin.only"))]
        with session_scope(self.engine) as session:
            feeds = subscribers.feed_states(session)
        lines = [f"{'✅' if f.error_count == 0 else '⚠️'} {f.name}: {f.last_status or '–'}"
                 + (f" ({f.last_error[:80]})" if f.last_error else "") for f in feeds]
        return [Reply(escape("\n".join(lines) or "–")[:4000])]

    def cmd_follow(self, msg: Incoming, args: str) -> list[Reply]:
        """Follow a place: alerts soon after news about it."""
        lang = self._settings(msg).language
        if not args:
            return [Reply(t(lang, "follow.usage"))]
        place = self.gazetteer.resolve(args)
        if place is None:
            return [Reply(escape(t(lang, "follow.unknown", name=args[:60])))]
        with session_scope(self.engine) as session:
            deliveries.follow(session, msg.chat_id, place.slug, self.clock())
        return [Reply(escape(t(lang, "follow.done", place=place.name_nl if lang == "nl" else place.name)))]

    def cmd_unfollow(self, msg: Incoming, args: str) -> list[Reply]:
        """Stop following a place."""
        lang = self._language(msg)
        place = self.gazetteer.resolve(args) if args else None
        if place is None:
            return [Reply(t(lang, "follow.usage"))]
        with session_scope(self.engine) as session:
            done = deliveries.unfollow(session, msg.chat_id, place.slug)
        name = place.name_nl if lang == "nl" else place.name
        return [Reply(escape(t(lang, "unfollow.done" if done else "unfollow.none", place=name)))]

    def cmd_following(self, msg: Incoming, args: str) -> list[Reply]:
        """The places a chat follows."""
        lang = self._language(msg)
        with session_scope(self.engine) as session:
            slugs = deliveries.following(session, msg.chat_id)
        if not slugs:
            return [Reply(t(lang, "following.none"))]
        names = ", ".join(f"{self.gazetteer.get(s).name} (/{s})" for s in slugs if self.gazetteer.get(s))
        return [Reply(escape(t(lang, "following.list", places=names)))]

    def cmd_nonews(self, msg: Incoming, args: str) -> list[Reply]:
        """/nonews on|off: a message also when a digest window has no news."""
        lang = self._settings(msg).language
        on = args.strip().lower() in ("on", "aan", "yes", "ja", "1")
        self._change(msg, notify_empty=on)
        return [Reply(t(lang, "nonews.on" if on else "nonews.off"))]

    def cmd_digest(self, msg: Incoming, args: str) -> list[Reply]:
        """The digest now: what is new since the chat's last digest (or the last day), as digests read."""
        from bot.compose import compose

        row = self._settings(msg)
        now = self.clock()
        since = row.last_digest_at or now - timedelta(days=1)
        with session_scope(self.engine) as session:
            items = lookup.describe_items(session, self.gazetteer, itemqueries.items_updated_between(session, since, now),
                                          row.language)
            followed = frozenset(deliveries.following(session, msg.chat_id))
        messages = compose(items, row.language, (since, now), followed)
        return [Reply(text) for text in messages] or [Reply(t(row.language, "digest.none"))]

    def cmd_place(self, msg: Incoming, args: str) -> list[Reply]:
        """A place by any spelling."""
        lang = self._language(msg)
        if not args:
            return [Reply(t(lang, "place.usage"))]
        return self._place(lang, args, 1)

    def cmd_date(self, msg: Incoming, args: str) -> list[Reply]:
        """A day in many forms."""
        lang = self._language(msg)
        if not args:
            return [Reply(t(lang, "date.usage"))]
        days = parse_day(args[:100], self.clock().date())
        if days is None:
            return [Reply(escape(t(lang, "date.invalid", value=args[:60])))]
        return self._date(lang, days[0], days[1], 1)

    def _place_command(self, msg: Incoming, name: str) -> list[Reply]:
        lang = self._language(msg)
        place = self.gazetteer.get(name) or next(iter(self.gazetteer.candidates(name, fuzzy=False)), None)
        if place is not None:
            return self._place(lang, place.slug, 1)
        if msg.chat_type != "private":
            return []  # in a group, another bot's command is none of our business
        if len(name) >= 4 and self.gazetteer.suggest(name, 1, cutoff=80):
            return self._place(lang, name, 1)  # a misspelt place: "did you mean" buttons
        return [Reply(t(lang, "unknown_command"))]

    def _place(self, lang: str, name: str, page: int) -> list[Reply]:
        with session_scope(self.engine) as session:
            try:
                result = lookup.by_place(session, self.gazetteer, name, lang, limit=30)
            except lookup.UnknownPlace as exc:
                buttons = [[(p.name_nl if lang == "nl" else p.name, f"pl:{p.slug}")] for p in exc.suggestions[:5]]
                text = t(lang, "place.unknown", name=escape(name[:60]))
                return [Reply(text + ("\n" + t(lang, "place.suggest") if buttons else ""), buttons)]
        subject = result["place"]["name"]
        if not result["items"]:
            return [Reply(escape(t(lang, "place.none", place=subject)))]
        return [render_page(subject, result["items"], page, lang, f"pg:p:{result['place']['slug']}")]

    def _date(self, lang: str, first: date, last: date, page: int) -> list[Reply]:
        with session_scope(self.engine) as session:
            result = lookup.by_date(session, self.gazetteer, first, last, lang, limit=30)
        subject = day(lang, first) if first == last else f"{day(lang, first)} – {day(lang, last)}"
        if not result["items"]:
            return [Reply(escape(t(lang, "date.none", day=subject)))]
        return [render_page(subject, result["items"], page, lang, f"pg:d:{first:%Y%m%d}:{last:%Y%m%d}")]

    def _button(self, msg: Incoming, data: str) -> list[Reply]:
        lang = self._language(msg)
        kind, _, rest = data.partition(":")
        if kind == "sub":
            return self.cmd_subscribe(msg, "")
        if kind == "unsub":
            return self.cmd_unsubscribe(msg, "")
        if kind == "lang" and rest in LANGUAGES:
            return self._set_language(msg, rest)
        if kind == "pl" and rest:
            return self._place(lang, rest, 1)
        if kind == "pg":
            return self._page(msg, lang, rest)
        return []

    def _page(self, msg: Incoming, lang: str, rest: str) -> list[Reply]:
        parts = rest.split(":")
        try:
            page = int(parts[-1])
            if parts[0] == "p":
                return self._place(lang, parts[1], page)
            if parts[0] == "d":
                first, last = (datetime.strptime(p, "%Y%m%d").date() for p in parts[1:3])
                return self._date(lang, first, last, page)
        except (ValueError, IndexError):
            return []
        return []
