"""Logging: one line per event (plain or JSON), and no secret ever written: the bot token appears
in Bot API URLs and in exception text (python-telegram-bot's InvalidToken carries it), so the
formatter scrubs everything it writes, message and traceback alike, and an exception nobody caught
is logged through the same formatter instead of Python's own traceback printer."""

from __future__ import annotations

import json
import logging
import sys
import threading
from datetime import UTC, datetime

MARK = "[redacted]"


class Redact(logging.Filter):
    """Replaces each secret in a record's message with a mark (the formatter scrubs the rest)."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            record.msg, record.args = scrub(record.getMessage(), self.secrets), ()
        return True


def scrub(text: str, secrets: list[str]) -> str:
    """Text with every secret (also as JSON would escape it) replaced by the mark."""
    for secret in secrets:
        text = text.replace(secret, MARK)
        quoted = json.dumps(secret, ensure_ascii=False)[1:-1]
        if quoted != secret:
            text = text.replace(quoted, MARK)
    return text


class Scrubbing(logging.Formatter):
    """Another formatter's output with every secret removed: message, traceback, stack and all."""

    def __init__(self, inner: logging.Formatter, secrets: list[str]) -> None:
        super().__init__()
        self.inner, self.secrets = inner, [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        return scrub(self.inner.format(record), self.secrets)


class JsonLines(logging.Formatter):
    """A log record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _log_uncaught(kind: type[BaseException], value: BaseException, tb) -> None:
    """An exception nobody caught: through logging (scrubbed), not printed raw to stderr."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    logging.getLogger("frontbrief").critical("uncaught exception", exc_info=(kind, value, tb))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    """The same for a thread's exception."""
    if args.exc_type is not SystemExit:
        logging.getLogger("frontbrief").critical("uncaught exception in thread %s", getattr(args.thread, "name", "?"),
                                                 exc_info=(args.exc_type, args.exc_value, args.exc_traceback))


class StderrHandler(logging.StreamHandler):
    """Writes to sys.stderr as it is when a record comes, not as it was at setup: whoever swaps the
    stream (a daemon, a test's capture) does not leave the logs writing to a closed file."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def setup(level: str, fmt: str, secrets: list[str]) -> None:
    """Configure the root logger once, at the edge."""
    handler = StderrHandler()
    inner = JsonLines() if fmt == "json" else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler.setFormatter(Scrubbing(inner, secrets))
    handler.addFilter(Redact(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    sys.excepthook, threading.excepthook = _log_uncaught, _log_uncaught_in_thread
    for noisy in ("httpx", "alembic", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
