"""Inline buttons: language, subscribe, "did you mean" places and paging."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from handlers.common import answer, handle


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the button press; paging edits the message, the rest replies anew."""
    query = update.callback_query
    await query.answer()
    data = query.data or ""
    replies = await handle(update, context, data, callback=True)
    edit = query.message if data.startswith("pg:") else None
    await answer(context, update.effective_chat.id, replies, edit=edit)
