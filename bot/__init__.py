"""Frontbrief: source-attributed news about the war in Ukraine, delivered over Telegram."""

__version__ = "0.1.0"
