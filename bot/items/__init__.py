"""Items, after reading: the read-and-group stage (stored articles → read → one item per event),
grouping (pure), what an item's claims say of each other (disputes, pure), and the lookups that
turn items into answers for a place or a day.

May import: bot.nlp, storage, bot.i18n. Never: bot.ingest, bot.digests, handlers, bot.cli, Telegram."""
