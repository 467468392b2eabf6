"""Logging: one line per event (plain or JSON), and no secret ever written (the bot token appears
in Bot API URLs, so every record is scrubbed)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime


class Redact(logging.Filter):
    """Replaces each secret in a record's message with a mark."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            for secret in self.secrets:
                message = message.replace(secret, "[redacted]")
            record.msg, record.args = message, ()
        return True


class JsonLines(logging.Formatter):
    """A log record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def setup(level: str, fmt: str, secrets: list[str]) -> None:
    """Configure the root logger once, at the edge."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines() if fmt == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(Redact(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "alembic", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
