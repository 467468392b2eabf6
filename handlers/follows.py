"""Follows and alerts: /follow, /unfollow and /following."""

from __future__ import annotations

from bot.digests.replies import Reply
from bot.digests.tgtext import escape
from bot.i18n import t
from handlers.context import Desk, Incoming
from storage import deliveries
from storage.db import session_scope


def follow(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """Follow a place: alerts soon after news about it."""
    lang = desk.settings(msg).language
    if not args:
        return [Reply(t(lang, "follow.usage"))]
    place = desk.gazetteer.resolve(args)
    if place is None:
        return [Reply(escape(t(lang, "follow.unknown", name=args[:60])))]
    with session_scope(desk.engine) as session:
        deliveries.follow(session, msg.chat_id, place.slug, desk.clock())
    return [Reply(escape(t(lang, "follow.done", place=place.name_nl if lang == "nl" else place.name)))]


def unfollow(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """Stop following a place."""
    lang = desk.language(msg)
    place = desk.gazetteer.resolve(args) if args else None
    if place is None:
        return [Reply(t(lang, "follow.usage"))]
    with session_scope(desk.engine) as session:
        done = deliveries.unfollow(session, msg.chat_id, place.slug)
    name = place.name_nl if lang == "nl" else place.name
    return [Reply(escape(t(lang, ("unfollow.done" if done else "unfollow.none"), place=name)))]


def following(desk: Desk, msg: Incoming, args: str) -> list[Reply]:
    """The places a chat follows."""
    lang = desk.language(msg)
    with session_scope(desk.engine) as session:
        slugs = deliveries.following(session, msg.chat_id)
    if not slugs:
        return [Reply(t(lang, "following.none"))]
    gazetteer = desk.gazetteer
    names = ", ".join(f"{gazetteer.get(s).name} (/{s})" for s in slugs if gazetteer.get(s))
    return [Reply(escape(t(lang, "following.list", places=names)))]
