"""Issue 16, item 4, end to end through the Bot API test server: in a group, changing settings,
/unsubscribe and /forgetme need a chat administrator (getChatMember); a channel is managed from a
private chat with one of its administrators (/subscribe @channel after the bot was added there), and
its digests go to the channel."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram import Bot

from bot.cli.groupeval import Labelled, store_labelled
from bot.digests.send import Pacer, Sender
from bot.i18n import t
from bot.items.stages import ReadAndGroup
from bot.nlp.gazetteer import shared
from storage import subscribers
from storage.db import session_scope
from tests.botapi import BOT_ID
from tests.helpers import Clock
from tests.telegram_app import chatting

GROUP, CHANNEL, MEMBER, ADMIN, OWNER = -1001700, -1001900, 11, 12, 13
SUBSCRIBED_AT = datetime(2023, 1, 8, 10, 30, tzinfo=UTC)


@pytest.fixture
async def tg(engine, cache_dir):
    async with chatting(engine, cache_dir, clock=Clock(SUBSCRIBED_AT)) as talking:
        yield talking


def _row(engine, chat_id):
    with session_scope(engine) as session:
        return subscribers.get(session, chat_id)


def _member_lookups(api):
    return [p for m, p in api.state.calls if m == "getChatMember"]


async def test_in_a_group_only_administrators_change_settings(tg, engine):
    tg.api.add_chat(GROUP, "supergroup", "Readers")
    for user, status in ((BOT_ID, "member"), (MEMBER, "member"), (ADMIN, "administrator"), (OWNER, "creator")):
        tg.api.set_member(GROUP, user, status)
    group = {"chat_type": "supergroup", "user_id": MEMBER}
    only = t("en", "group.admins_only")
    for text in ("/subscribe", "/times 07:00", "/language nl", "/forgetme"):
        (refused,) = await tg.says(GROUP, text, **group)
        assert refused.plain == only, text
    assert _row(engine, GROUP) is None or not _row(engine, GROUP).subscribed
    (read,) = await tg.says(GROUP, "/help", **group)  # reading needs nobody's permission, nor a lookup
    assert "/date" in read.plain and len(_member_lookups(tg.api)) == 4
    (done, *_) = await tg.says(GROUP, "/subscribe", chat_type="supergroup", user_id=ADMIN)
    assert "subscribed" in done.plain and _row(engine, GROUP).subscribed
    (refused,) = await tg.says(GROUP, "/unsubscribe", **group)
    assert refused.plain == only and _row(engine, GROUP).subscribed
    (panel,) = await tg.says(GROUP, "/settings", chat_type="supergroup", user_id=OWNER)
    toggle = panel.buttons[-1][0]["callback_data"]
    (refused,) = await tg.presses(GROUP, panel, toggle, chat_type="supergroup", user_id=MEMBER)
    assert refused.plain == only and _row(engine, GROUP).subscribed
    await tg.presses(GROUP, panel, toggle, chat_type="supergroup", user_id=OWNER)  # the creator may
    assert not _row(engine, GROUP).subscribed


async def test_a_group_the_bot_cannot_look_into_refuses_changes(tg, engine):
    (refused,) = await tg.says(-1001701, "/subscribe", chat_type="supergroup", user_id=ADMIN)  # 400 chat not found
    assert refused.plain == t("en", "group.admins_only") and _row(engine, -1001701) is None


async def test_a_channel_is_managed_from_a_private_chat_with_its_admin(tg, engine, cache_dir):
    tg.api.add_chat(CHANNEL, "channel", "Front Channel", username="frontchan")
    (unknown,) = await tg.says(ADMIN, "/subscribe @nosuchchannel")
    assert unknown.plain == t("en", "channel.not_found", channel="@nosuchchannel")
    (outside,) = await tg.says(ADMIN, "/subscribe @frontchan")  # not added yet: 403 from getChatMember
    assert outside.plain == t("en", "channel.bot_not_member", channel="@frontchan")
    tg.api.set_member(CHANNEL, BOT_ID, "administrator", can_post_messages=False)
    (mute,) = await tg.says(ADMIN, "/subscribe @frontchan")
    assert mute.plain == t("en", "channel.bot_not_admin", channel="@frontchan")
    tg.api.set_member(CHANNEL, BOT_ID, "administrator")
    tg.api.set_member(CHANNEL, MEMBER, "member")
    tg.api.set_member(CHANNEL, ADMIN, "administrator")
    (refused,) = await tg.says(MEMBER, "/subscribe @frontchan")
    assert refused.plain == t("en", "channel.user_not_admin", channel="@frontchan") and _row(engine, CHANNEL) is None
    (done,) = await tg.says(ADMIN, "/subscribe @FrontChan")
    assert done.chat_id == ADMIN and done.plain.startswith("Front Channel\n") and "go to the channel" in done.plain
    (times,) = await tg.says(ADMIN, "/times @frontchan 12:00")
    assert "12:00" in times.plain
    row = _row(engine, CHANNEL)
    assert (row.chat_type, row.subscribed, row.times) == ("channel", True, ["12:00"])
    assert _row(engine, ADMIN) is None or not _row(engine, ADMIN).subscribed  # the admin's own chat is untouched
    (panel,) = await tg.says(ADMIN, "/settings @frontchan")
    assert panel.buttons == [] and "12:00" in panel.plain  # buttons would act on the private chat

    news = Labelled("c", "en", datetime(2023, 1, 8, 10, 40, tzinfo=UTC), "Kyiv Wire",
                    "Ukraine says Russia shelled Kramatorsk",
                    "Ukraine's army said on Sunday that Russia shelled Kramatorsk.")
    ReadAndGroup(engine, cache_dir, clock=Clock(datetime(2023, 1, 8, 10, 45, tzinfo=UTC))).process(
        store_labelled(engine, [news]))
    async with Bot("123:TEST", base_url=tg.api.base_url) as bot:  # 12:05 in Amsterdam: the channel's digest
        await Sender(engine, bot, lambda: shared(cache_dir), clock=Clock(datetime(2023, 1, 8, 11, 5, tzinfo=UTC)),
                     pacer=Pacer(1000, 0)).run()
    digest = [s for s in tg.api.state.sent if s.chat_id == CHANNEL]
    assert digest and "Kramatorsk" in digest[0].plain

    (gone,) = await tg.says(ADMIN, "/unsubscribe @frontchan")
    assert gone.plain.startswith("Front Channel\n") and not _row(engine, CHANNEL).subscribed
