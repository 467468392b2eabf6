"""claim translations

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A claim's wording machine-translated into a reader's language, kept so that each claim is
    # translated once per language, whoever asks and however often.
    op.create_table(
        'claim_translation',
        sa.Column('claim_id', sa.Integer(), sa.ForeignKey('claim.id'), primary_key=True),
        sa.Column('language', sa.String(length=8), primary_key=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('claim_translation')
