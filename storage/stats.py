"""Counts for the operator's gauges, read at scrape time."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Article, Delivery, Feed, Item, Subscriber


def store_figures(session: Session, now: datetime) -> dict[str, float]:
    """Feeds ok and failing, articles (all, and fetched in the last hour), items, subscribers, and the
    age in seconds of the oldest digest claimed but not yet sent."""
    def count(statement) -> int:
        return session.exec(statement).one()

    claimed = session.exec(select(func.min(Delivery.window_end))
                           .where(col(Delivery.status).in_(("claimed", "paused")))).one()
    return {
        "feeds_ok": count(select(func.count()).select_from(Feed).where(Feed.active, Feed.error_count == 0)),
        "feeds_failing": count(select(func.count()).select_from(Feed).where(Feed.error_count > 0)),
        "articles": count(select(func.count()).select_from(Article)),
        "articles_last_hour": count(select(func.count()).select_from(Article)
                                    .where(Article.fetched_at > now - timedelta(minutes=60))),
        "items": count(select(func.count()).select_from(Item).where(Item.merged_into == None)),  # noqa: E711
        "subscribers": count(select(func.count()).select_from(Subscriber)
                             .where(Subscriber.subscribed, Subscriber.active)),
        "delivery_lag_seconds": (now - claimed).total_seconds() if claimed else 0.0,
    }
