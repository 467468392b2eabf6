"""What the fan-out tests share: the story they send, the moment they send it, one fan-out run, the
messages a chat got, and a relay that can stop a fan-out at a chosen message. The Bot API server and
the subscribed world are fixtures in conftest.py."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Bot

from bot.cli.groupeval import Labelled
from bot.digests.send import Pacer, Sender
from bot.nlp.gazetteer import shared
from tests.helpers import Clock

NOW = datetime(2023, 1, 8, 11, 5, tzinfo=UTC)  # 12:05 in Amsterdam, just after the 12:00 slot
STORY = Labelled("a", "en", datetime(2023, 1, 8, 9, tzinfo=UTC), "Kyiv Wire", "Russia claims 600 killed in Kramatorsk",
                 "Russia's defence ministry said on Sunday it had killed 600 soldiers in Kramatorsk. Ukraine denied it.")


async def fan_out(engine, api, cache_dir, now=NOW, **options) -> tuple:
    """One sender's run through the Bot API test server: (the sender, its report)."""
    async with Bot("123:TEST", base_url=api.base_url) as bot:
        sender = Sender(engine, bot, lambda: shared(cache_dir), clock=Clock(now), pacer=Pacer(1000, 0),
                        backoff=0.01, **options)
        return sender, await sender.run()


def sent_to(api, chat_id):
    """The messages the test server accepted for one chat, in order."""
    return [s for s in api.state.sent if s.chat_id == chat_id]


class Relay:
    """The bot, with send_message going through a wrapper (to stop the fan-out at a chosen point)."""

    def __init__(self, bot: Bot, send) -> None:
        self._bot, self.send_message = bot, send

    def __getattr__(self, name: str):
        return getattr(self._bot, name)
