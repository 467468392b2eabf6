"""readings and items

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.models

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('updated_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('event_first', sa.Date(), nullable=True),
    sa.Column('event_last', sa.Date(), nullable=True),
    sa.Column('titles', sa.JSON(), nullable=False),
    sa.Column('article_count', sa.Integer(), nullable=False),
    sa.Column('disputed', sa.Boolean(), nullable=False),
    sa.Column('merged_into', sa.Integer(), nullable=True),
    sa.Column('profile', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.create_index('ix_item_event', ['event_first', 'event_last'], unique=False)
        batch_op.create_index('ix_item_updated', ['updated_at'], unique=False)

    op.create_table('itemkey',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], ),
    sa.PrimaryKeyConstraint('key', 'day', 'item_id')
    )
    with op.batch_alter_table('itemkey', schema=None) as batch_op:
        batch_op.create_index('ix_itemkey_item', ['item_id'], unique=False)

    op.create_table('itemplace',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], ),
    sa.PrimaryKeyConstraint('item_id', 'slug')
    )
    with op.batch_alter_table('itemplace', schema=None) as batch_op:
        batch_op.create_index('ix_itemplace_region', ['region'], unique=False)
        batch_op.create_index('ix_itemplace_slug', ['slug'], unique=False)

    op.create_table('claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('speaker', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('speaker_start', sa.Integer(), nullable=True),
    sa.Column('speaker_end', sa.Integer(), nullable=True),
    sa.Column('cue', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('stance', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('side', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('content_start', sa.Integer(), nullable=True),
    sa.Column('content_end', sa.Integer(), nullable=True),
    sa.Column('event_date', sa.Date(), nullable=True),
    sa.Column('numbers', sa.JSON(), nullable=False),
    sa.Column('places', sa.JSON(), nullable=False),
    sa.Column('refers_to', sa.Integer(), nullable=True),
    sa.Column('carried', sa.Boolean(), nullable=False),
    sa.Column('disputed', sa.Boolean(), nullable=False),
    sa.Column('unverified', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], ),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.create_index('ix_claim_article', ['article_id'], unique=False)
        batch_op.create_index('ix_claim_event_date', ['event_date'], unique=False)
        batch_op.create_index('ix_claim_item', ['item_id'], unique=False)

    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('read_at', storage.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('event_first', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('event_last', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('item_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('features', sa.JSON(), server_default='{}', nullable=False))
        batch_op.create_index(batch_op.f('ix_article_item_id'), ['item_id'], unique=False)
        batch_op.create_foreign_key('fk_article_item', 'item', ['item_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_constraint('fk_article_item', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_article_item_id'))
        batch_op.drop_column('features')
        batch_op.drop_column('item_id')
        batch_op.drop_column('event_last')
        batch_op.drop_column('event_first')
        batch_op.drop_column('read_at')

    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.drop_index('ix_claim_item')
        batch_op.drop_index('ix_claim_event_date')
        batch_op.drop_index('ix_claim_article')

    op.drop_table('claim')
    with op.batch_alter_table('itemplace', schema=None) as batch_op:
        batch_op.drop_index('ix_itemplace_slug')
        batch_op.drop_index('ix_itemplace_region')

    op.drop_table('itemplace')
    with op.batch_alter_table('itemkey', schema=None) as batch_op:
        batch_op.drop_index('ix_itemkey_item')

    op.drop_table('itemkey')
    with op.batch_alter_table('item', schema=None) as batch_op:
        batch_op.drop_index('ix_item_updated')
        batch_op.drop_index('ix_item_event')

    op.drop_table('item')
