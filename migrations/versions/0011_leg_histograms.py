"""The rollup's compact level: whole histograms of closed days and months, and which periods are compacted

Revision ID: 0011_leg_histograms
Revises: 0010_open_legs
Create Date: 2026-11-25 16:30:00.000000

The worker fills them (`flask worker`); until it has, the reports read `leg_rollups`.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_leg_histograms'
down_revision = '0010_open_legs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'compacted_periods',
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('grain', sa.String(length=8), nullable=False),
        sa.Column('period', sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'grain', 'period', name=op.f('pk_compacted_periods')),
    )
    op.create_table(
        'leg_histograms',
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('dimension', sa.String(length=16), nullable=False),
        sa.Column('grain', sa.String(length=8), nullable=False),
        sa.Column('period', sa.Date(), nullable=False),
        sa.Column('from_unit_id', sa.Integer(), nullable=False),
        sa.Column('to_unit_id', sa.Integer(), nullable=False),
        sa.Column('procedure_code', sa.String(length=64), nullable=False),
        sa.Column('legs', sa.Integer(), nullable=False),
        sa.Column('on_time', sa.Integer(), nullable=False),
        sa.Column('max_seconds', sa.BigInteger(), nullable=False),
        sa.Column('working', sa.LargeBinary(), nullable=False),
        sa.Column('wall', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'dimension', 'grain', 'period', 'from_unit_id', 'to_unit_id',
                                'procedure_code', name=op.f('pk_leg_histograms')),
    )


def downgrade():
    op.drop_table('leg_histograms')
    op.drop_table('compacted_periods')
