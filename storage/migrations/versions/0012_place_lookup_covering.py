"""covering indexes for the place and region look-ups

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A place look-up wants only the item ids of a slug or a region. With item_id in the index they
    # are read from it alone; with the slug (or region) alone PostgreSQL visits a table page for
    # almost every id (a bitmap heap scan of ~650 pages for one town at 1M claims). The old indexes
    # are prefixes of the new ones, so they go.
    op.create_index('ix_itemplace_slug_item', 'itemplace', ['slug', 'item_id'])
    op.create_index('ix_itemplace_region_item', 'itemplace', ['region', 'item_id'])
    op.drop_index('ix_itemplace_slug', table_name='itemplace')
    op.drop_index('ix_itemplace_region', table_name='itemplace')


def downgrade() -> None:
    op.create_index('ix_itemplace_region', 'itemplace', ['region'])
    op.create_index('ix_itemplace_slug', 'itemplace', ['slug'])
    op.drop_index('ix_itemplace_region_item', table_name='itemplace')
    op.drop_index('ix_itemplace_slug_item', table_name='itemplace')
