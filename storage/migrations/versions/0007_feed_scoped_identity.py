"""feed-scoped article identity

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

import hashlib

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

BATCH = 1000


def _rekey(scoped: bool) -> None:
    # A URL identity was "u" + the digest of the URL alone, so the first feed to list a URL owned it
    # for every feed; it becomes the digest of feed id and URL (bot.identity.article_identity), so an
    # article stored before the upgrade is still known to its feed after it.
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, feed_id, url FROM article WHERE identity LIKE 'u%' AND url IS NOT NULL")).all()
    for start in range(0, len(rows), BATCH):
        values = [{"id": row.id, "identity": "u" + hashlib.sha256(
            (f"{row.feed_id}\n{row.url}" if scoped else row.url).encode("utf-8")).hexdigest()[:32]}
            for row in rows[start:start + BATCH]]
        conn.execute(sa.text("UPDATE article SET identity = :identity WHERE id = :id"), values)


def upgrade() -> None:
    _rekey(scoped=True)


def downgrade() -> None:
    # Fails where two feeds now hold the same URL: the old key cannot say that.
    _rekey(scoped=False)
