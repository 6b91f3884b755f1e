"""Each leg's route limit in working seconds, and the delays as index ranges: open legs by the moment they become late, finished legs that ran late by when they ended

Revision ID: 0014_leg_limits
Revises: 0013_delay_indexes
Create Date: 2026-12-02 17:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_leg_limits'
down_revision = '0013_delay_indexes'
branch_labels = None
depends_on = None

OPEN_WITH_LIMIT = sa.text("end_clock IS NULL AND limit_seconds IS NOT NULL")
FINISHED_LATE = sa.text("end_clock > start_clock + limit_seconds")


def upgrade():
    with op.batch_alter_table('legs') as batch_op:
        batch_op.add_column(sa.Column('limit_seconds', sa.BigInteger(), nullable=True))
    # The backfill is the very statement that sets the limits again when they change.
    from tracker.delays.leg_limits import judge_legs

    op.get_bind().execute(judge_legs())
    op.create_index('ix_legs_late_at', 'legs', [sa.text('(start_clock + limit_seconds)')],
                    postgresql_where=OPEN_WITH_LIMIT, sqlite_where=OPEN_WITH_LIMIT)
    op.create_index('ix_legs_finished_late', 'legs', ['ended_at'],
                    postgresql_where=FINISHED_LATE, sqlite_where=FINISHED_LATE)


def downgrade():
    op.drop_index('ix_legs_finished_late', table_name='legs')
    op.drop_index('ix_legs_late_at', table_name='legs')
    with op.batch_alter_table('legs') as batch_op:
        batch_op.drop_column('limit_seconds')
