"""subscriber next due

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

import storage.models

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing rows start with NULL: the next fan-out works their next digest time out once.
    with op.batch_alter_table('subscriber') as batch:
        batch.add_column(sa.Column('next_due_at', storage.models.UTCDateTime(), nullable=True))
        batch.create_index('ix_subscriber_next_due', ['next_due_at'])


def downgrade() -> None:
    with op.batch_alter_table('subscriber') as batch:
        batch.drop_index('ix_subscriber_next_due')
        batch.drop_column('next_due_at')
