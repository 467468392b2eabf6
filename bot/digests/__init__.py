"""Digests and replies: when a chat's digest is due (schedule, pure), what a digest or an answer
says (compose and replies, pure, Telegram HTML), and the sender (the only module that sends digests
and alerts to Telegram).

May import: bot.items, bot.nlp, storage, bot.i18n, bot.metrics. Never: bot.ingest, handlers, bot.cli."""
