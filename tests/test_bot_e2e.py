"""End to end: `python -m bot run` as its own process against the Bot API test server, on the demo data."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.botapi import BotApiServer, Limits

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, cache_dir):
    """The demo database, made once for these tests."""
    where = tmp_path_factory.mktemp("e2e")
    old = os.getcwd()
    os.chdir(where)
    os.environ["CACHE_DIR"] = cache_dir
    try:
        assert main(["demo"]) == 0
    finally:
        os.chdir(old)
        del os.environ["CACHE_DIR"]
    return where / "data" / "demo.db"


@pytest.fixture(scope="module")
def bot(demo_db, cache_dir):
    """The Bot API test server, and the bot running against it in its own process."""
    api = BotApiServer(limits=Limits(per_chat=20, overall=200, window=1.0)).start()
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:TEST", "TELEGRAM_API_BASE_URL": api.base_url,
           "DATABASE_URL": f"sqlite:///{demo_db}", "CACHE_DIR": cache_dir, "TELEGRAM_POLL_TIMEOUT": "1",
           "FEEDS_FILE": str(ROOT / "bot" / "samples" / "feeds.toml"), "LOG_LEVEL": "WARNING",
           "DIGEST_CHECK_SECONDS": "5"}
    process = subprocess.Popen([sys.executable, "-m", "bot", "run", "--no-ingest"], cwd=demo_db.parent.parent,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while not any(m == "getUpdates" for m, _ in api.state.calls):
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the bot did not start: {process.stdout.read() if process.stdout else ''}")
        time.sleep(0.1)
    yield api
    process.send_signal(signal.SIGTERM)
    try:
        output = process.communicate(timeout=20)[0]
    except subprocess.TimeoutExpired:
        process.kill()
        output = process.communicate()[0]
    api.stop()
    assert "Traceback" not in output, output


def test_menus_are_set_per_language(bot):
    assert {"default::", "default::en", "default::nl"} <= set(bot.state.commands)
    dutch = {c["command"]: c["description"] for c in bot.state.commands["default::nl"]}
    assert dutch["place"] == "Nieuws over een plaats"


def test_start_subscribe_and_unsubscribe(bot):
    bot.user_says(101, "/start", language="nl", name="Anna")
    (greeting,) = bot.replies_to(101)
    assert "Hallo Anna" in greeting.plain and greeting.buttons[0][0]["callback_data"].startswith("sub:")
    bot.user_presses(101, greeting, greeting.buttons[0][0]["callback_data"], language="nl")
    done = bot.replies_to(101)[0]  # the greeting, edited; the latest news may follow
    assert done.method == "editMessageText" and done.message_id == greeting.message_id
    assert "Je bent geabonneerd" in done.plain and "08:00, 13:00, 19:00" in done.plain
    bot.user_says(101, "/stop", language="nl")
    bot.wait_for(lambda sent: any("afgemeld" in m.plain for m in sent if m.chat_id == 101))


def test_changing_language_changes_menu_and_answers(bot):
    bot.user_says(102, "/language", language="en")
    (prompt,) = bot.replies_to(102)
    bot.user_presses(102, prompt, prompt.buttons[0][1]["callback_data"])
    (changed,) = bot.replies_to(102)
    assert changed.plain == "Taal: Nederlands." and changed.message_id == prompt.message_id
    bot.wait_for(lambda s: "chat:102:" in bot.state.commands)
    assert bot.state.commands["chat:102:"][0]["description"] == "Welkom en abonneren"
    bot.user_says(102, "/help", language="en")
    assert "Frontbrief antwoordt" in bot.replies_to(102)[0].plain


def test_kramatorsk_shows_attributed_claims_from_both_languages(bot):
    bot.user_says(103, "/kramatorsk")
    (answer,) = bot.replies_to(103)
    assert "Kramatorsk" in answer.plain and "Russian side" in answer.plain and "Ukrainian side" in answer.plain
    outlets = {"Moscow Ledger (sample)", "Europa Persbureau (sample)"}
    assert all(outlet in answer.plain for outlet in outlets)  # English and Dutch sources
    assert '<a href="https://' in answer.text and "disputed" in answer.plain


def test_a_dutch_spelling_as_command_and_place_with_spaces(bot):
    bot.user_says(104, "/charkiv")
    assert "Kharkiv" in bot.replies_to(104)[0].plain
    bot.user_says(104, "/place Харків")
    assert "Kharkiv" in bot.replies_to(104)[0].plain


def test_date_in_several_forms(bot):
    for text in ("/date 2023-01-08", "/date 8 januari 2023", "/date January 8, 2023"):
        bot.user_says(105, text)
        (answer,) = bot.replies_to(105)
        assert "January 8, 2023" in answer.plain and "Kramatorsk" in answer.plain


def test_unknown_place_gets_suggestion_buttons_that_work(bot):
    bot.user_says(106, "/place Kramatorks")
    (answer,) = bot.replies_to(106)
    assert "no place called" in answer.plain
    button = answer.buttons[0][0]
    assert button["text"] == "Kramatorsk"
    bot.user_presses(106, answer, button["callback_data"])
    assert "Russian side" in bot.replies_to(106)[0].plain


def test_paging_edits_the_message(bot):
    bot.user_says(107, "/donetsk_oblast")
    (first,) = bot.replies_to(107)
    assert "page 1 of" in first.plain
    next_page = [b for row in first.buttons for b in row if b["callback_data"].startswith("pg:")][-1]["callback_data"]
    bot.user_presses(107, first, next_page)
    (second,) = bot.replies_to(107)
    assert second.method == "editMessageText" and second.message_id == first.message_id and "page 2 of" in second.plain


def test_group_chats_answer_commands_addressed_to_the_bot(bot):
    bot.user_says(-500, "/kramatorsk@FrontbriefTestBot", chat_type="group")
    assert "Kramatorsk" in bot.replies_to(-500)[0].plain
    bot.user_says(-500, "/kramatorsk@SomeOtherBot", chat_type="group")
    bot.user_says(-500, "/help", chat_type="group")
    (help_reply,) = bot.replies_to(-500)  # the command for another bot got no answer
    assert "/date" in help_reply.plain


def test_a_user_who_blocked_the_bot_becomes_inactive(bot, demo_db):
    import sqlite3

    bot.user_says(108, "/subscribe")
    bot.replies_to(108)
    bot.user_blocks(108)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with sqlite3.connect(demo_db) as conn:
            row = conn.execute("SELECT active, subscribed FROM subscriber WHERE chat_id = 108").fetchone()
        if row == (0, 1):
            break
        time.sleep(0.1)
    assert row == (0, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/frobnicate", "I do not know that command"),
        ("/date the day after never", "could not read"),
        ("/times 25:99", "could not read"),
        ("/timezone Mars/Olympus", "not a time zone I know"),
        ("/place <b>Kyiv</b>'; DROP TABLE item; --", "no place called"),
        ("/place " + "x" * 5000, "too long"),
        ("/place 🇺🇦🔥", "no place called"),
        ("/place \u200fКиїв\u200b", "Kyiv"),
        ("just chatting 🙂", "I do not know that command"),
    ],
)
def test_bad_input_gets_a_short_clear_reply(bot, text, expected):
    chat = 200 + abs(hash(text)) % 1000
    bot.user_says(chat, text)
    (reply,) = bot.replies_to(chat)
    assert expected in reply.plain and len(reply.plain) < 4096


def test_fifty_commands_in_a_second_are_throttled(bot):
    for _ in range(50):
        bot.user_says(109, "/help")
    replies = bot.replies_to(109, count=21)
    assert sum("Slow down" in r.plain for r in replies) == 1
    time.sleep(1)
    assert len([m for m in bot.state.sent if m.chat_id == 109]) == 21  # the rest were dropped


def test_a_telegram_error_is_logged_and_the_bot_goes_on(bot):
    bot.fail_next("sendMessage", 500, "Internal Server Error: try later")
    bot.user_says(110, "/help")
    time.sleep(1.5)
    bot.user_says(110, "/help")
    (reply,) = bot.replies_to(110)
    assert "/date" in reply.plain


def test_a_group_that_becomes_a_supergroup_keeps_its_settings(bot, demo_db):
    import sqlite3

    from tests.botapi import BOT_ID

    bot.add_chat(-600, "group", "Group")
    bot.set_member(-600, BOT_ID, "member")
    bot.set_member(-600, 600, "administrator")  # changing a group's settings takes an administrator
    bot.user_says(-600, "/subscribe", chat_type="group")
    bot.replies_to(-600)
    bot.group_migrates(-600, -100600)
    deadline, rows = time.monotonic() + 10, []
    while time.monotonic() < deadline:
        with sqlite3.connect(demo_db) as conn:
            rows = conn.execute("SELECT chat_id, subscribed FROM subscriber WHERE chat_id IN (-600, -100600)").fetchall()
        if rows == [(-100600, 1)]:
            break
        time.sleep(0.1)
    assert rows == [(-100600, 1)]


def test_webhook_mode_with_a_secret_token(demo_db, cache_dir):
    import socket

    api = BotApiServer().start()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:HOOK", "TELEGRAM_API_BASE_URL": api.base_url,
           "DATABASE_URL": f"sqlite:///{demo_db}", "CACHE_DIR": cache_dir, "LOG_LEVEL": "WARNING",
           "WEBHOOK_URL": f"http://127.0.0.1:{port}/hook", "WEBHOOK_SECRET": "s3cret-token", "WEBHOOK_PORT": str(port)}
    process = subprocess.Popen([sys.executable, "-m", "bot", "run", "--no-ingest"], cwd=demo_db.parent.parent,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while api.state.webhook is None:
            assert process.poll() is None and time.monotonic() < deadline, process.stdout.read()
            time.sleep(0.1)
        assert api.state.webhook["secret_token"] == "s3cret-token"
        _wait_for_port(port)
        assert api.deliver_by_webhook(api.message_update(111, "/help"), secret="wrong") == 403
        assert api.deliver_by_webhook(api.message_update(111, "/help"), secret="s3cret-token") == 200
        (reply,) = api.replies_to(111)
        assert "/date" in reply.plain
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        api.stop()


def _wait_for_port(port: int, timeout: float = 20.0) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


def test_the_digest_job_delivers_due_digests(bot, demo_db):
    import sqlite3
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    slots = [f"{h:02d}:00" for h in range(0, 24, 4)]
    with sqlite3.connect(demo_db) as conn:
        # The news came in five hours ago, before the latest four-hourly slot.
        conn.execute("UPDATE item SET updated_at = ?", ((now - timedelta(hours=5)).strftime("%Y-%m-%d %H:%M:%S"),))
        conn.execute(
            "INSERT INTO subscriber (chat_id, chat_type, language, times, timezone, subscribed, active, created_at, "
            "updated_at, last_digest_at, notify_empty) VALUES (?, 'private', 'en', ?, 'UTC', 1, 1, ?, ?, ?, 0)",
            (120, json.dumps(slots), (now - timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S"),
             (now - timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S"),
             (now - timedelta(days=3)).strftime("%Y-%m-%d %H:%M:%S")))
    first = bot.replies_to(120, timeout=30)[0]
    assert "Frontbrief digest" in first.plain
    deadline, row = time.monotonic() + 30, None
    while time.monotonic() < deadline:
        with sqlite3.connect(demo_db) as conn:
            row = conn.execute("SELECT status, parts, parts_sent FROM delivery WHERE chat_id = 120").fetchone()
        if row and row[0] == "sent":
            break
        time.sleep(0.2)
    assert row[0] == "sent" and row[1] == row[2] >= 1
    time.sleep(6)  # the job runs again: nothing more for this chat
    messages = [m for m in bot.state.sent if m.chat_id == 120]
    assert len(messages) == row[1] and "Kramatorsk" in " ".join(m.plain for m in messages)


def test_an_edited_command_is_not_answered_again(bot):
    bot.user_says(130, "/help")
    (first,) = bot.replies_to(130)
    bot.user_edits(130, first.message_id - 1, "/kramatorsk")  # the user's message: the id before the reply
    bot.user_says(130, "/sources")
    (second,) = bot.replies_to(130)
    time.sleep(1)
    assert "I read these feeds" in second.plain and [m for m in bot.state.sent if m.chat_id == 130] == [first, second]


def test_a_channel_admin_subscribes_the_channel_from_a_private_chat(bot, demo_db):
    import sqlite3

    from tests.botapi import BOT_ID

    bot.add_chat(-1009131, "channel", "E2E Channel", username="e2echannel")
    bot.set_member(-1009131, BOT_ID, "administrator")
    bot.set_member(-1009131, 131, "creator")
    bot.user_says(131, "/subscribe @e2echannel")
    (done,) = bot.replies_to(131)
    assert done.plain.startswith("E2E Channel\n") and "go to the channel" in done.plain
    with sqlite3.connect(demo_db) as conn:
        row = conn.execute("SELECT chat_type, subscribed FROM subscriber WHERE chat_id = -1009131").fetchone()
    assert row == ("channel", 1)
