"""Settings: defaults, parsing, and errors reported by name without a traceback."""

import pytest

from bot.cli.main import main
from bot.config import BUNDLED_FEEDS, ConfigError, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "FEEDS_FILE", "ADMIN_CHAT_IDS", "FETCH_INTERVAL_MINUTES"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_are_embedded():
    settings = load_settings()
    assert settings.database_url == "sqlite:///data/frontbrief.db"
    assert settings.feeds_file == BUNDLED_FEEDS and BUNDLED_FEEDS.is_file()
    assert settings.telegram_bot_token is None and settings.fetch_max_bytes == 10_000_000


def test_environment_values_are_parsed(monkeypatch):
    monkeypatch.setenv("ADMIN_CHAT_IDS", "12, -100345")
    monkeypatch.setenv("FETCH_INTERVAL_MINUTES", "5")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:tok-XYZ")
    settings = load_settings()
    assert settings.admin_chat_ids == [12, -100345] and settings.fetch_interval_minutes == 5
    assert "tok-XYZ" not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value"),
    [("FETCH_INTERVAL_MINUTES", "often"), ("ADMIN_CHAT_IDS", "12,abc"), ("DATABASE_URL", "mysql://x"),
     ("FETCH_MAX_BYTES", "10"), ("LOG_LEVEL", "LOUD")],
)
def test_an_invalid_setting_is_named(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        load_settings()


def test_the_command_line_reports_a_bad_setting_without_a_traceback(monkeypatch, capsys):
    monkeypatch.setenv("FETCH_INTERVAL_MINUTES", "0")
    assert main(["feeds", "list"]) == 2
    err = capsys.readouterr().err
    assert "FETCH_INTERVAL_MINUTES" in err and "Traceback" not in err


def test_run_without_a_token_says_so_plainly(capsys):
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_BOT_TOKEN is not set" in err and "python -m bot chat" in err


def test_a_broken_feed_list_is_reported_by_path(monkeypatch, tmp_path, capsys):
    broken = tmp_path / "feeds.toml"
    broken.write_text("[[feed]]\nname = 'no url'\n")
    monkeypatch.setenv("FEEDS_FILE", str(broken))
    assert main(["feeds", "list"]) == 2
    assert "feed #1 has no url" in capsys.readouterr().err
