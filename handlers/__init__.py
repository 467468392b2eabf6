"""Telegram handlers: each parses an update, calls the Frontdesk, and replies."""
