"""The rules the Bot API test server learnt for issue 11, checked against what Telegram answers:
length in UTF-16 code units after entity parsing (messages and captions), "message is not
modified", edits of messages that do not exist, and callback queries answered once, while fresh."""

from __future__ import annotations

import httpx

from tests.botapi import NOT_MODIFIED, QUERY_INVALID, parse_entities


def _post(api, method, **params):
    return httpx.post(f"{api.base_url}123:TEST/{method}", data=params, timeout=5).json()


def test_length_is_utf16_units_of_the_text_after_entity_parsing(api):
    flags = "🇺🇦" * 1024  # 4,096 UTF-16 units, 2,048 Python characters
    assert _post(api, "sendMessage", chat_id=1, text=f"<b>{flags}</b>", parse_mode="HTML")["ok"]
    refused = _post(api, "sendMessage", chat_id=1, text=f"<b>{flags}x</b>", parse_mode="HTML")
    assert refused["description"] == "Bad Request: message is too long"
    escaped = "&amp;" * 4096  # 20,480 characters of HTML, 4,096 of text
    assert _post(api, "sendMessage", chat_id=1, text=escaped, parse_mode="HTML")["ok"]


def test_captions_have_their_own_limit(api):
    fits = _post(api, "sendPhoto", chat_id=1, photo="x", caption="<i>" + "é" * 1024 + "</i>", parse_mode="HTML")
    assert fits["ok"]
    refused = _post(api, "sendPhoto", chat_id=1, photo="x", caption="😀" * 513)
    assert refused["description"] == "Bad Request: message caption is too long"


def test_entities_must_be_well_formed_and_are_reported_in_utf16_offsets():
    plain, entities = parse_entities('😀 <b>Kyiv <a href="https://x.test/?a=1&amp;b=2">wire</a></b>')
    assert plain == "😀 Kyiv wire"
    assert entities == [{"type": "b", "offset": 3, "length": 9},
                        {"type": "text_link", "offset": 8, "length": 4, "url": "https://x.test/?a=1&b=2"}]


def test_an_unclosed_tag_cannot_be_parsed(api):
    body = _post(api, "sendMessage", chat_id=1, text="<b>Kyiv <i>wire</b>", parse_mode="HTML")
    assert body["error_code"] == 400 and body["description"].startswith("Bad Request: can't parse entities")


def test_an_edit_that_changes_nothing_is_not_modified(api):
    markup = '{"inline_keyboard": [[{"text": "›", "callback_data": "pg:2"}]]}'
    sent = _post(api, "sendMessage", chat_id=1, text="<b>page 1</b>", parse_mode="HTML", reply_markup=markup)["result"]
    same = dict(chat_id=1, message_id=sent["message_id"], text="<b>page 1</b>", parse_mode="HTML", reply_markup=markup)
    assert _post(api, "editMessageText", **same)["description"] == NOT_MODIFIED
    assert _post(api, "editMessageText", **{**same, "text": "<i>page 1</i>"})["ok"]  # other entities: modified
    assert _post(api, "editMessageText", **{**same, "text": "<i>page 1</i>", "reply_markup": '{"inline_keyboard": []}'})["ok"]


def test_an_edit_of_a_message_that_does_not_exist_is_refused(api):
    body = _post(api, "editMessageText", chat_id=1, message_id=999_999, text="x")
    assert body["description"] == "Bad Request: message to edit not found"
    assert _post(api, "deleteMessage", chat_id=1, message_id=999_999)["description"] == \
        "Bad Request: message to delete not found"


def test_a_callback_query_is_answered_once_and_only_while_fresh(api):
    sent = _post(api, "sendMessage", chat_id=1, text="hi")["result"]
    from tests.botapi import Sent

    message = Sent(1, sent["message_id"], "hi", "hi", [], "sendMessage")
    fresh = api.user_presses(1, message, "pg:2")
    stale = api.user_presses(1, message, "pg:2", stale=True)
    forged = api.forged_press(1, "pg:2")
    assert _post(api, "answerCallbackQuery", callback_query_id=fresh)["ok"]
    assert _post(api, "answerCallbackQuery", callback_query_id=fresh)["description"] == QUERY_INVALID
    assert _post(api, "answerCallbackQuery", callback_query_id=stale)["description"] == QUERY_INVALID
    assert _post(api, "answerCallbackQuery", callback_query_id="no-such-query")["description"] == QUERY_INVALID
    update = _post(api, "getUpdates", offset=0, timeout=0)["result"][-1]["callback_query"]
    assert update["id"] == forged and "message" not in update
