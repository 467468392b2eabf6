"""Settings, read once at the edge (the command line) and passed down as plain values."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BUNDLED_FEEDS = Path(str(resources.files("bot") / "data" / "feeds.toml"))
SAMPLE_FEEDS = Path(str(resources.files("bot") / "samples" / "feeds.toml"))


class ConfigError(Exception):
    """A setting is missing or invalid; the message names it."""


class Settings(BaseSettings):
    """Every setting Frontbrief reads from the environment (or a .env file)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    database_url: str = Field("sqlite:///data/frontbrief.db", min_length=1)
    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    feeds_file: Path = BUNDLED_FEEDS
    admin_chat_ids: Annotated[list[int], NoDecode] = []
    fetch_interval_minutes: int = Field(15, ge=1, le=24 * 60)
    fetch_jitter_seconds: int = Field(60, ge=0)
    fetch_timeout_seconds: float = Field(20.0, gt=0)
    fetch_concurrency: int = Field(8, ge=1, le=100)
    fetch_max_bytes: int = Field(10_000_000, ge=1024)
    fetch_max_redirects: int = Field(5, ge=0, le=20)
    feed_max_errors: int = Field(10, ge=1)
    feed_max_backoff_hours: float = Field(24.0, gt=0)
    user_agent: str = "Frontbrief/0.1 (news digest bot; feed reader)"
    allow_private_feeds: bool = False
    log_level: str = Field("INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")
    log_format: str = Field("plain", pattern=r"^(plain|json)$")
    cache_dir: Path = Path("data/cache")
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_port: int = Field(8443, ge=1, le=65535)
    telegram_poll_timeout: int = Field(10, ge=0, le=60)
    telegram_start_tries: int = Field(5, ge=1, le=100)  # getMe at start while the Bot API is unreachable
    digest_check_seconds: int = Field(60, ge=5)
    alert_minutes: int = Field(5, ge=1)
    send_rate: float = Field(25.0, gt=0)  # under Telegram's 30 a second: sends bunched by a busy loop cost no 429
    send_chat_interval: float = Field(1.0, ge=0)
    send_concurrency: int = Field(5, ge=1, le=32)
    paid_broadcast: bool = False
    article_retention_days: int = Field(180, ge=1)
    metrics_port: int | None = Field(None, ge=1, le=65535)
    metrics_host: str = Field("127.0.0.1", min_length=1)  # 0.0.0.0 to let another machine scrape
    delivery_lease_seconds: int = Field(600, ge=1)
    translate_url: str | None = None  # a LibreTranslate-compatible server; unset: no machine translation
    translate_api_key: SecretStr | None = None
    translate_timeout_seconds: float = Field(2.0, gt=0, le=30)
    translate_pause_seconds: float = Field(60.0, ge=0)  # after a failure, answers stop asking for this long
    health_stall_seconds: int = Field(300, ge=30)  # /healthz: 503 when polling or the job queue is silent longer
    metrics_count_seconds: int = Field(300, ge=10)  # how often a job makes the full counts /metrics serves

    @field_validator("admin_chat_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Accept "1, 2" as well as a list."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        """Only SQLite and PostgreSQL are supported; postgres:// and postgresql:// (as Heroku, Render
        and Fly set DATABASE_URL) mean the psycopg 3 driver we ship."""
        value = value.strip()
        for platform in ("postgres://", "postgresql://"):
            if value.startswith(platform):
                return "postgresql+psycopg://" + value.removeprefix(platform)
        if not value.startswith(("sqlite://", "postgresql+psycopg://")):
            raise ValueError("must start with sqlite://, postgres://, postgresql:// or postgresql+psycopg://")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_any_case(cls, value: object) -> object:
        """`info` and `Info` are INFO."""
        return value.strip().upper() if isinstance(value, str) else value

    @property
    def database_kind(self) -> str:
        """'sqlite' or 'postgresql'."""
        return "sqlite" if self.database_url.startswith("sqlite") else "postgresql"


# Environment variables that Procfile platforms set in every process: where they are set, a local
# SQLite file lives on an ephemeral disk.
EPHEMERAL_PLATFORMS = {"DYNO": "Heroku", "RENDER": "Render", "FLY_APP_NAME": "Fly.io", "RAILWAY_ENVIRONMENT": "Railway"}


def ephemeral_platform(environ: Mapping[str, str]) -> str | None:
    """The Procfile platform this process runs on, if any (its disk is lost on restart)."""
    return next((name for variable, name in EPHEMERAL_PLATFORMS.items() if environ.get(variable)), None)


def load_settings(**overrides: object) -> Settings:
    """Read the settings once; turn a validation failure into a message naming each setting."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = "_".join(str(part) for part in error["loc"][:1]).upper() or "SETTINGS"
            lines.append(f"  {name}: {error['msg']}")
        raise ConfigError("Invalid configuration:\n" + "\n".join(lines)) from None
