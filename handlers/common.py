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

log = logging.getLogger(__name__)


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
    """Send replies (or edit the message a button sits on, for paging); a Telegram refusal is logged
    and answered in plain text where that helps, never shown as a traceback."""
    for n, reply in enumerate(replies):
        try:
            if edit is not None and n == 0:
                await edit.edit_text(reply.text, reply_markup=markup(reply), disable_web_page_preview=True)
            else:
                await context.bot.send_message(chat_id, reply.text, reply_markup=markup(reply),
                                               disable_web_page_preview=True)
        except BadRequest as exc:
            log.warning("Telegram refused a reply to %s (%s); sending it as plain text", chat_id, exc.message)
            await context.bot.send_message(chat_id, _plain(reply.text), parse_mode=None)
        except Forbidden:
            log.info("chat %s blocked the bot", chat_id)
            return
        if reply.menu_language:
            await context.bot.set_my_commands(menu(reply.menu_language), scope=BotCommandScopeChat(chat_id))


def _plain(html: str) -> str:
    from bot.console import as_text

    return as_text(Reply(html))[:4096]


async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, callback: bool = False) -> list[Reply]:
    """Ask the Frontdesk in a worker thread (it reads the database)."""
    return await asyncio.to_thread(desk(context).handle, incoming(update, text, callback))
