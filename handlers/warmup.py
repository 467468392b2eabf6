"""What the first commands would otherwise build while people wait, built once at start.

Everything an answer needs is made on first use: the gazetteer, each language's date reader
(a blank spaCy pipeline whose tokenizer adds thousands of special cases), dateparser's languages,
the lexicons that name speakers, Babel's locale data. Made by the first /date or /<place> in a
reply worker thread, each holds the interpreter (the GIL) for up to a second or two on a loaded
machine; the event loop, the fan-out and every other reply run only in between, and the updates
behind them wait for a free handler. bench/bot.py showed it: the 50 replies at or above p95 (6.5 s)
were all asked in the first 13 seconds, their time spent waiting for a handler and in those threads.
`warm` runs before the bot takes updates (bot.app), in a worker thread; it reads, never writes."""

from __future__ import annotations

from datetime import date

from bot.digests.replies import render_chunk
from bot.i18n import LANGUAGES
from bot.items import lookup
from handlers import understand
from handlers.context import Desk
from handlers.places import weekday
from storage import itemqueries, subscribers
from storage.db import session_scope


def warm(desk: Desk) -> None:
    """Load what the commands load on first use: the gazetteer, the readers of typed days, and the
    answer path (describing and rendering the newest item, if any) in every language."""
    gazetteer = desk.gazetteer
    understand.warm(subscribers.DEFAULT_TIMEZONE)
    with session_scope(desk.engine) as session:
        items = itemqueries.latest_items(session, limit=1)
        for lang in LANGUAGES:
            shown = lookup.describe_items(session, gazetteer, items, lang)
            render_chunk("", shown, len(shown), 1, lang, "pg")
            weekday(lang, date.today())
