"""Indexes that let delays skip departments' open legs and reports read legs from an index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 00:05:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

REPORT_COLUMNS = ['kind', 'outcome', 'ended_at', 'from_unit_id', 'to_unit_id', 'start_clock', 'end_clock',
                  'wall_seconds']


def upgrade():
    with op.batch_alter_table('legs', schema=None) as batch_op:
        batch_op.drop_index('ix_legs_kind_open_clock')
        batch_op.create_index('ix_legs_open_by_unit', ['kind', 'end_clock', 'from_unit_id', 'start_clock'], unique=False)
        batch_op.create_index('ix_legs_report', REPORT_COLUMNS, unique=False)


def downgrade():
    with op.batch_alter_table('legs', schema=None) as batch_op:
        batch_op.drop_index('ix_legs_report')
        batch_op.drop_index('ix_legs_open_by_unit')
        batch_op.create_index('ix_legs_kind_open_clock', ['kind', 'end_clock', 'start_clock'], unique=False)
