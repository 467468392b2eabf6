"""awaiting answers

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A command that asked for its argument (/place, /times without one) waits here for the chat's
    # next message: in the database, so that any of several bot processes can take the answer.
    op.create_table(
        'awaiting',
        sa.Column('chat_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('command', sa.String(length=32), nullable=False),
        sa.Column('since', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('chat_id'),
    )


def downgrade() -> None:
    op.drop_table('awaiting')
