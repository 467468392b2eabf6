"""The Telegram adapter: updates in, replies out. Each handler turns an update into an Incoming,
asks the registry in a worker thread (the commands read the database), and sends the replies. The
Telegram calls the commands need are made here, before: whether the sender administers a group
(getChatMember), and what a channel named in a private chat is (getChat, getChatMember for the bot
and for the user), since the commands run in worker threads and never call Telegram themselves."""

from __future__ import annotations

import asyncio
import functools
import logging
from concurrent.futures import ThreadPoolExecutor

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    CallbackQuery,
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot import metrics
from bot.digests.replies import Reply
from bot.digests.tgtext import fallback, split
from bot.i18n import language_of, t
from handlers.context import Desk, Incoming, Target
from handlers.registry import MENU, channel_named, command_of, edits, needs_admin, respond
from storage import subscribers
from storage.db import session_scope

log = logging.getLogger(__name__)
GONE = (ChatMember.BANNED, ChatMember.LEFT)
ADMINS = (ChatMember.OWNER, ChatMember.ADMINISTRATOR)
GROUPS = ("group", "supergroup")
NOT_MODIFIED = "message is not modified"  # Telegram's words for an edit that changes nothing
REPLY_THREADS = 8


@functools.cache
def replies_pool() -> ThreadPoolExecutor:
    """The commands' own worker threads (made on first use): in asyncio's shared pool (six threads on
    two cores) a reply queued behind the fan-out's database work, which may wait for SQLite's write lock."""
    return ThreadPoolExecutor(max_workers=REPLY_THREADS, thread_name_prefix="reply")


def desk(context: ContextTypes.DEFAULT_TYPE) -> Desk:
    """The Desk kept in bot_data by the application builder."""
    return context.bot_data["desk"]


def incoming(update: Update, text: str, callback: bool = False, admin: bool | None = None,
             target: Target | None = None) -> Incoming:
    """The parts of an update the commands need."""
    user, chat = update.effective_user, update.effective_chat
    return Incoming(chat.id, text, chat.type, user.first_name if user else "",
                    user.language_code if user else None, callback, admin, target)


async def authority(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str,
                    callback: bool) -> tuple[bool | None, Target | None]:
    """What Telegram says the command needs: in a group, whether the sender is an administrator
    (asked only for what needs one); in a private chat, the channel the command names."""
    chat = update.effective_chat
    if chat.type == "channel":
        return True, None  # only a channel's administrators post in it
    if chat.type in GROUPS and needs_admin(text, callback):
        return await is_admin(context, update), None
    name = channel_named(text) if chat.type == "private" and not callback else None
    if name is not None and update.effective_user is not None:
        return None, await resolve_channel(context, name, update.effective_user.id)
    return None, None


async def is_admin(context: ContextTypes.DEFAULT_TYPE, update: Update) -> bool:
    """Whether the sender administers the group (an anonymous administrator writes as the group)."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True
    if user is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        log.info("could not look up %s in chat %s (%s): taken as no administrator", user.id, chat.id, exc.message)
        return False
    return member.status in ADMINS


async def resolve_channel(context: ContextTypes.DEFAULT_TYPE, name: str, user_id: int) -> Target:
    """The channel `name` (@username): it exists, the bot may post there, the user administers it."""
    bot = context.bot
    try:
        chat = await bot.get_chat(name)
    except BadRequest:
        return Target(name, problem="not_found")
    if chat.type != "channel":
        return Target(name, chat.id, chat.title or name, "not_channel")
    try:
        me = await bot.get_chat_member(chat.id, bot.id)
        user = await bot.get_chat_member(chat.id, user_id)
    except Forbidden:
        return Target(name, chat.id, chat.title or name, "bot_not_member")
    except BadRequest:
        return Target(name, chat.id, chat.title or name, "user_not_admin")
    if me.status != ChatMember.ADMINISTRATOR or not getattr(me, "can_post_messages", False):
        return Target(name, chat.id, chat.title or name, "bot_not_admin")
    problem = None if user.status in ADMINS else "user_not_admin"
    return Target(name, chat.id, chat.title or name, problem)


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
    """Ask Telegram what the command needs, then the registry in a reply worker thread (the commands
    read the database); counted and timed by command."""
    name = command_of(text, callback)
    metrics.COMMANDS.labels(name).inc()
    with metrics.COMMAND_SECONDS.labels(name).time():
        admin, target = await authority(update, context, text, callback)
        work = functools.partial(respond, desk(context), incoming(update, text, callback, admin, target))
        return await asyncio.get_running_loop().run_in_executor(replies_pool(), work)


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


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the button press; settings, language and paging buttons edit the message, the rest
    reply anew. A press without a message or chat (forged, or from an inline message the bot never
    sent) is answered, no more."""
    query = update.callback_query
    await acknowledge(query)
    if query.message is None or update.effective_chat is None:
        log.info("a button press without a message from user %s: ignored", query.from_user.id if query.from_user else "?")
        return
    data = query.data or ""
    replies = await handle(update, context, data, callback=True)
    # settings, languages, pages: the answer replaces the message the button is on; a message too old
    # for Telegram to show (InaccessibleMessage) cannot be edited: the answer goes anew
    edit = query.message if edits(data) and isinstance(query.message, Message) else None
    await answer(context, update.effective_chat.id, replies, edit=edit)


async def apologize(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tell the chat whose message met a bug that something went wrong: one message in its language
    (Telegram's, should the database be what failed), never the traceback, never retried."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return
    try:
        lang = await asyncio.to_thread(desk(context).language, incoming(update, ""))
    except Exception:  # the database may be what failed
        lang = language_of(user.language_code if user else None)
    try:
        await context.bot.send_message(chat.id, t(lang, "error"))
    except TelegramError as exc:
        log.info("could not tell chat %s that something went wrong (%s)", chat.id, exc.message)


async def acknowledge(query: CallbackQuery) -> None:
    """Stop the button's spinner; a press Telegram no longer waits for (too old, answered) is still handled."""
    try:
        await query.answer()
    except BadRequest as exc:
        log.info("could not answer a button press (%s)", exc.message)


async def on_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot's own membership changed (blocked, unblocked, removed from a group)."""
    change = update.my_chat_member
    active = change.new_chat_member.status not in GONE
    front = desk(context)

    def record() -> None:
        with session_scope(front.engine) as session:
            if subscribers.get(session, change.chat.id) is not None:
                subscribers.change(session, change.chat.id, front.clock(), active=active)

    await asyncio.to_thread(record)


async def on_migrate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup and keeps its settings under the new id."""
    message = update.effective_message
    old, new = message.chat.id, message.migrate_to_chat_id
    front = desk(context)

    def record() -> None:
        with session_scope(front.engine) as session:
            subscribers.migrate_chat(session, old, new, front.clock())

    await asyncio.to_thread(record)
