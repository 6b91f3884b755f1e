"""The leg histograms' totals in an index of their own, so that a year of weekly totals never reads the histograms

Revision ID: 0016_leg_histogram_totals
Revises: 0015_dossier_answered
Create Date: 2026-12-03 18:55:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_leg_histogram_totals'
down_revision = '0015_dossier_answered'
branch_labels = None
depends_on = None

TOTALS_COLUMNS = ['from_unit_id', 'to_unit_id', 'procedure_code', 'legs', 'on_time', 'max_seconds']


def upgrade():
    op.create_index('ix_leg_histograms_totals', 'leg_histograms', ['dimension', 'kind', 'grain', 'period'],
                    postgresql_include=TOTALS_COLUMNS)


def downgrade():
    op.drop_index('ix_leg_histograms_totals', table_name='leg_histograms')
