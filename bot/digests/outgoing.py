"""One message to one chat as Telegram takes it: paced in its lane, sent as HTML and, when Telegram
refuses the markup, once more as plain text cut the same way; a 429 holds that chat only for the
time Telegram names, network errors are retried with backoff. Used by bot.digests.send for digests
and alerts; the caller decides what a blocked chat or a refused message means for its records."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot import metrics
from bot.digests import tgtext
from bot.digests.lanes import Pacer, retry_seconds

log = logging.getLogger("bot.digests.send")  # one logger for everything the sender does


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one message went: 'sent', 'blocked' (the chat), 'refused' (this message, even as plain
    text) or 'failed' (Telegram unreachable for good); why; and whether it went as plain text."""

    status: str
    error: str = ""
    plain: bool = False


@dataclass(frozen=True, slots=True)
class Outgoing:
    """How messages go out: the pacer, the retries on network errors, paid broadcast or not."""

    pacer: Pacer
    retries: int = 3
    backoff: float = 0.5
    paid_broadcast: bool = False

    async def send(self, bot, chat_id: int, text: str, blocked: Callable[[int], Awaitable[None]],
                   markup: InlineKeyboardMarkup | None = None) -> Outcome:
        """Send one message through `bot` (anything with Telegram's send_message); `blocked` is awaited
        with the chat id when Telegram says the user blocked the bot."""
        failures, parse_mode, error = 0, "HTML", ""
        extra = {"allow_paid_broadcast": True} if self.paid_broadcast else {}
        if markup is not None:
            extra["reply_markup"] = markup
        while True:
            await self.pacer.wait(chat_id)
            try:
                await bot.send_message(chat_id, text, parse_mode=parse_mode, disable_web_page_preview=True, **extra)
                return Outcome("sent", error, plain=parse_mode is None)
            except RetryAfter as exc:  # Telegram says when: this chat waits that long (the others go on)
                metrics.SEND_ERRORS.labels("429").inc()
                wait = retry_seconds(exc)
                log.info("Telegram asks chat %s to wait %s s", chat_id, wait)
                self.pacer.hold(chat_id, wait)
            except Forbidden as exc:
                metrics.SEND_ERRORS.labels("403").inc()
                await blocked(chat_id)
                return Outcome("blocked", exc.message)
            except BadRequest as exc:
                metrics.SEND_ERRORS.labels("400").inc()
                if parse_mode is None:
                    log.warning("Telegram refused a message to %s even as plain text: %s", chat_id, exc.message)
                    return Outcome("refused", f"{error}; as plain text: {exc.message}", plain=True)
                log.warning("Telegram refused a message to %s (%s); resending as plain text", chat_id, exc.message)
                text, parse_mode, error = tgtext.fallback(text), None, exc.message
            except NetworkError as exc:
                metrics.SEND_ERRORS.labels("network").inc()
                failures += 1
                if failures > self.retries:
                    log.warning("giving up on %s after %d tries: %s", chat_id, failures, exc)
                    return Outcome("failed", f"network: {exc}", plain=parse_mode is None)
                await asyncio.sleep(self.backoff * 2 ** (failures - 1))
