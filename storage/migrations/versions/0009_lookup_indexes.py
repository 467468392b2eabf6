"""covering indexes for the place, region and date look-ups

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The look-ups find item ids (by place or by claim date), then want the newest 20 of them. With
    # (id, updated_at) that ordering is read from the index alone, one probe per id; without it
    # PostgreSQL scans the whole item table (wide rows: titles, profile) to hash-join a few hundred ids.
    op.create_index('ix_item_id_updated', 'item', ['id', 'updated_at'])
    # The date look-up reads (event_date, item_id) from the index alone; the old index on event_date
    # is its prefix, so it goes.
    op.create_index('ix_claim_event_item', 'claim', ['event_date', 'item_id'])
    op.drop_index('ix_claim_event_date', table_name='claim')


def downgrade() -> None:
    op.create_index('ix_claim_event_date', 'claim', ['event_date'])
    op.drop_index('ix_claim_event_item', table_name='claim')
    op.drop_index('ix_item_id_updated', table_name='item')
