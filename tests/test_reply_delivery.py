"""Issue 11, item 14 (and the /digest part of item 2): replies reach Telegram through the one
splitter; a refused part does not drop the parts after it; a double tap on a paging button is no
error and sends nothing new; a stale press is still handled; a forged press without a message is
answered and ignored. The real handlers, on the real databases, against the Bot API test server."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from telegram.constants import ParseMode
from telegram.ext import Defaults, ExtBot

from bot.digests.replies import Reply
from bot.i18n import t
from bot.nlp.gazetteer import shared
from handlers.adapter import answer, on_button
from handlers.context import Desk, Incoming
from handlers.registry import respond
from tests.botapi import Sent, utf16_length
from tests.helpers import add_feed


@pytest.fixture
async def context(api, engine, cache_dir):
    """What the handlers get from python-telegram-bot: the bot (HTML by default, as the application
    builds it), and the Desk in bot_data."""
    async with ExtBot("123:TEST", base_url=api.base_url, defaults=Defaults(parse_mode=ParseMode.HTML)) as bot:
        yield SimpleNamespace(bot=bot, bot_data={"desk": Desk(engine, lambda: shared(cache_dir))})


def _to(api, chat_id):
    return [s for s in api.state.sent if s.chat_id == chat_id]


async def test_a_reply_that_grows_with_data_is_split_within_the_limit(api, context):
    feeds = "\n".join(f"• Feed {n} 🇺🇦 Kyiv &amp; Lviv ({n})" for n in range(325))  # /sources with 325 feeds
    await answer(context, 1, [Reply(f"<b>Sources</b>\n{feeds}", [[("›", "pg:2")]])])
    sent = _to(api, 1)
    assert len(sent) > 1 and all(utf16_length(s.plain) <= 4096 for s in sent)
    assert [line for s in sent for line in s.plain.splitlines()][1:] == [
        f"• Feed {n} 🇺🇦 Kyiv & Lviv ({n})" for n in range(325)]
    assert [bool(s.buttons) for s in sent] == [False] * (len(sent) - 1) + [True]  # buttons under the last


async def test_a_refused_reply_does_not_drop_the_ones_after_it(api, context):
    api.fail_when("sendMessage", lambda p: "REFUSE" in str(p.get("text")), 400, "Bad Request: MESSAGE_REFUSED")
    await answer(context, 2, [Reply("<b>part 1</b>"), Reply("part 2 REFUSE"), Reply("<i>part 3</i>")])
    assert [s.plain for s in _to(api, 2)] == ["part 1", "part 3"]


async def _press(api, context, chat_id: int, message: Sent, data: str, **how) -> None:
    api.user_presses(chat_id, message, data, **how)
    (update,) = await context.bot.get_updates(offset=api.state.next_update - 1, timeout=0)
    await on_button(update, context)


async def test_a_double_tap_on_a_paging_button_is_not_an_error(api, context):
    first = await context.bot.send_message(3, "page 1")
    shown = Sent(3, first.message_id, "page 1", "page 1", [], "sendMessage")
    await _press(api, context, 3, shown, "pg:p:kramatorsk:2")
    await _press(api, context, 3, shown, "pg:p:kramatorsk:2")  # the same page again: Telegram says not modified
    sent = _to(api, 3)
    assert [s.method for s in sent] == ["sendMessage", "editMessageText"]  # no third message, plain or not
    assert not api.state.queries  # both presses answered


async def test_a_stale_press_is_still_handled(api, context):
    (prompt,) = respond(context.bot_data["desk"], Incoming(4, "/language"))
    first = await context.bot.send_message(4, "Choose a language")
    shown = Sent(4, first.message_id, "Choose a language", "Choose a language", [], "sendMessage")
    dutch = prompt.buttons[0][1][1]
    await _press(api, context, 4, shown, dutch, stale=True)  # answerCallbackQuery: query is too old
    assert [s.plain for s in _to(api, 4)] == ["Choose a language", t("nl", "language.set")]


async def test_a_forged_press_without_a_message_is_answered_and_ignored(api, context):
    api.forged_press(5, "pg:p:kramatorsk:2")
    (update,) = await context.bot.get_updates(offset=api.state.next_update - 1, timeout=0)
    await on_button(update, context)  # no AttributeError
    assert api.state.sent == [] and not api.state.queries


async def test_sources_with_325_feeds_reach_telegram_whole(api, context, engine):
    for n in range(325):
        add_feed(engine, f"https://feeds{n:03d}.test/rss", name=f"Kyiv & Lviv Wire {n:03d} 🇺🇦")
    replies = respond(context.bot_data["desk"], Incoming(6, "/sources"))
    await answer(context, 6, replies)
    sent = _to(api, 6)
    assert len(sent) > 1 and all(s.text != s.plain and utf16_length(s.plain) <= 4096 for s in sent)  # HTML, each
    shown = "\n".join(s.plain for s in sent)
    assert all(f"Kyiv & Lviv Wire {n:03d} 🇺🇦" in shown for n in range(325))


async def test_feeds_for_an_admin_is_never_cut_inside_an_entity(api, context, engine):
    for n in range(120):  # the old reply was cut at 4,000 characters after escaping: inside an "&amp;"
        add_feed(engine, f"https://f{n:03d}.test/rss", name=f"A&B&C {n:03d} " + "&" * 20)
    desk = context.bot_data["desk"]
    desk.admins = frozenset({7})
    await answer(context, 7, respond(desk, Incoming(7, "/feeds")))
    sent = _to(api, 7)
    assert all(s.text != s.plain or "&" not in s.plain for s in sent)  # all went as HTML, none as plain fallback
    assert f"A&B&C 119 {'&' * 20}" in "\n".join(s.plain for s in sent)
