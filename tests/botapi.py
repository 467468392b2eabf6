"""A Bot API test server on 127.0.0.1: the wire format of the methods Frontbrief uses, and the rules
Telegram enforces (HTML subset, well-formed entities, text and caption length in UTF-16 code units of
the text after entity parsing, "message is not modified", edits of messages that do not exist, stale
or unknown callback queries, callback data size, command names, rate limits with 429 and
retry_after, 403 for blocked chats; getChat and getChatMember over the chats and members a test sets
up, refusing as Telegram does: 400 chat not found, 403 when the bot is not a member), plus switches to
inject faults. Tests queue updates as users (new and edited messages, presses) and read what the bot sent."""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from html import unescape
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs

from tests.localserver import LocalServer, QuietHandler

ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "span",
                "tg-spoiler", "tg-emoji", "blockquote"}
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+=(?:\"[^\"]*\"|'[^']*'))*)\s*>")


class ApiError(Exception):
    """What Telegram answers with ok=false."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after


MESSAGE_LIMIT, CAPTION_LIMIT = 4096, 1024
NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message")
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
HREF = re.compile(r"""\shref=(?:"([^"]*)"|'([^']*)')""")


def parse_html(text: str) -> str:
    """The plain text of Telegram HTML, or ApiError(400) with Telegram's words for what is wrong."""
    return parse_entities(text)[0]


def parse_entities(text: str) -> tuple[str, list[dict]]:
    """The plain text of Telegram HTML and its entities (type, offset and length in UTF-16 code units,
    url for links), or ApiError(400) with Telegram's words for what is wrong."""
    out, stack, entities, units, i = [], [], [], 0, 0

    def refuse(words: str) -> ApiError:
        offset = len(text[:i].encode("utf-8", "surrogatepass"))
        return ApiError(400, "Bad Request: can't parse entities: " + words.replace("{offset}", str(offset)))

    while i < len(text):
        ch = text[i]
        if ch == "<":
            match = TAG.match(text, i)
            if match is None:
                raise refuse("Unexpected end of name token at byte offset {offset}")
            closing, name = match.group(1), match.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise refuse(f'Unsupported start tag "{name}" at byte offset {{offset}}')
            if closing:
                if not stack or stack[-1][0] != name:
                    expected = stack[-1][0] if stack else ""
                    raise refuse(f'Unmatched end tag at byte offset {{offset}}, expected "</{expected}>", found "</{name}>"')
                _, start, url = stack.pop()
                if units > start:
                    entities.append({"type": "text_link" if url is not None else name, "offset": start,
                                     "length": units - start, **({"url": url} if url is not None else {})})
            else:
                href = HREF.search(match.group(3) or "") if name == "a" else None
                url = unescape(href.group(1) if href.group(1) is not None else href.group(2)) if href else None
                stack.append((name, units, url))
            i = match.end()
            continue
        if ch == "&":
            match = ENTITY.match(text, i)
            if match is None:
                raise refuse("Character entity expected at byte offset {offset}")
            piece, i = unescape(match.group(0)), match.end()
        elif ch == ">":
            raise refuse("Unexpected character '>' at byte offset {offset}")
        else:
            piece, i = ch, i + 1
        out.append(piece)
        units += utf16_length(piece)
    if stack:
        raise ApiError(400, "Bad Request: can't parse entities: Can't find end tag corresponding to start tag "
                            f'"{stack[-1][0]}"')
    return "".join(out), sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def utf16_length(text: str) -> int:
    """Length as Telegram counts it."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass
class Sent:
    """A message the bot sent (or edited)."""

    chat_id: int
    message_id: int
    text: str
    plain: str
    buttons: list[list[dict]]
    method: str
    entities: list[dict] = field(default_factory=list)


@dataclass
class Limits:
    """Telegram's limits, scaled for tests. Each chat as Telegram applies it: `per_chat` messages per
    `window` seconds on average, a short burst of `burst` at once (default: per_chat), then 429 with
    the retry_after of that chat; groups (negative ids) `per_group` per `group_window` when set (Telegram:
    20 a minute). The bot overall: `overall` per `window`, then 429 whatever the chat."""

    per_chat: int = 1
    overall: int = 30
    window: float = 1.0
    burst: int | None = None
    per_group: int | None = None
    group_window: float = 60.0

    def bucket(self, chat_id: int) -> tuple[float, float]:
        """(capacity, refill per second) of a chat's bucket."""
        if chat_id < 0 and self.per_group is not None:
            return float(self.per_group), self.per_group / self.group_window
        return float(self.burst or self.per_chat), self.per_chat / self.window


@dataclass
class State:
    """Everything the server knows."""

    updates: list[dict] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    calls: list[tuple[str, dict]] = field(default_factory=list)
    commands: dict[str, list[dict]] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    faults: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    rules: list[tuple] = field(default_factory=list)  # (method, predicate on params, code, description)
    limits: Limits | None = None
    webhook: dict | None = None
    next_update: int = 1
    next_message: int = 1000
    history: dict = field(default_factory=lambda: defaultdict(deque))
    buckets: dict[int, tuple[float, float]] = field(default_factory=dict)  # chat → (tokens, as of)
    refused: list[tuple[str, int]] = field(default_factory=list)  # 429s given: ("chat" or "all", chat)
    counts: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # messages sent, per chat
    messages: dict[tuple[int, int], tuple] = field(default_factory=dict)  # (chat, id) → (plain, entities, rows)
    queries: set[str] = field(default_factory=set)  # callback queries not yet answered
    chats: dict[int, dict] = field(default_factory=dict)  # groups and channels: id → id, type, title, username
    members: dict[tuple[int, int], dict] = field(default_factory=dict)  # (chat, user) → status and rights


BOT_ID = 1  # the bot's user id, as getMe says
ADMIN_RIGHTS = ("can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages", "can_manage_video_chats",
                "can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users",
                "can_post_stories", "can_edit_stories", "can_delete_stories")


class BotApiServer(LocalServer):
    """Start it, point the bot's base_url at `base_url`, queue updates, read `sent`."""

    def __init__(self, username: str = "FrontbriefTestBot", limits: Limits | None = None, latency: float = 0.0) -> None:
        self.username, self.state, self.latency = username, State(limits=limits), latency
        self.sent_at: dict[int, float] = {}
        self.sending, self.most_sending = 0, 0  # sendMessage calls in progress now, and at most
        self.changed = threading.Condition()
        super().__init__()

    @property
    def base_url(self) -> str:
        return self.address + "/bot"

    # what tests do --------------------------------------------------------------------------

    def user_says(self, chat_id: int, text: str, *, chat_type: str = "private", language: str = "en",
                  user_id: int | None = None, name: str = "Tester") -> None:
        """Queue a message from a user (commands carry their bot_command entity, as Telegram sends)."""
        user = {"id": user_id or abs(chat_id), "is_bot": False, "first_name": name, "language_code": language}
        message = {"message_id": self._message_id(), "date": int(time.time()), "text": text, "from": user,
                   "chat": {"id": chat_id, "type": chat_type, **({"title": "Group"} if chat_type != "private" else {})}}
        command = re.match(r"/[A-Za-z0-9_]+(@\w+)?", text)
        if command:
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_length(command.group(0))}]
        self._push({"message": message})

    def add_chat(self, chat_id: int, chat_type: str, title: str, username: str | None = None) -> None:
        """A group or channel Telegram knows (getChat finds it by id or @username)."""
        self.state.chats[chat_id] = {"id": chat_id, "type": chat_type, "title": title,
                                     **({"username": username} if username else {})}

    def set_member(self, chat_id: int, user_id: int, status: str, can_post_messages: bool = True) -> None:
        """A user's (or, as BOT_ID, the bot's) status in a chat: creator, administrator, member, left, kicked."""
        self.state.members[(chat_id, user_id)] = {"status": status, "can_post_messages": can_post_messages}

    def user_edits(self, chat_id: int, message_id: int, text: str, *, chat_type: str = "private") -> None:
        """Queue an edit of a message a user sent earlier (Telegram sends it as edited_message)."""
        user = {"id": abs(chat_id), "is_bot": False, "first_name": "Tester", "language_code": "en"}
        message = {"message_id": message_id, "date": int(time.time()) - 5, "edit_date": int(time.time()),
                   "text": text, "from": user, "chat": {"id": chat_id, "type": chat_type}}
        command = re.match(r"/[A-Za-z0-9_]+(@\w+)?", text)
        if command:
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_length(command.group(0))}]
        self._push({"edited_message": message})

    def deliver_by_webhook(self, update: dict, secret: str | None = None) -> int:
        """Send an update to the bot's webhook as Telegram does; the HTTP status the bot answered."""
        import httpx

        update = {"update_id": self.state.next_update, **update}
        self.state.next_update += 1
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        return httpx.post(self.state.webhook["url"], json=update, headers=headers, timeout=10).status_code

    def message_update(self, chat_id: int, text: str) -> dict:
        """An update carrying a user's message (for webhook delivery)."""
        user = {"id": abs(chat_id), "is_bot": False, "first_name": "Tester", "language_code": "en"}
        message = {"message_id": self._message_id(), "date": int(time.time()), "text": text, "from": user,
                   "chat": {"id": chat_id, "type": "private"}}
        command = re.match(r"/[A-Za-z0-9_]+", text)
        if command:
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_length(command.group(0))}]
        return {"message": message}

    def user_presses(self, chat_id: int, sent: Sent, data: str, language: str = "en", stale: bool = False,
                     *, chat_type: str = "private", user_id: int | None = None) -> str:
        """Queue a button press on a message the bot sent; its query id. A `stale` press is one Telegram
        no longer knows (older than its answer timeout): answering it is refused."""
        user = {"id": user_id or abs(chat_id), "is_bot": False, "first_name": "Tester", "language_code": language}
        message = {"message_id": sent.message_id, "date": int(time.time()), "text": sent.plain,
                   "chat": {"id": chat_id, "type": chat_type}, "from": {"id": 1, "is_bot": True, "first_name": "Bot"}}
        return self._press({"from": user, "message": message, "chat_instance": "1", "data": data}, stale)

    def forged_press(self, user_id: int, data: str) -> str:
        """Queue a button press that carries no message (as from an inline message or a crafted client)."""
        user = {"id": user_id, "is_bot": False, "first_name": "Tester", "language_code": "en"}
        return self._press({"from": user, "inline_message_id": "forged", "chat_instance": "1", "data": data}, False)

    def _press(self, query: dict, stale: bool) -> str:
        query_id = str(self._message_id())
        if not stale:
            self.state.queries.add(query_id)
        self._push({"callback_query": {"id": query_id, **query}})
        return query_id

    def user_blocks(self, chat_id: int) -> None:
        """The user blocks the bot: Telegram says so and refuses messages to them from now on."""
        self.state.blocked.add(chat_id)
        user = {"id": chat_id, "is_bot": False, "first_name": "Tester"}
        bot = {"id": 1, "is_bot": True, "first_name": "Bot", "username": self.username}
        self._push({"my_chat_member": {
            "chat": {"id": chat_id, "type": "private"}, "from": user, "date": int(time.time()),
            "old_chat_member": {"status": "member", "user": bot},
            "new_chat_member": {"status": "kicked", "user": bot, "until_date": 0}}})

    def group_migrates(self, old_id: int, new_id: int) -> None:
        """A group becomes a supergroup."""
        message = {"message_id": self._message_id(), "date": int(time.time()),
                   "chat": {"id": old_id, "type": "group", "title": "Group"}, "migrate_to_chat_id": new_id}
        self._push({"message": message})

    def fail_next(self, method: str, code: int, description: str, times: int = 1, retry_after: int | None = None,
                  chat_id: int | None = None) -> None:
        """Fault switch: the next calls of a method (to `chat_id` only, when given) fail with Telegram's error."""
        for _ in range(times):
            self.state.faults[method].append((code, description, retry_after, chat_id))

    def fail_when(self, method: str, predicate, code: int, description: str) -> None:
        """Fault switch: every call of a method whose params satisfy `predicate(params)` fails."""
        self.state.rules.append((method, predicate, code, description))

    def wait_for(self, predicate, timeout: float = 15.0) -> list[Sent]:
        """Wait until what the bot sent satisfies `predicate(sent_list)`; returns the messages."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while not predicate(self.state.sent):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; the bot sent: {[s.plain[:80] for s in self.state.sent]}")
                self.changed.wait(left)
            return list(self.state.sent)

    def replies_to(self, chat_id: int, count: int = 1, timeout: float = 15.0) -> list[Sent]:
        """Wait for `count` new messages to a chat since the last call for it; returns them."""
        seen = self.state.history.setdefault(("seen", chat_id), deque([0]))
        start = seen[0]
        sent = self.wait_for(lambda s: len([m for m in s if m.chat_id == chat_id]) >= start + count, timeout)
        mine = [m for m in sent if m.chat_id == chat_id]
        seen[0] = len(mine)
        return mine[start:]

    # the server -------------------------------------------------------------------------------

    def _message_id(self) -> int:
        self.state.next_message += 1
        return self.state.next_message

    def _push(self, update: dict) -> None:
        with self.changed:
            update["update_id"] = self.state.next_update
            self.state.next_update += 1
            self.state.updates.append(update)
            self.changed.notify_all()

    def _limit(self, chat_id: int) -> None:
        """Telegram's flood control: the chat's bucket (bursts allowed, then 429 for that chat), then
        the bot's overall limit; a refused message uses up nothing."""
        limits = self.state.limits
        if limits is None:
            return
        with self.changed:
            now = time.monotonic()
            capacity, refill = limits.bucket(chat_id)
            tokens, since = self.state.buckets.get(chat_id, (capacity, now))
            tokens = min(capacity, tokens + (now - since) * refill)
            if tokens < 1:
                self.state.refused.append(("chat", chat_id))
                raise _too_many((1 - tokens) / refill)
            recent = self.state.history[("all",)]
            while recent and now - recent[0] > limits.window:
                recent.popleft()
            if len(recent) >= limits.overall:
                self.state.refused.append(("all", chat_id))
                raise _too_many(limits.window - (now - recent[0]))
            self.state.buckets[chat_id] = (tokens - 1, now)
            recent.append(now)

    def call(self, method: str, params: dict) -> object:
        """One Bot API method call; returns its result or raises ApiError. With `latency`, a send takes
        that long, half on the way in and half on the way back, as over a real network."""
        if method != "sendMessage":
            return self._call(method, params)
        with self.changed:
            self.sending += 1
            self.most_sending = max(self.most_sending, self.sending)
        try:
            time.sleep(self.latency / 2)
            result = self._call(method, params)
            time.sleep(self.latency / 2)
            return result
        finally:
            with self.changed:
                self.sending -= 1

    def _call(self, method: str, params: dict) -> object:
        self.state.calls.append((method, params))
        faults = self.state.faults.get(method)
        for fault in list(faults or ()):
            code, description, retry_after, chat = fault
            if chat is None or str(chat) == str(params.get("chat_id")):
                faults.remove(fault)
                raise ApiError(code, description, retry_after)
        for rule_method, predicate, code, description in self.state.rules:
            if rule_method == method and predicate(params):
                raise ApiError(code, description)
        handler = getattr(self, f"m_{method.lower()}", None)
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        return handler(params)

    def m_getme(self, params: dict) -> dict:
        return {"id": 1, "is_bot": True, "first_name": "Frontbrief", "username": self.username,
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

    def _chat(self, chat_id: object) -> dict:
        """A chat by id or @username, or 400 as Telegram answers."""
        key = str(chat_id)
        for chat in self.state.chats.values():
            if str(chat["id"]) == key or ("username" in chat and key.lower() == "@" + chat["username"].lower()):
                return chat
        raise ApiError(400, "Bad Request: chat not found")

    def m_getchat(self, params: dict) -> dict:
        chat = self._chat(params.get("chat_id"))
        gifts = dict.fromkeys(("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription",
                               "gifts_from_channels"), False)
        return {**chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}

    def m_getchatmember(self, params: dict) -> dict:
        """A member's status; the bot must be in the chat to ask (403 otherwise)."""
        chat = self._chat(params.get("chat_id"))
        mine = self.state.members.get((chat["id"], BOT_ID), {"status": "left"})
        if mine["status"] in ("left", "kicked"):
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat['type']} chat")
        user_id = int(params["user_id"])
        found = self.state.members.get((chat["id"], user_id), {"status": "left", "can_post_messages": False})
        user = {"id": user_id, "is_bot": user_id == BOT_ID, "first_name": "Bot" if user_id == BOT_ID else "Tester"}
        member = {"status": found["status"], "user": user}
        if found["status"] == "creator":
            member["is_anonymous"] = False
        elif found["status"] == "administrator":
            member |= dict.fromkeys(ADMIN_RIGHTS, False) | {"can_manage_chat": True,
                                                            "can_post_messages": found["can_post_messages"]}
        elif found["status"] == "kicked":
            member["until_date"] = 0
        return member

    def m_deletewebhook(self, params: dict) -> bool:
        self.state.webhook = None
        return True

    def m_setwebhook(self, params: dict) -> bool:
        url = str(params.get("url", ""))
        if not url.startswith(("https://", "http://127.0.0.1")):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.state.webhook = {"url": url, "secret_token": params.get("secret_token")}
        return True

    def m_getupdates(self, params: dict) -> list[dict]:
        offset, timeout = int(params.get("offset") or 0), float(params.get("timeout") or 0)
        deadline = time.monotonic() + min(timeout, 5)
        with self.changed:
            self.state.updates = [u for u in self.state.updates if u["update_id"] >= offset]
            while not self.state.updates and time.monotonic() < deadline:
                self.changed.wait(deadline - time.monotonic())
            return list(self.state.updates)

    def _check_text(self, params: dict, key: str = "text", limit: int = MESSAGE_LIMIT) -> tuple[str, list[dict]]:
        """The text after entity parsing, measured as Telegram measures it: UTF-16 code units."""
        text = str(params.get(key, ""))
        plain, entities = parse_entities(text) if params.get("parse_mode") == "HTML" else (text, [])
        if key == "text" and not plain.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_length(plain) > limit:
            raise ApiError(400, "Bad Request: message is too long" if key == "text" else
                                "Bad Request: message caption is too long")
        return plain, entities

    def _buttons(self, params: dict) -> list[list[dict]]:
        markup = params.get("reply_markup")
        rows = (json.loads(markup) if isinstance(markup, str) else markup or {}).get("inline_keyboard", [])
        for row in rows:
            for button in row:
                if len(button.get("callback_data", "").encode("utf-8")) > 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return rows

    def m_sendmessage(self, params: dict) -> dict:
        chat_id = int(params["chat_id"])
        if chat_id in self.state.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        (plain, entities), rows = self._check_text(params), self._buttons(params)
        self._limit(chat_id)
        sent = Sent(chat_id, self._message_id(), str(params["text"]), plain, rows, "sendMessage", entities)
        self._record(sent)
        return {"message_id": sent.message_id, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
                "text": plain}

    def m_sendphoto(self, params: dict) -> dict:
        chat_id = int(params["chat_id"])
        (plain, entities), rows = self._check_text(params, "caption", CAPTION_LIMIT), self._buttons(params)
        self._limit(chat_id)
        sent = Sent(chat_id, self._message_id(), str(params.get("caption", "")), plain, rows, "sendPhoto", entities)
        self._record(sent)
        return {"message_id": sent.message_id, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
                "photo": [], "caption": plain}

    def m_editmessagetext(self, params: dict) -> dict:
        """An edit of a message this bot sent: refused when there is none, or when nothing changes."""
        if "chat_id" not in params or "message_id" not in params:
            raise ApiError(400, "Bad Request: message to edit not found")  # inline messages: never ours
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        (plain, entities), rows = self._check_text(params), self._buttons(params)
        if (chat_id, message_id) not in self.state.messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        if self.state.messages[(chat_id, message_id)] == (plain, entities, rows):
            raise ApiError(400, NOT_MODIFIED)
        sent = Sent(chat_id, message_id, str(params["text"]), plain, rows, "editMessageText", entities)
        self._record(sent)
        return {"message_id": sent.message_id, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
                "text": plain}

    def _record(self, sent: Sent) -> None:
        with self.changed:
            self.state.messages[(sent.chat_id, sent.message_id)] = (sent.plain, sent.entities, sent.buttons)
            self.sent_at[id(sent)] = time.monotonic()
            self.state.sent.append(sent)
            self.state.counts[sent.chat_id] += 1
            self.changed.notify_all()

    def m_answercallbackquery(self, params: dict) -> bool:
        """Each press is answered once, while Telegram still waits for the answer."""
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self.state.queries:
            raise ApiError(400, QUERY_INVALID)
        self.state.queries.discard(query_id)
        if len(str(params.get("text", ""))) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def m_deletemessage(self, params: dict) -> bool:
        if self.state.messages.pop((int(params["chat_id"]), int(params["message_id"])), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    def m_setmycommands(self, params: dict) -> bool:
        commands = params.get("commands")
        commands = json.loads(commands) if isinstance(commands, str) else commands
        if not commands or len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not COMMAND_NAME.match(command.get("command", "")) or not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        scope = params.get("scope")
        scope = json.loads(scope) if isinstance(scope, str) else scope or {"type": "default"}
        key = f"{scope.get('type')}:{scope.get('chat_id', '')}:{params.get('language_code', '')}"
        self.state.commands[key] = commands
        return True

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                self._serve()

            def do_GET(self) -> None:
                self._serve()

            def _serve(self) -> None:
                path = self.path.split("?")[0]
                parts = path.strip("/").split("/")
                method = parts[-1] if len(parts) >= 2 else ""
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                try:
                    params = _params(self.headers.get("Content-Type", ""), body)
                    result, status = {"ok": True, "result": server.call(method, params)}, 200
                except ApiError as exc:
                    result = {"ok": False, "error_code": exc.code, "description": exc.description}
                    if exc.retry_after is not None:
                        result["parameters"] = {"retry_after": exc.retry_after}
                    status = exc.code
                data = json.dumps(result).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the bot went away mid-request (it was stopped)

        return Handler


def _too_many(seconds: float) -> ApiError:
    """Telegram's 429: retry_after in whole seconds, at least one."""
    retry = max(1, math.ceil(seconds))
    return ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)


def _params(content_type: str, body: bytes) -> dict:
    if not body:
        return {}
    if "json" in content_type:
        return json.loads(body)
    if "multipart/form-data" in content_type:
        raise ApiError(400, "Bad Request: multipart is not used by this bot")
    values = {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
    for key in ("reply_markup", "commands", "scope", "allowed_updates", "link_preview_options"):
        if key in values and values[key][:1] in "[{":
            values[key] = json.loads(values[key])
    return values
