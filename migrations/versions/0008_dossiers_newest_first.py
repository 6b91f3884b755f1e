"""Dossiers newest first: an index on (received_at, id), the order every dossier listing uses

Revision ID: 0008_newest_first
Revises: 0006_delivery
Create Date: 2026-11-25 14:20:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_newest_first'
down_revision = '0006_delivery'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_dossiers_received_at_id', 'dossiers', ['received_at', 'id'])


def downgrade():
    op.drop_index('ix_dossiers_received_at_id', table_name='dossiers')
