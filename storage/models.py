"""All tables, in one module (SQLModel). Times are stored as naive UTC and read back as aware UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import JSON, BigInteger, Column, Date, DateTime, Index, Text, UniqueConstraint, text
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator):
    """A timestamp that is always UTC, whatever the database keeps of time zones."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        """Store naive UTC; refuse naive input, which would be ambiguous."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        """Read back as aware UTC."""
        return value.replace(tzinfo=UTC) if value is not None else None


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def _time(nullable: bool = True, index: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class Feed(SQLModel, table=True):
    """A news feed we poll, with the state the fetcher keeps for it."""

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2048, unique=True)
    name: str = Field(max_length=200)
    language: str | None = Field(default=None, max_length=8)
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    fulltext: bool = False
    active: bool = True
    removed_at: datetime | None = Field(default=None, sa_column=_time())
    etag: str | None = Field(default=None, max_length=512)
    last_modified: str | None = Field(default=None, max_length=128)
    ttl_minutes: int | None = None
    error_count: int = 0
    last_status: str | None = Field(default=None, max_length=32)
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    last_fetched_at: datetime | None = Field(default=None, sa_column=_time())
    last_success_at: datetime | None = Field(default=None, sa_column=_time())
    next_fetch_at: datetime | None = Field(default=None, sa_column=_time(index=True))
    lease_until: datetime | None = Field(default=None, sa_column=_time())
    lease_holder: str | None = Field(default=None, max_length=80)  # host:pid of the run holding the lease
    created_at: datetime = Field(default_factory=utcnow, sa_column=_time(nullable=False))


class Article(SQLModel, table=True):
    """One entry of one feed, cleaned; identity is unique and names the feed (see bot.ingest.identity)."""

    __table_args__ = (
        UniqueConstraint("feed_id", "guid", name="uq_article_feed_guid"),
        Index("ix_article_published", "published_at"),
        # Every ingest run looks for articles stored and never read: few, among very many.
        Index("ix_article_unread", "id", sqlite_where=text("read_at IS NULL"), postgresql_where=text("read_at IS NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    feed_id: int = Field(foreign_key="feed.id", index=True)
    identity: str = Field(max_length=64, unique=True)
    url: str | None = Field(default=None, max_length=2048)
    link: str | None = Field(default=None, max_length=2048)
    guid: str | None = Field(default=None, max_length=512)
    content_hash: str = Field(max_length=64, index=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    summary: str = Field(default="", sa_column=Column(Text, nullable=False))
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    author: str | None = Field(default=None, max_length=300)
    language: str | None = Field(default=None, max_length=8)
    published_at: datetime | None = Field(default=None, sa_column=_time())
    fetched_at: datetime = Field(sa_column=_time(nullable=False))
    read_at: datetime | None = Field(default=None, sa_column=_time())
    read_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # read, but failed
    read_attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # tries begun
    event_first: date | None = None
    event_last: date | None = None
    item_id: int | None = Field(default=None, foreign_key="item.id", index=True)
    features: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}"))


class Item(SQLModel, table=True):
    """One event as reported by any number of articles, in any language."""

    # ix_item_id_updated: the look-ups pick the newest of a set of item ids from the index alone.
    __table_args__ = (Index("ix_item_updated", "updated_at"), Index("ix_item_event", "event_first", "event_last"),
                      Index("ix_item_id_updated", "id", "updated_at"))

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(sa_column=_time(nullable=False))
    updated_at: datetime = Field(sa_column=_time(nullable=False))
    event_first: date | None = None
    event_last: date | None = None
    titles: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    article_count: int = 0
    disputed: bool = False
    merged_into: int | None = None
    profile: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ItemPlace(SQLModel, table=True):
    """A place an item is about, with the region that contains it (for region queries)."""

    # (slug, item_id), (region, item_id): a place look-up reads the item ids from the index alone.
    __table_args__ = (Index("ix_itemplace_slug_item", "slug", "item_id"),
                      Index("ix_itemplace_region_item", "region", "item_id"))

    item_id: int = Field(foreign_key="item.id", primary_key=True)
    slug: str = Field(max_length=40, primary_key=True)
    region: str | None = Field(default=None, max_length=40)


class ItemKey(SQLModel, table=True):
    """A cheap candidate key of an item on one event day: place, number, actor, text band, content hash."""

    __table_args__ = (Index("ix_itemkey_item", "item_id"),)

    key: str = Field(max_length=80, primary_key=True)
    day: date = Field(primary_key=True)
    item_id: int = Field(foreign_key="item.id", primary_key=True)


class Claim(SQLModel, table=True):
    """A statement found in an article: who says what, with numbers, places and the event date."""

    __table_args__ = (Index("ix_claim_event_item", "event_date", "item_id"), Index("ix_claim_item", "item_id"),
                      Index("ix_claim_article", "article_id"))

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id")
    item_id: int | None = Field(default=None, foreign_key="item.id")
    position: int
    speaker: str | None = Field(default=None, max_length=300)
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = Field(default=None, max_length=80)
    stance: str = Field(max_length=16)
    actor: str = Field(max_length=40)
    side: str = Field(max_length=8)
    content: str = Field(default="", sa_column=Column(Text, nullable=False))
    content_start: int | None = None
    content_end: int | None = None
    event_date: date | None = None
    numbers: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    places: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    refers_to: int | None = None
    carried: bool = False
    disputed: bool = False
    unverified: bool = False


class Subscriber(SQLModel, table=True):
    """A Telegram chat (a person or a group) and its settings."""

    chat_id: int = Field(primary_key=True, sa_type=BigInteger, sa_column_kwargs={"autoincrement": False})
    chat_type: str = Field(default="private", max_length=16)
    language: str = Field(default="en", max_length=8)
    times: list = Field(default_factory=lambda: ["08:00", "13:00", "19:00"], sa_column=Column(JSON, nullable=False))
    timezone: str = Field(default="Europe/Amsterdam", max_length=64)
    subscribed: bool = False
    active: bool = True  # false once the chat blocked the bot or was deleted
    created_at: datetime = Field(default_factory=utcnow, sa_column=_time(nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_time(nullable=False))
    last_digest_at: datetime | None = Field(default=None, sa_column=_time())
    notify_empty: bool = False  # send "no news" when a window has none
    # The first digest time after the last digest, as the sender worked it out; None: to be worked out
    # again (a new chat, changed settings). The sender reads only rows due by it, not every chat.
    next_due_at: datetime | None = Field(default=None, sa_column=_time())

    __table_args__ = (Index("ix_subscriber_next_due", "next_due_at"),)


class Awaiting(SQLModel, table=True):
    """A command that asked for its argument and takes the chat's next message as it (/place, /times)."""

    chat_id: int = Field(primary_key=True, sa_type=BigInteger, sa_column_kwargs={"autoincrement": False})
    command: str = Field(max_length=32)
    since: datetime = Field(sa_column=_time(nullable=False))


class Follow(SQLModel, table=True):
    """A place a chat follows: a short alert soon after news about it arrives."""

    chat_id: int = Field(primary_key=True, sa_type=BigInteger, sa_column_kwargs={"autoincrement": False})
    slug: str = Field(primary_key=True, max_length=40)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_time(nullable=False))
    alerted_at: datetime | None = Field(default=None, sa_column=_time())


class Delivery(SQLModel, table=True):
    """One digest for one chat and one window: claimed before sending, marked after, so a fan-out that
    stops halfway resumes without sending anything twice."""

    __table_args__ = (UniqueConstraint("chat_id", "window_end", name="uq_delivery_chat_window"),
                      Index("ix_delivery_status", "status", "claimed_at"))

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger)
    language: str = Field(max_length=8)
    window_start: datetime = Field(sa_column=_time(nullable=False))
    window_end: datetime = Field(sa_column=_time(nullable=False))
    status: str = Field(default="claimed", max_length=16)  # claimed, sending, paused, sent, empty, blocked, failed
    parts: int = 0
    parts_sent: int = 0
    attempts: int = 0
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    claimed_at: datetime = Field(sa_column=_time(nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=_time())


class JobLease(SQLModel, table=True):
    """Who runs a job that must run once at a time across processes, and until when."""

    name: str = Field(primary_key=True, max_length=40)
    holder: str = Field(max_length=80)
    until: datetime = Field(sa_column=_time(nullable=False))


class ClaimTranslation(SQLModel, table=True):
    """A claim's wording machine-translated into one reader's language (made once, then read)."""

    __tablename__ = "claim_translation"

    claim_id: int = Field(foreign_key="claim.id", primary_key=True)
    language: str = Field(max_length=8, primary_key=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_time(nullable=False))
