"""personal_data_reads: who was shown an applicant's unmasked phone or address, when, for which dossier

Revision ID: 0006_custody_2
Revises: 0006_custody
Create Date: 2026-11-25 10:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_custody_2'
down_revision = '0006_custody'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('personal_data_reads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_personal_data_reads_dossier_id_dossiers')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_personal_data_reads_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_data_reads'))
    )
    with op.batch_alter_table('personal_data_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_data_reads_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_data_reads_read_at'), ['read_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_personal_data_reads_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('personal_data_reads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_data_reads_user_id'))
        batch_op.drop_index(batch_op.f('ix_personal_data_reads_read_at'))
        batch_op.drop_index(batch_op.f('ix_personal_data_reads_dossier_id'))

    op.drop_table('personal_data_reads')
