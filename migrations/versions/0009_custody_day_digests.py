"""Closed days' digests of the custody record, kept once computed; an index on recorded_at

Revision ID: 0009_day_digests
Revises: 0008_newest_first
Create Date: 2026-11-25 14:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009_day_digests'
down_revision = '0008_newest_first'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_custody_events_recorded_at', 'custody_events', ['recorded_at'])
    op.create_table(
        'custody_day_digests',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('events', sa.Integer(), nullable=False),
        sa.Column('root', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('day', name=op.f('pk_custody_day_digests')),
    )


def downgrade():
    op.drop_table('custody_day_digests')
    op.drop_index('ix_custody_events_recorded_at', table_name='custody_events')
