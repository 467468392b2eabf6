"""Counts for the operator's gauges: the cheap ones read at scrape time, the full counts by a job."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Article, Delivery, Feed, Item, Subscriber


def live_figures(session: Session, now: datetime) -> dict[str, float]:
    """What a scrape may read every time, because it is cheap: feeds ok and failing (the feed table
    has a row per outlet, not per article) and the age in seconds of the oldest digest claimed but not
    yet sent (the status index)."""
    claimed = session.exec(select(func.min(Delivery.window_end))
                           .where(col(Delivery.status).in_(("claimed", "sending", "paused")))).one()
    ok, failing = session.exec(select(func.count().filter(Feed.active, Feed.error_count == 0),
                                      func.count().filter(Feed.error_count > 0)).select_from(Feed)).one()
    return {"feeds_ok": ok, "feeds_failing": failing,
            "delivery_lag_seconds": (now - claimed).total_seconds() if claimed else 0.0}


def stored_figures(session: Session, now: datetime) -> dict[str, float]:
    """The full counts: articles (all, and fetched in the last hour), items and subscribers. They
    walk big tables: a job makes them every few minutes, never a scrape."""
    def count(statement) -> int:
        return session.exec(statement).one()

    return {
        "articles": count(select(func.count()).select_from(Article)),
        "articles_last_hour": count(select(func.count()).select_from(Article)
                                    .where(Article.fetched_at > now - timedelta(minutes=60))),
        "items": count(select(func.count()).select_from(Item).where(Item.merged_into == None)),  # noqa: E711
        "subscribers": count(select(func.count()).select_from(Subscriber)
                             .where(Subscriber.subscribed, Subscriber.active)),
    }
