"""Logs: one JSON object per line on request, and the bot token never written."""

import json
import logging

from bot import logs


def test_secrets_are_redacted_and_json_lines_written(capsys):
    logs.setup("INFO", "json", ["123456:SECRET-TOKEN"])
    logging.getLogger("telegram").info("POST %s failed", "https://api.example.test/bot123456:SECRET-TOKEN/getMe")
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("bot").exception("it broke")
    lines = capsys.readouterr().err.strip().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first["message"] == "POST https://api.example.test/bot[redacted]/getMe failed"
    assert first["level"] == "INFO" and first["logger"] == "telegram"
    assert second["message"] == "it broke" and "ValueError: boom" in second["error"]
    assert "SECRET-TOKEN" not in "".join(lines)
    logs.setup("WARNING", "plain", [])


def test_a_bot_process_log_never_shows_the_token(tmp_path, monkeypatch, capsys):
    from bot.cli.main import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "999:NEVER-PRINT-ME")
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9/bot")
    logging.getLogger("probe").debug("calling %s", "http://127.0.0.1:9/bot999:NEVER-PRINT-ME/getMe")
    assert main(["feeds", "list"]) == 0
    logging.getLogger("probe").warning("calling %s", "http://127.0.0.1:9/bot999:NEVER-PRINT-ME/getMe")
    output = capsys.readouterr()
    assert "NEVER-PRINT-ME" not in output.out + output.err and "[redacted]" in output.err
    logs.setup("WARNING", "plain", [])


def test_logs_follow_stderr_when_it_is_swapped(monkeypatch):
    import io
    import logging
    import sys

    first, second = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    logs.setup("INFO", "plain", [])
    first.close()  # what a test's capture does when it ends
    monkeypatch.setattr(sys, "stderr", second)
    logging.getLogger("bot.test").warning("still heard")
    assert "still heard" in second.getvalue()
