"""Delays stay fast as history grows: partial indexes on open transit and dwell legs; legs by dossier, kind and sender

Revision ID: 0010_open_legs
Revises: 0009_day_digests
Create Date: 2026-11-25 15:15:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_open_legs'
down_revision = '0009_day_digests'
branch_labels = None
depends_on = None

KINDS = ('transit', 'dwell')


def upgrade():
    for kind in KINDS:
        where = sa.text(f"end_clock IS NULL AND kind = '{kind}'")
        op.create_index(f'ix_legs_open_{kind}', 'legs', ['from_unit_id', 'start_clock'],
                        postgresql_where=where, sqlite_where=where)
    op.drop_index('ix_legs_open_by_unit', table_name='legs')
    op.create_index('ix_legs_dossier_answer', 'legs', ['dossier_id', 'kind', 'from_unit_id'])
    op.drop_index('ix_legs_dossier_id', table_name='legs')


def downgrade():
    op.create_index('ix_legs_dossier_id', 'legs', ['dossier_id'])
    op.drop_index('ix_legs_dossier_answer', table_name='legs')
    op.create_index('ix_legs_open_by_unit', 'legs', ['kind', 'end_clock', 'from_unit_id', 'start_clock'])
    for kind in KINDS:
        op.drop_index(f'ix_legs_open_{kind}', table_name='legs')
