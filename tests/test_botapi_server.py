"""The Bot API test server rejects what Telegram rejects."""

from __future__ import annotations

import httpx
import pytest

from tests.botapi import BotApiServer, Limits, parse_html


@pytest.fixture
def api():
    server = BotApiServer(limits=Limits(per_chat=1, overall=30, window=1.0)).start()
    yield server
    server.stop()


def _post(api, method, **params):
    return httpx.post(f"{api.base_url}123:TEST/{method}", data=params, timeout=5)


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<marquee>x</marquee>", 'Unsupported start tag "marquee"'),
        ("1 < 2", "Unexpected end of name token"),
        ("salt & pepper", "Character entity expected"),
        ("<b>x</i>", "Unmatched end tag"),
    ],
)
def test_bad_html_is_refused_with_telegrams_words(api, html, error):
    response = _post(api, "sendMessage", chat_id=5, text=html, parse_mode="HTML")
    body = response.json()
    assert response.status_code == 400 and not body["ok"] and error in body["description"]


def test_good_html_is_accepted_and_parsed():
    assert parse_html('<b>Kyiv</b> &amp; <a href="https://x.test/?a=1&amp;b=2">link</a> &lt;3') == "Kyiv & link <3"


def test_text_length_is_counted_after_entity_parsing(api):
    fits = "<b>" + "x" * 4096 + "</b>"
    assert _post(api, "sendMessage", chat_id=1, text=fits, parse_mode="HTML").json()["ok"]
    too_long = "x" * 4097
    assert _post(api, "sendMessage", chat_id=2, text=too_long).json()["description"] == "Bad Request: message is too long"
    emoji = "🇺🇦" * 1025  # four UTF-16 units each
    assert _post(api, "sendMessage", chat_id=3, text=emoji).status_code == 400


def test_callback_data_over_64_bytes_is_refused(api):
    markup = '{"inline_keyboard": [[{"text": "x", "callback_data": "%s"}]]}' % ("y" * 65)
    body = _post(api, "sendMessage", chat_id=1, text="hi", reply_markup=markup).json()
    assert body["description"] == "Bad Request: BUTTON_DATA_INVALID"


def test_command_names_must_be_telegram_command_names(api):
    bad = '[{"command": "Kramatorsk!", "description": "x"}]'
    assert _post(api, "setMyCommands", commands=bad).json()["description"] == "Bad Request: BOT_COMMAND_INVALID"
    good = '[{"command": "kramatorsk", "description": "Kramatorsk"}]'
    assert _post(api, "setMyCommands", commands=good).json()["ok"]


def test_rate_limits_answer_429_with_retry_after(api):
    assert _post(api, "sendMessage", chat_id=9, text="one").json()["ok"]
    body = _post(api, "sendMessage", chat_id=9, text="two").json()
    assert body["error_code"] == 429 and body["parameters"]["retry_after"] >= 1
    assert _post(api, "sendMessage", chat_id=10, text="another chat").json()["ok"]


def test_a_blocked_chat_gets_403_and_faults_can_be_injected(api):
    api.user_blocks(7)
    assert _post(api, "sendMessage", chat_id=7, text="hi").json()["description"] == "Forbidden: bot was blocked by the user"
    api.fail_next("sendMessage", 500, "Internal Server Error")
    assert _post(api, "sendMessage", chat_id=8, text="hi").status_code == 500
    assert _post(api, "sendMessage", chat_id=8, text="hi").json()["ok"]


def test_updates_come_with_offsets_and_long_polling(api):
    api.user_says(1, "/start")
    first = _post(api, "getUpdates", offset=0, timeout=0).json()["result"]
    assert first[0]["message"]["entities"][0]["type"] == "bot_command"
    after = _post(api, "getUpdates", offset=first[-1]["update_id"] + 1, timeout=0).json()["result"]
    assert after == []
    assert _post(api, "noSuchMethod").status_code == 404
