"""When each dossier's department first sent anything on, so that the dossiers at risk are a range of one partial index

Revision ID: 0015_dossier_answered
Revises: 0014_leg_limits
Create Date: 2026-12-02 18:45:00.000000

"""
import sqlalchemy as sa
from alembic import op

import tracker.database

# revision identifiers, used by Alembic.
revision = '0015_dossier_answered'
down_revision = '0014_leg_limits'
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'open'")
UNANSWERED = sa.text("status = 'open' AND answered_at IS NULL")


def upgrade():
    with op.batch_alter_table('dossiers') as batch_op:
        batch_op.add_column(sa.Column('answered_at', tracker.database.UTCDateTime(timezone=True), nullable=True))
    # The backfill reads the legs as the custody record keeps answered_at from now on.
    from tracker.custody.legs import record_answers

    op.get_bind().execute(record_answers())
    op.drop_index('ix_dossiers_open_due', table_name='dossiers')
    op.create_index('ix_dossiers_unanswered_due', 'dossiers', ['due_clock'],
                    postgresql_where=UNANSWERED, sqlite_where=UNANSWERED)


def downgrade():
    op.drop_index('ix_dossiers_unanswered_due', table_name='dossiers')
    op.create_index('ix_dossiers_open_due', 'dossiers', ['due_clock'], postgresql_where=OPEN, sqlite_where=OPEN)
    with op.batch_alter_table('dossiers') as batch_op:
        batch_op.drop_column('answered_at')
