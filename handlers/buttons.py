"""Inline buttons: language, subscribe, "did you mean" places and paging."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from handlers.common import answer, handle

log = logging.getLogger(__name__)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the button press; paging edits the message, the rest replies anew. A press without a
    message or chat (forged, or from an inline message the bot never sent) is answered, no more."""
    query = update.callback_query
    await acknowledge(query)
    if query.message is None or update.effective_chat is None:
        log.info("a button press without a message from user %s: ignored", query.from_user.id if query.from_user else "?")
        return
    data = query.data or ""
    replies = await handle(update, context, data, callback=True)
    # a message too old for Telegram to show (InaccessibleMessage) cannot be edited: the page goes anew
    edit = query.message if data.startswith("pg:") and isinstance(query.message, Message) else None
    await answer(context, update.effective_chat.id, replies, edit=edit)


async def acknowledge(query: CallbackQuery) -> None:
    """Stop the button's spinner; a press Telegram no longer waits for (too old, answered) is still handled."""
    try:
        await query.answer()
    except BadRequest as exc:
        log.info("could not answer a button press (%s)", exc.message)
