"""reading state and lease holders

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An article that could not be read keeps why (and is not tried again); read_attempts counts the
    # tries begun, so an article that takes its process down is given up after a few.
    with op.batch_alter_table('article') as batch:
        batch.add_column(sa.Column('read_error', sa.Text(), nullable=True))
        batch.add_column(sa.Column('read_attempts', sa.Integer(), nullable=False, server_default='0'))
    unread = sa.text('read_at IS NULL')  # the few articles each run looks for, among very many
    op.create_index('ix_article_unread', 'article', ['id'], sqlite_where=unread, postgresql_where=unread)
    # Who holds a feed's lease (host:pid), so that the lease of a process that died is recognised.
    with op.batch_alter_table('feed') as batch:
        batch.add_column(sa.Column('lease_holder', sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('feed') as batch:
        batch.drop_column('lease_holder')
    op.drop_index('ix_article_unread', table_name='article')
    with op.batch_alter_table('article') as batch:
        batch.drop_column('read_attempts')
        batch.drop_column('read_error')
