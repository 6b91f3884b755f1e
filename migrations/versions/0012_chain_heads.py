"""Each custody chain's head on its own row: items.chain_head and transfers.chain_head, filled from the events

Revision ID: 0012_chain_heads
Revises: 0011_leg_histograms
Create Date: 2026-11-25 16:20:00.000000

Sealing an event then reads its predecessor's hash from the row it has locked anyway,
instead of looking for the chain's latest event.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_chain_heads'
down_revision = '0011_leg_histograms'
branch_labels = None
depends_on = None

HEADS = {
    'items': 'e.item_id = items.id',
    'transfers': 'e.item_id IS NULL AND e.transfer_id = transfers.id',
}


def upgrade():
    for table, chain in HEADS.items():
        op.add_column(table, sa.Column('chain_head', sa.String(length=64), nullable=True))
        op.execute(f'UPDATE {table} SET chain_head = (SELECT e.content_hash FROM custody_events e '
                   f'WHERE {chain} ORDER BY e.id DESC LIMIT 1)')


def downgrade():
    for table in HEADS:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('chain_head')
