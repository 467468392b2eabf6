"""The command line, the top of the house: run, demo, ingest, feeds, chat, digest, query, extract and
eval; the tables it prints; the console chat (the same command registry as Telegram).

May import everything below it. Nothing imports it but `python -m bot`."""
