"""Delays on a year of history: partial indexes on transit legs reported missing and on open dossiers by due date

Revision ID: 0013_delay_indexes
Revises: 0012_chain_heads
Create Date: 2026-11-25 17:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_delay_indexes'
down_revision = '0012_chain_heads'
branch_labels = None
depends_on = None

MISSING_TRANSITS = sa.text("kind = 'transit' AND outcome = 'missing'")
OPEN = sa.text("status = 'open'")


def upgrade():
    op.create_index('ix_legs_missing', 'legs', ['item_id'],
                    postgresql_where=MISSING_TRANSITS, sqlite_where=MISSING_TRANSITS)
    op.create_index('ix_dossiers_open_due', 'dossiers', ['due_clock'], postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade():
    op.drop_index('ix_dossiers_open_due', table_name='dossiers')
    op.drop_index('ix_legs_missing', table_name='legs')
