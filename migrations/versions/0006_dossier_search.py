"""Search as people type: folded search text and phone digits on dossiers, prefix indexes on item codes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 11:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

from tracker.domain.text import digits_of, fold

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

BATCH = 5000


def backfill(connection) -> None:
    last_id = 0
    select = sa.text(
        'SELECT id, code, tracking_code, applicant_name, procedure_code, procedure_name, applicant_phone '
        'FROM dossiers WHERE id > :last ORDER BY id LIMIT :batch'
    )
    update = sa.text('UPDATE dossiers SET search_text = :text, phone_digits = :digits WHERE id = :id')
    while rows := connection.execute(select, {'last': last_id, 'batch': BATCH}).all():
        connection.execute(update, [
            {'id': row[0], 'text': fold(' '.join(part for part in row[1:6] if part)), 'digits': digits_of(row[6] or '')}
            for row in rows
        ])
        last_id = rows[-1][0]


def upgrade():
    postgres = op.get_bind().dialect.name == 'postgresql'
    if postgres:
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('phone_digits', sa.String(length=32), nullable=False, server_default=''))
    backfill(op.get_bind())
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.alter_column('search_text', server_default=None)
        batch_op.alter_column('phone_digits', server_default=None)
        for column in ('search_text', 'phone_digits'):
            batch_op.create_index(f'ix_dossiers_{column}', [column], unique=False,
                                  postgresql_using='gin', postgresql_ops={column: 'gin_trgm_ops'})
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index('ix_items_code_prefix', ['code'], unique=False,
                              postgresql_ops={'code': 'varchar_pattern_ops'})
        batch_op.create_index('ix_items_postal_id_prefix', ['postal_id'], unique=False,
                              postgresql_ops={'postal_id': 'varchar_pattern_ops'})


def downgrade():
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_postal_id_prefix')
        batch_op.drop_index('ix_items_code_prefix')
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_index('ix_dossiers_phone_digits')
        batch_op.drop_index('ix_dossiers_search_text')
        batch_op.drop_column('phone_digits')
        batch_op.drop_column('search_text')
