"""The end of the journey: delivery records (recipient, signature, failed attempts) and dossier returns

Revision ID: 0006_delivery
Revises: 0006_counter
Create Date: 2026-11-25 10:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006_delivery'
down_revision = '0006_counter'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'delivery_records',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('recipient_kind', sa.String(length=16), nullable=True),
        sa.Column('recipient_name', sa.String(length=200), nullable=True),
        sa.Column('id_last_digits', sa.String(length=8), nullable=True),
        sa.Column('signature_png', sa.LargeBinary(), nullable=True),
        sa.Column('reason_code', sa.String(length=32), nullable=True),
        sa.Column('reason_text', sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['custody_events.id'], name=op.f('fk_delivery_records_event_id_custody_events')),
        sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_delivery_records_item_id_items')),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_delivery_records_unit_id_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_records')),
        sa.UniqueConstraint('event_id', name=op.f('uq_delivery_records_event_id')),
    )
    with op.batch_alter_table('delivery_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_records_item_id'), ['item_id'], unique=False)

    op.create_table(
        'dossier_returns',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dossier_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('withdrawn', sa.Boolean(), nullable=False),
        sa.Column('reason_code', sa.String(length=32), nullable=False),
        sa.Column('reason_text', sa.String(length=500), nullable=True),
        sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_returns_dossier_id_dossiers')),
        sa.ForeignKeyConstraint(['event_id'], ['custody_events.id'], name=op.f('fk_dossier_returns_event_id_custody_events')),
        sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_dossier_returns_item_id_items')),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_dossier_returns_unit_id_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_returns')),
        sa.UniqueConstraint('dossier_id', name=op.f('uq_dossier_returns_dossier_id')),
        sa.UniqueConstraint('event_id', name=op.f('uq_dossier_returns_event_id')),
    )
    with op.batch_alter_table('dossier_returns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_returns_occurred_at'), ['occurred_at'], unique=False)


def downgrade():
    with op.batch_alter_table('dossier_returns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_returns_occurred_at'))
    op.drop_table('dossier_returns')
    with op.batch_alter_table('delivery_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_records_item_id'))
    op.drop_table('delivery_records')
