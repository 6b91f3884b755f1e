"""leg_rollups: a histogram of finished legs by local day, route, procedure and minute, filled from the legs

Revision ID: 0006_perf
Revises: 0006_custody_2
Create Date: 2026-11-25 10:10:00.000000

"""
from alembic import op
import sqlalchemy as sa
from flask import current_app


# revision identifiers, used by Alembic.
revision = '0006_perf'
down_revision = '0006_custody_2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('leg_rollups',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('from_unit_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('to_unit_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('procedure_code', sa.String(length=64), nullable=False),
    sa.Column('clock', sa.SmallInteger(), autoincrement=False, nullable=False),
    sa.Column('minute', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('legs', sa.Integer(), nullable=False),
    sa.Column('on_time', sa.Integer(), nullable=False),
    sa.Column('max_seconds', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'day', 'from_unit_id', 'to_unit_id', 'procedure_code', 'clock', 'minute',
                            name=op.f('pk_leg_rollups'))
    )
    # The backfill is the very statement that keeps the rollup (one INSERT ... SELECT over the legs).
    from tracker.delays.rollups import rollup_upsert

    bind = op.get_bind()
    bind.execute(rollup_upsert(sa.true(), bind.dialect.name, current_app.config["TRACKER_TIMEZONE"]))


def downgrade():
    op.drop_table('leg_rollups')
