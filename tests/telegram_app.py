"""The bot's real handler wiring (bot.app.add_handlers and on_error) on python-telegram-bot, pointed
at the Bot API test server with base_url, in the test's process: `pump()` fetches what users queued
(getUpdates over HTTP) and lets the Application dispatch each update, so a test sees what the bot sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram.constants import ParseMode
from telegram.ext import Application, BaseRateLimiter, Defaults

from bot.app import add_handlers, on_error
from bot.nlp.gazetteer import shared
from handlers.context import Desk
from tests.botapi import BotApiServer, Sent


class Chatting:
    """The test server and the Application answering through it."""

    def __init__(self, api: BotApiServer, application: Application) -> None:
        self.api, self.application, self.offset = api, application, 0

    @property
    def desk(self) -> Desk:
        return self.application.bot_data["desk"]

    async def pump(self) -> list[Sent]:
        """Dispatch every queued update, one at a time; what the bot sent meanwhile."""
        before = len(self.api.state.sent)
        while updates := await self.application.bot.get_updates(offset=self.offset, timeout=0):
            for update in updates:
                self.offset = update.update_id + 1
                await self.application.process_update(update)
        return self.api.state.sent[before:]

    async def says(self, chat_id: int, text: str, **how) -> list[Sent]:
        """A user's message, answered."""
        self.api.user_says(chat_id, text, **how)
        return await self.pump()

    async def presses(self, chat_id: int, message: Sent, data: str, **how) -> list[Sent]:
        """A press on a button of a message the bot sent, answered."""
        self.api.user_presses(chat_id, message, data, **how)
        return await self.pump()


async def start_chatting(api: BotApiServer, desk: Desk, rate_limiter: BaseRateLimiter | None = None) -> Chatting:
    """An initialized Application with the bot's handlers and error handler, and the desk (and the
    bot's rate limiter, when given)."""
    builder = (Application.builder().token("123:TEST").base_url(api.base_url)
               .defaults(Defaults(parse_mode=ParseMode.HTML)).updater(None))
    application = (builder.rate_limiter(rate_limiter) if rate_limiter is not None else builder).build()
    add_handlers(application)
    application.add_error_handler(on_error)
    application.bot_data["desk"] = desk
    await application.initialize()
    desk.bot_name = (application.bot.username or "").lower()
    return Chatting(api, application)


@asynccontextmanager
async def chatting(engine, cache_dir: str, clock=None, rate_limiter: BaseRateLimiter | None = None,
                   **server: object) -> AsyncIterator[Chatting]:
    """A Bot API test server and the bot answering through it on this database (the `tg` fixture of
    the end-to-end tests), shut down afterwards."""
    api = BotApiServer(**server).start()
    try:
        desk = Desk(engine, lambda: shared(cache_dir), **({"clock": clock} if clock is not None else {}))
        talking = await start_chatting(api, desk, rate_limiter)
        try:
            yield talking
        finally:
            await talking.application.shutdown()
    finally:
        api.stop()
