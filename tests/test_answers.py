"""Answers a reader can trust: one line per claim (not per report), in the reader's language, a
denial that says what it denies, one mark per claim, a "more" button that counts, plurals, and the
optional translation backend on, off and down. The articles are sentences of our own."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.digests import claimtext, translate
from bot.digests.compose import compose_replies, rank
from bot.digests.replies import LIMIT, as_text, render_page
from bot.digests.tgtext import length
from bot.items import accounts, lookup
from bot.items.naming import speaker_name
from bot.nlp.gazetteer import shared
from handlers import registry
from handlers.context import Desk, Incoming
from storage.db import session_scope
from tests.answerkit import page
from tests.translateserver import TranslateServer

DUTCH = {"de", "het", "een", "dat", "zijn", "er", "van", "bij", "op", "ontkent", "zegt", "meldt", "gedood",
         "militairen", "burgers", "gewond", "raakten", "te", "hebben", "aanval", "omgekomen", "dinsdag"}


def bullets(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("•")]


@pytest.mark.parametrize("lang, ministry, raw", [("en", "Russian defence ministry", "Het Russische ministerie"),
                                                 ("nl", "Russisch ministerie van Defensie", "Russia's defence ministry")])
def test_a_claim_in_dutch_and_english_is_one_line_with_both_outlets(sloviansk, lang, ministry, raw):
    text = page(*sloviansk, lang)
    lines = [line for line in bullets(text) if line.startswith(f"• {ministry} ")]
    assert len(lines) == 1, text
    assert "Harbour Gazette (sample)" in lines[0] and "Het Noorderblad (sample)" in lines[0]
    assert raw not in text  # the speaker is its entity, named in the reader's language


def test_no_english_line_is_only_dutch_words(sloviansk):
    text = page(*sloviansk, "en")
    for line in bullets(text):
        said = line.split(" — ")
        own = " ".join(part for part in said if not part.startswith("«") and "<https://" not in part)
        assert not set(re.findall(r"\w+", own.lower())) & DUTCH, line
        if "(nl)" in line and "«" in line:  # original Dutch words come after the structured rendering
            assert re.search(r"\b(Sloviansk|14 February|\d+ (soldiers|civilians)\b)", said[0] + said[1]), line
    assert "Pavlo Kyrylenko claims: 3 civilians wounded, Sloviansk, 14 February — «" in text


@pytest.mark.parametrize("lang, expected", [
    ("en", "• Ukrainian defence ministry denies the figure of 250 soldiers killed"),
    ("nl", "• Oekraïens ministerie van Defensie ontkent het cijfer van 250 militairen gedood")])
def test_a_denial_says_what_it_denies(sloviansk, lang, expected):
    text = page(*sloviansk, lang)
    assert any(line.startswith(expected) for line in bullets(text)), text


def test_translation_off_sends_nothing_and_the_structured_rendering_stands(sloviansk):
    server = TranslateServer().start()
    try:
        text = page(*sloviansk, "en", translator=None)
    finally:
        server.stop()
    assert server.requests == [] and "«" in text and "(nl)" in text


def test_translation_on_is_asked_once_per_claim_and_language(sloviansk):
    server = TranslateServer(api_key="k3y").start()
    translator = translate.Translator(server.url, "k3y", timeout=5)
    try:
        first = page(*sloviansk, "en", translator)
        asked = list(server.requests)
        again = page(*sloviansk, "en", translator)
    finally:
        server.stop()
    assert asked and {(r["source"], r["target"], r["format"], r["api_key"]) for r in asked} == {("nl", "en", "text", "k3y")}
    assert "[nl→en]" in first and "(machine-translated from Dutch)" in first
    assert server.requests == asked and again == first  # the second answer reads the cache


@pytest.mark.parametrize("failure", ["refused", "closed", "slow"])
def test_translation_down_the_answer_comes_without_it_and_the_circuit_opens(sloviansk, failure):
    server = TranslateServer().start()
    url = server.url
    if failure == "refused":
        server.refuse = True
    if failure == "slow":
        server.slow = 3.0
    if failure == "closed":
        server.stop()
    translator = translate.Translator(url, timeout=0.3, cooldown=600)
    try:
        first = page(*sloviansk, "en", translator)
        asked = len(server.requests)
        second = page(*sloviansk, "en", translator)
    finally:
        if failure != "closed":
            server.stop()
    assert "[nl→en]" not in first and "«" in first and first == second
    assert asked <= 1 and len(server.requests) == asked  # one try, then nothing while the circuit is open
    assert not translator.available()


def claim(cid, actor, side, stance, text, *, numbers=(), speaker="x", lang="en", outlet="Harbour Gazette (sample)",
          article=1, disputed=False, unverified=False, places=("sloviansk",), headline=False, refers_to=None):
    return {"id": cid, "article_id": article, "position": cid, "refers_to": refers_to, "headline": headline,
            "places": list(places), "speaker": speaker, "cue": None, "actor": actor, "side": side, "stance": stance,
            "text": text, "numbers": [{"value": v, "counts": c, "who": w, "qualifier": None} for v, c, w in numbers],
            "event_date": "2023-02-14", "disputed": disputed, "unverified": unverified,
            "article_url": f"https://example.sample.invalid/{article}", "outlet": outlet, "language": lang}


def item_of(claims, gazetteer, lang="en", n=7):
    named = accounts.named(claims, lang, lookup._place_name(gazetteer, lang))
    return {"id": n, "title": f"Item {n}", "titles": {}, "event_date": "2023-02-14", "event_last": "2023-02-14",
            "updated": "2023-02-14T11:00:00+00:00", "created": "2023-02-14T10:00:00+00:00", "places": ["sloviansk"],
            "disputed": True, "claims": claims, "accounts": named, "disagreements": accounts.disagreements(named),
            "articles": [{"url": "https://example.sample.invalid/1", "outlet": "Harbour Gazette (sample)",
                          "language": "en", "title": "t", "published": None, "copies": []}]}


ACTORS = ["ru.mod", "ru.kremlin", "ru.government", "ua.mod", "ua.government", "ua.military", "un", "ru.wagner"]


@pytest.mark.parametrize("lang, line, button", [("en", "3 more claims", "Item 7: 3 more claims"),
                                                ("nl", "Nog 3 beweringen", "Item 7: nog 3 beweringen")])
def test_more_claims_than_a_handful_get_a_line_and_a_button_that_count_them(cache_dir, lang, line, button):
    claims = [claim(n, actor, actor.split(".")[0].upper() if "." in actor else "other", "assert", f"statement {n}")
              for n, actor in enumerate(ACTORS, 1)]
    reply = render_page("Sloviansk", [item_of(claims, shared(cache_dir), lang)], 1, lang, "pg:p:sloviansk")
    assert len(bullets(as_text(reply))) == 5 and line in reply.text
    assert [(button, "it:7")] in reply.buttons


def test_the_more_button_shows_the_item_in_full(sloviansk):
    engine, gazetteer = sloviansk
    with session_scope(engine) as session:
        item_id = lookup.by_place(session, gazetteer, "sloviansk")["items"][0]["id"]
    desk = Desk(engine, lambda: gazetteer)
    (reply,) = registry.press(desk, Incoming(1, f"it:{item_id}", callback=True), f"it:{item_id}")
    assert "more claim" not in reply.text and len(bullets(as_text(reply))) >= 3
    assert registry.press(desk, Incoming(1, "it:999999", callback=True), "it:999999")[0].text.startswith("That item")


def test_one_claim_has_one_mark(cache_dir):
    claims = [claim(1, "ru.mod", "RU", "assert", "it killed 250 soldiers", numbers=((250.0, "killed", "soldiers"),),
                    disputed=True),
              claim(2, "ru.mod", "RU", "assert", "250 militairen gedood", numbers=((250.0, "killed", "soldiers"),),
                    lang="nl", outlet="Het Noorderblad (sample)", article=2, unverified=True)]
    item = item_of(claims, shared(cache_dir))
    (account,) = item["accounts"]
    line = claimtext.line("en", account, {account["id"]: account})
    assert account["mark"] == "disputed" and line.count("(disputed)") == 1 and "unverified" not in line


def test_headlines_are_not_claims_where_the_body_attributes():
    claims = [claim(1, "ru.government", "RU", "assert", "headline words", headline=True),
              claim(2, "ru.mod", "RU", "assert", "body words"),
              claim(3, "ua.government", "UA", "assert", "a headline alone", headline=True, article=2)]
    assert [c["id"] for c in accounts.shown_claims(claims)] == [2, 3]


def test_a_pronoun_is_never_a_speaker_shown(cache_dir):
    assert speaker_name("ru.mod", "he", "en") == "Russian defence ministry"
    item = item_of([claim(1, "unknown", "other", "assert", "something", speaker="hij", lang="nl")], shared(cache_dir))
    assert item["accounts"][0]["speaker"] is None
    assert "hij" not in claimtext.line("en", item["accounts"][0], {})


@pytest.mark.parametrize("lang, one, many", [
    ("en", "1 soldier killed", "more than 1,250 soldiers killed"),
    ("nl", "1 militair gedood", "meer dan 1.250 militairen gedood")])
def test_figures_have_plurals_and_numbers_in_both_languages(lang, one, many):
    assert claimtext.figure(lang, {"value": 1.0, "counts": "killed", "who": "soldiers"}) == one
    assert claimtext.figure(lang, {"value": 1250.0, "counts": "killed", "who": "soldiers", "qualifier": "more_than"}) == many
    assert claimtext.figure(lang, {"value": None, "counts": "killed", "qualifier": "hundreds"}) in ("hundreds killed",
                                                                                                    "honderden doden")


def test_the_newest_update_ranks_first_by_the_instant_not_the_string():
    def item(n, updated):
        return {"id": n, "places": [], "created": "2023-01-01T00:00:00+00:00", "updated": updated,
                "disputed": False, "articles": [{"copies": []}]}
    items = [item(1, "2023-01-08T07:00:00+00:00"), item(2, "2023-01-08T09:00:00+00:00"),
             item(3, "2023-01-08T10:00:00+01:00")]  # 09:00 UTC written in another zone, a little later
    assert [i["id"] for i in rank(items, datetime(2023, 1, 2, tzinfo=UTC), frozenset())] == [2, 3, 1]


def test_a_digest_of_ten_items_fits_two_messages_with_a_button_per_item(cache_dir):
    gazetteer = shared(cache_dir)
    long = "a long statement about the strike that goes on and on " * 6
    items = []
    for n in range(1, 11):
        claims = [claim(n * 100 + k, actor, "RU" if actor.startswith("ru") else "UA" if actor.startswith("ua") else "other",
                        "assert", f"{long} {k}", outlet=f"Outlet number {k} with a long name (sample)", article=k)
                  for k, actor in enumerate(ACTORS, 1)]
        items.append(item_of(claims, gazetteer, "en", n))
    window = (datetime(2023, 2, 14, 6, tzinfo=UTC), datetime(2023, 2, 14, 12, tzinfo=UTC))
    replies = compose_replies(items, "en", window)
    assert len(replies) <= 2 and all(length(r.text) <= LIMIT for r in replies)
    assert sorted(data for r in replies for row in r.buttons for _, data in row) == sorted(f"it:{n}" for n in range(1, 11))
    assert all("more claims" in block for block in "\n".join(r.text for r in replies).split("\n\n")[1:]
               if block.startswith("<i>["))
