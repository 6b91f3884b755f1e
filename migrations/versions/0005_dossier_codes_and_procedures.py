"""Dossiers registered before the one-stop system numbers them; their revisions; the procedure catalogue

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 10:50:00.000000

"""
import secrets

import sqlalchemy as sa
from alembic import op

from tracker.domain.codes import BODY_ALPHABET, BODY_LENGTH, iso7064_mod37_36

# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def tracking_code() -> str:
    body = 'HS' + ''.join(secrets.choice(BODY_ALPHABET) for _ in range(BODY_LENGTH))
    return body + iso7064_mod37_36(body)


def upgrade():
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tracking_code', sa.String(length=16), nullable=True))
    connection = op.get_bind()
    ids = [row[0] for row in connection.execute(sa.text('SELECT id FROM dossiers'))]
    if ids:
        connection.execute(
            sa.text('UPDATE dossiers SET tracking_code = :code WHERE id = :id'),
            [{'id': dossier_id, 'code': tracking_code()} for dossier_id in ids],
        )
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.alter_column('tracking_code', existing_type=sa.String(length=16), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_dossiers_tracking_code'), ['tracking_code'])
        batch_op.alter_column('code', existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column('due_at', existing_type=sa.DateTime(timezone=True), nullable=True)
        batch_op.alter_column('due_clock', existing_type=sa.BigInteger(), nullable=True)

    op.create_table(
        'dossier_revisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dossier_id', sa.Integer(), nullable=False),
        sa.Column('field', sa.String(length=32), nullable=False),
        sa.Column('old_value', sa.String(length=500), nullable=True),
        sa.Column('new_value', sa.String(length=500), nullable=True),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('changed_by_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_dossier_revisions_changed_by_id_users')),
        sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_revisions_dossier_id_dossiers')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_revisions')),
    )
    with op.batch_alter_table('dossier_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_revisions_dossier_id'), ['dossier_id'], unique=False)

    op.create_table(
        'procedures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=500), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('processing_days', sa.Integer(), nullable=False),
        sa.Column('papers', sa.JSON(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['department_id'], ['units.id'], name=op.f('fk_procedures_department_id_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_procedures')),
        sa.UniqueConstraint('code', name=op.f('uq_procedures_code')),
    )
    with op.batch_alter_table('procedures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procedures_department_id'), ['department_id'], unique=False)


def downgrade():
    with op.batch_alter_table('procedures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procedures_department_id'))
    op.drop_table('procedures')
    with op.batch_alter_table('dossier_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_revisions_dossier_id'))
    op.drop_table('dossier_revisions')
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_dossiers_tracking_code'), type_='unique')
        batch_op.drop_column('tracking_code')
