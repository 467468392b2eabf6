"""Serving updates: the Bot API reached first (a rejected token or an unreachable server is one line
for the operator), then polling, whose connection beats in HEALTH, or the webhook."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from bot import metrics
from bot.config import Settings

if TYPE_CHECKING:
    from telegram.ext import Application

log = logging.getLogger(__name__)


class StartError(Exception):
    """The bot cannot start: one line for the operator, no traceback."""


async def reach_bot_api(settings: Settings, first_wait: float = 1.0) -> None:
    """getMe before anything else: a rejected token stops at once; a Bot API that cannot be reached
    (or answers 5xx) is tried TELEGRAM_START_TRIES times, waiting 1, 2, 4 … s (at most 30) between."""
    import asyncio

    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError

    token, wait = settings.telegram_bot_token.get_secret_value(), first_wait
    for attempt in range(1, settings.telegram_start_tries + 1):
        try:
            async with Bot(token, base_url=settings.telegram_api_base_url):
                return
        except InvalidToken:
            raise StartError("Telegram rejected TELEGRAM_BOT_TOKEN (getMe answered Unauthorized or Not Found): "
                             "check the token with @BotFather") from None
        except TelegramError as exc:
            if attempt == settings.telegram_start_tries:
                raise StartError(f"The Bot API at {settings.telegram_api_base_url} could not be reached "
                                 f"({attempt} tries; last: {exc.message})") from None
            log.warning("the Bot API could not be reached (%s); trying again in %.0f s", exc.message, wait)
            await asyncio.sleep(wait)
            wait = min(30.0, wait * 2)


def run(application: Application, settings: Settings) -> None:
    """Polling by default; a webhook with a secret token when WEBHOOK_URL is set. The Bot API is
    reached first (StartError when it cannot be), on the loop the bot then runs on."""
    import asyncio

    from telegram.error import InvalidToken, TelegramError

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(reach_bot_api(settings))
    try:
        _serve(application, settings)
    except InvalidToken:
        raise StartError("Telegram rejected TELEGRAM_BOT_TOKEN: check the token with @BotFather") from None
    except TelegramError as exc:  # lost between the check and the start: the same one line
        raise StartError(f"The Bot API at {settings.telegram_api_base_url} failed while starting: {exc.message}") from None


def _serve(application: Application, settings: Settings) -> None:
    """Serve updates: polling, or the webhook."""
    from telegram import Update

    if settings.webhook_url:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        import signal
        from urllib.parse import urlsplit

        application.run_webhook(listen="0.0.0.0", port=settings.webhook_port, webhook_url=settings.webhook_url,
                                url_path=urlsplit(settings.webhook_url).path.lstrip("/"), secret_token=secret,
                                allowed_updates=Update.ALL_TYPES, stop_signals=(signal.SIGINT, signal.SIGABRT))
    else:
        import signal

        application.run_polling(allowed_updates=Update.ALL_TYPES, timeout=settings.telegram_poll_timeout,
                                stop_signals=(signal.SIGINT, signal.SIGABRT))


@lru_cache(maxsize=1)
def poll_beat_class():
    """The getUpdates connection, which beats in HEALTH each time Telegram answers a poll (with or
    without updates): polling that stopped, hangs or is refused (409, another poller) shows in /healthz.
    Made on first use, not at import: a process that only ingests never imports Telegram."""
    from telegram.request import HTTPXRequest

    class PollBeat(HTTPXRequest):
        async def do_request(self, *args, **kwargs) -> tuple[int, bytes]:
            code, payload = await super().do_request(*args, **kwargs)
            if code == 200:
                metrics.HEALTH.beat("polling")
            return code, payload

    return PollBeat
