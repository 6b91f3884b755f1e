"""A transfer keeps its count of manifest lines, so that a scan does not count them; the index on
transfer_items.transfer_id goes (the unique transfer-and-item index leads with it)

Revision ID: 0018_transfer_item_count
Revises: 0017_worst_delays_first
Create Date: 2026-12-04 15:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018_transfer_item_count'
down_revision = '0017_worst_delays_first'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('transfers') as batch_op:
        batch_op.add_column(sa.Column('item_count', sa.Integer(), server_default=sa.text('0'), nullable=False))
    op.execute(
        "UPDATE transfers SET item_count = (SELECT count(*) FROM transfer_items"
        " WHERE transfer_items.transfer_id = transfers.id AND transfer_items.on_manifest)"
    )
    op.drop_index('ix_transfer_items_transfer_id', table_name='transfer_items')


def downgrade():
    op.create_index('ix_transfer_items_transfer_id', 'transfer_items', ['transfer_id'])
    with op.batch_alter_table('transfers') as batch_op:
        batch_op.drop_column('item_count')
