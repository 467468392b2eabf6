"""What every handler shares: an update → Incoming, and Replies → Telegram messages."""

from __future__ import annotations

import asyncio
import logging

from telegram import BotCommand, BotCommandScopeChat, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.commands import MENU, Frontdesk, Incoming
from bot.i18n import t
from bot.replies import Reply
from bot.tgtext import fallback, split

log = logging.getLogger(__name__)
NOT_MODIFIED = "message is not modified"  # Telegram's words for an edit that changes nothing


def desk(context: ContextTypes.DEFAULT_TYPE) -> Frontdesk:
    """The Frontdesk kept in bot_data by the application builder."""
    return context.bot_data["desk"]


def incoming(update: Update, text: str, callback: bool = False) -> Incoming:
    """The parts of an update the Frontdesk needs."""
    user, chat = update.effective_user, update.effective_chat
    return Incoming(chat.id, text, chat.type, user.first_name if user else "",
                    user.language_code if user else None, callback)


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    """Buttons as an inline keyboard."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data) for label, data in row]
                                 for row in reply.buttons])


def menu(lang: str) -> list[BotCommand]:
    """The command menu in a language."""
    return [BotCommand(name, t(lang, f"command.{name}")) for name in MENU]


async def answer(context: ContextTypes.DEFAULT_TYPE, chat_id: int, replies: list[Reply],
                 edit: Message | None = None) -> None:
    """Send replies (or edit the message a button sits on, for paging), each in as many messages as
    Telegram's limit needs (the one splitter; buttons under the last). A refusal is logged and the
    part resent as plain text, cut the same way; the other parts still go; never a traceback."""
    for n, reply in enumerate(replies):
        parts = split(reply.text) or [reply.text]
        for k, part in enumerate(parts):
            buttons = markup(reply) if k == len(parts) - 1 else None
            try:
                await _send(context, chat_id, part, buttons, edit if n == 0 and k == 0 else None)
            except Forbidden:
                log.info("chat %s blocked the bot", chat_id)
                return
        if reply.menu_language:
            await context.bot.set_my_commands(menu(reply.menu_language), scope=BotCommandScopeChat(chat_id))


async def _send(context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str, buttons: InlineKeyboardMarkup | None,
                edit: Message | None) -> None:
    """One message: an edit when asked (the same page again is no change, not an error; a message
    that cannot be edited gets a new one), else a new message; refused HTML goes again as plain text."""
    if edit is not None:
        try:
            await edit.edit_text(text, reply_markup=buttons, disable_web_page_preview=True)
            return
        except BadRequest as exc:
            if NOT_MODIFIED in exc.message.lower():
                return  # a double tap: the page shown is the page asked for
            log.info("could not edit a message in %s (%s); sending it anew", chat_id, exc.message)
    try:
        await context.bot.send_message(chat_id, text, reply_markup=buttons, disable_web_page_preview=True)
    except BadRequest as exc:
        log.warning("Telegram refused a reply to %s (%s); sending it as plain text", chat_id, exc.message)
        try:
            await context.bot.send_message(chat_id, fallback(text), parse_mode=None, reply_markup=buttons)
        except BadRequest as again:
            log.warning("Telegram refused a reply to %s as plain text too: %s", chat_id, again.message)


async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, callback: bool = False) -> list[Reply]:
    """Ask the Frontdesk in a worker thread (it reads the database)."""
    return await asyncio.to_thread(desk(context).handle, incoming(update, text, callback))
