"""The delays worst first without sorting them all: open legs by kind, limit and start; transits
reported missing by limit and start; legs finished late by working day and how late; on
PostgreSQL, the dossiers at risk read from their index alone

Revision ID: 0017_worst_delays_first
Revises: 0016_leg_histogram_totals
Create Date: 2026-12-03 21:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_worst_delays_first'
down_revision = '0016_leg_histogram_totals'
branch_labels = None
depends_on = None

OPEN_WITH_LIMIT = sa.text("end_clock IS NULL AND limit_seconds IS NOT NULL")
MISSING_TRANSITS = sa.text("kind = 'transit' AND outcome = 'missing'")
FINISHED_LATE = sa.text("end_clock > start_clock + limit_seconds")
FINISHED_DAY = sa.text("(end_clock / 28800)")
FINISHED_SEVERITY = sa.text("(CAST((end_clock - start_clock) AS FLOAT) / CAST(limit_seconds AS FLOAT))")
OLDEST_FIRST = ['start_clock', 'started_at', 'dossier_id', 'item_id']
UNANSWERED = sa.text("status = 'open' AND answered_at IS NULL")
AT_RISK_READS = ['received_clock', 'received_at', 'department_id', 'id']


def _unanswered_due(**include):
    op.create_index('ix_dossiers_unanswered_due', 'dossiers', ['due_clock'], postgresql_where=UNANSWERED,
                    sqlite_where=UNANSWERED, **include)


def _partial(name, columns, where):
    op.create_index(name, 'legs', columns, postgresql_where=where, sqlite_where=where)


def upgrade():
    _partial('ix_legs_open_limits', ['kind', 'limit_seconds', *OLDEST_FIRST], OPEN_WITH_LIMIT)
    op.drop_index('ix_legs_missing', table_name='legs')
    _partial('ix_legs_missing', ['limit_seconds', *OLDEST_FIRST], MISSING_TRANSITS)
    _partial('ix_legs_finished_worst', [FINISHED_DAY, FINISHED_SEVERITY], FINISHED_LATE)
    op.drop_index('ix_dossiers_unanswered_due', table_name='dossiers')
    _unanswered_due(postgresql_include=AT_RISK_READS)


def downgrade():
    op.drop_index('ix_dossiers_unanswered_due', table_name='dossiers')
    _unanswered_due()
    op.drop_index('ix_legs_finished_worst', table_name='legs')
    op.drop_index('ix_legs_missing', table_name='legs')
    _partial('ix_legs_missing', ['item_id'], MISSING_TRANSITS)
    op.drop_index('ix_legs_open_limits', table_name='legs')
