"""What the bot answers: one module per group of commands (places, settings, follows, privacy, admin),
each command a small function over an explicit context (handlers.context), registered in one table
(handlers.registry) that the Telegram adapter (handlers.adapter) and the console chat both use.

May import: bot.digests, bot.items, bot.nlp, storage, bot.i18n. Never: bot.ingest, bot.cli, bot.app."""
