"""Issue 16, item 5, end to end through the Bot API test server: settings and language buttons edit
the message they sit on; a press on an old keyboard is told the menu expired and does not act again;
edited messages are not answered again; /forgetme asks to confirm; /place and /times without an
argument ask for it and take the next message (the question kept in the database, so that another
process may take the answer); a bug is told to the user once, never as a traceback."""

from __future__ import annotations

import pytest

from bot.i18n import t
from bot.nlp.gazetteer import shared
from handlers.context import Desk, Incoming
from handlers.registry import respond
from storage import subscribers
from storage.db import session_scope
from tests.botapi import BotApiServer
from tests.telegram_app import chatting, start_chatting


@pytest.fixture
async def tg(engine, cache_dir):
    async with chatting(engine, cache_dir) as talking:
        yield talking


def _row(engine, chat_id):
    with session_scope(engine) as session:
        return subscribers.get(session, chat_id)


def _data(message, label):
    return next(b["callback_data"] for row in message.buttons for b in row if b["text"] == label)


async def test_settings_and_language_buttons_edit_the_message_they_sit_on(tg, engine):
    (panel,) = await tg.says(31, "/settings")
    (edited,) = await tg.presses(31, panel, _data(panel, "Nederlands"))
    assert edited.method == "editMessageText" and edited.message_id == panel.message_id
    assert "Taal: Nederlands" in edited.plain and _data(edited, "English") != _data(panel, "English")
    (subscribed, *welcome) = await tg.presses(31, edited, _data(edited, t("nl", "button.subscribe")))
    assert subscribed.method == "editMessageText" and subscribed.message_id == panel.message_id
    assert "Geabonneerd: ja" in subscribed.plain and _row(engine, 31).subscribed
    (prompt,) = await tg.says(31, "/language")
    (chosen,) = await tg.presses(31, prompt, _data(prompt, "English"))
    assert (chosen.method, chosen.message_id, chosen.plain) == ("editMessageText", prompt.message_id,
                                                                 "Language: English.")


async def test_a_press_on_an_old_keyboard_is_told_it_expired_and_acts_no_more(tg, engine):
    (prompt,) = await tg.says(32, "/language")
    await tg.presses(32, prompt, _data(prompt, "Nederlands"))
    (expired,) = await tg.presses(32, prompt, _data(prompt, "English"))  # the same, older keyboard
    assert expired.plain == t("nl", "menu.expired") and _row(engine, 32).language == "nl"
    (greeting,) = await tg.says(33, "/start")
    await tg.presses(33, greeting, _data(greeting, "Subscribe"))
    await tg.says(33, "/unsubscribe")
    (expired,) = await tg.presses(33, greeting, _data(greeting, "Subscribe"))  # a second tap, later
    assert expired.plain == t("en", "menu.expired") and not _row(engine, 33).subscribed
    assert await tg.presses(33, greeting, _data(greeting, "Subscribe")) == []  # it says so already: no edit
    assert not tg.api.state.queries  # every press answered
    (greeting,) = await tg.says(39, "/start")
    (old,) = await tg.presses(39, greeting, "sub")  # a keyboard from before buttons were stamped
    assert old.plain == t("en", "menu.expired") and not _row(engine, 39).subscribed


async def test_an_edited_message_is_not_answered_again(tg):
    (first,) = await tg.says(34, "/help")
    tg.api.user_edits(34, first.message_id - 1, "/kramatorsk")  # the user's message: the id before the reply
    assert await tg.pump() == []
    tg.api.user_edits(34, first.message_id - 1, "hello")  # nor as plain text
    assert await tg.pump() == []


async def test_forgetme_asks_first(tg, engine):
    await tg.says(35, "/subscribe")
    (ask,) = await tg.says(35, "/forgetme")
    assert _row(engine, 35) is not None and len(ask.buttons[0]) == 2
    (kept,) = await tg.presses(35, ask, _data(ask, t("en", "button.keep")))
    assert (kept.method, kept.plain) == ("editMessageText", t("en", "forget.kept")) and _row(engine, 35) is not None
    (ask,) = await tg.says(35, "/forgetme")
    (done,) = await tg.presses(35, ask, _data(ask, t("en", "button.forget")))
    assert done.method == "editMessageText" and done.plain == t("en", "forgotten") and _row(engine, 35) is None
    (again,) = await tg.presses(35, ask, _data(ask, t("en", "button.forget")))
    assert again.plain == t("en", "menu.expired") and _row(engine, 35) is None  # nothing made anew


async def test_place_and_times_without_an_argument_ask_for_it(tg, engine):
    (ask,) = await tg.says(36, "/place")
    assert ask.plain == t("en", "place.ask")
    (answer,) = await tg.says(36, "Kramatorsk")
    assert "Kramatorsk" in answer.plain and t("en", "unknown_command") not in answer.plain
    (ask,) = await tg.says(36, "/times")
    assert ask.plain == t("en", "times.ask")
    (done,) = await tg.says(36, "07:00, 21:30")
    assert "07:00, 21:30" in done.plain and _row(engine, 36).times == ["07:00", "21:30"]
    (unknown,) = await tg.says(36, "08:00")  # asked once, answered once
    assert unknown.plain == t("en", "unknown_command")
    await tg.says(36, "/times")
    await tg.says(36, "/help")  # a command instead of the answer: the question is dropped
    (unknown,) = await tg.says(36, "09:00")
    assert unknown.plain == t("en", "unknown_command") and _row(engine, 36).times == ["07:00", "21:30"]


def test_the_question_waits_in_the_database_for_any_process(engine, cache_dir):
    one, other = (Desk(engine, lambda: shared(cache_dir)) for _ in range(2))
    respond(one, Incoming(37, "/times"))
    (done,) = respond(other, Incoming(37, "06:45"))
    assert "06:45" in done.text and _row(engine, 37).times == ["06:45"]


async def test_a_bug_is_told_to_the_user_once_and_never_as_a_traceback(engine, caplog):
    def broken():
        raise RuntimeError("gazetteer file is corrupt at /secret/path")

    api = BotApiServer().start()
    tg = await start_chatting(api, Desk(engine, broken))
    try:
        (sorry,) = await tg.says(38, "/kramatorsk")
        assert sorry.plain == t("en", "error") and "corrupt" not in sorry.plain
        (help_,) = await tg.says(38, "/help")  # the bot goes on
        assert "/date" in help_.plain
    finally:
        await tg.application.shutdown()
        api.stop()
    assert "gazetteer file is corrupt" in caplog.text  # for the operator, in the log
