"""Commands and plain messages: /start … /forgetme, /<place>, /place, /date, and anything else."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers.common import answer, handle


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any command, the known ones and /<place> alike."""
    message = update.effective_message
    replies = await handle(update, context, message.text or "")
    await answer(context, update.effective_chat.id, replies)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A message that is no command: in a private chat, say what works."""
    message = update.effective_message
    replies = await handle(update, context, message.text or message.caption or "")
    await answer(context, update.effective_chat.id, replies)
