"""Ingest, the first stage: fetch a feed (bounded, conditional GET), decide what its response means
for it (feed policy, pure), parse it (feedparser), clean, identify and language-tag each entry, fetch
full text where asked, and store new articles (the ingest run orchestrates and decides nothing).

May import: storage, bot.config, bot.metrics, bot.logs. Never: bot.nlp, bot.items, bot.digests,
handlers, bot.cli, Telegram."""
