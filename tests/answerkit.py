"""A Dutch and an English report of one claim (sentences of our own), and the answer a reader gets
about their place: shared by the answer tests and the answer-cache tests (the `loaded` fixture in
tests/conftest.py reads and groups them)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.cli.groupeval import Labelled
from bot.digests.replies import as_text
from handlers import places
from handlers.context import Desk

AT = datetime(2023, 2, 14, 9, tzinfo=UTC)
ARTICLES = [
    Labelled("x", "en", AT, "Harbour Gazette", "Russia says 250 Ukrainian soldiers killed in Sloviansk",
             "Russia's defence ministry said on Tuesday that it had killed 250 Ukrainian soldiers in a strike on "
             "Sloviansk. Ukraine's defence ministry denied that any soldiers had died."),
    Labelled("x", "nl", AT.replace(hour=10), "Het Noorderblad", "Moskou: 250 militairen gedood in Slovjansk",
             "Het Russische ministerie van Defensie zegt dinsdag 250 Oekraïense militairen te hebben gedood bij een "
             "aanval op Slovjansk. Het Oekraïense ministerie van Defensie ontkent dat er militairen zijn omgekomen. "
             "Gouverneur Pavlo Kyrylenko meldt dat bij de aanval op Slovjansk drie burgers gewond raakten."),
]


def page(engine, gazetteer, lang: str, translator=None) -> str:
    """The first page of the answer to /sloviansk, as plain text."""
    desk = Desk(engine, lambda: gazetteer, translator=translator)
    (reply,) = places.show_place(desk, lang, "sloviansk", 1)
    return as_text(reply)
