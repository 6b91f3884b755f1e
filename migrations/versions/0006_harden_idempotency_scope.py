"""Idempotency keys belong to their user and scope (endpoint, or scan-batch entries), and are purged by age

Revision ID: 0006_harden
Revises: 0007
Create Date: 2026-11-25 10:10:00.000000

"""

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0006_harden"
down_revision = "0007"
branch_labels = None
depends_on = None

ENTRY_PREFIX = "scan:"
ENTRY_SCOPE = "scans/batch entry"


def upgrade():
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope", sa.String(length=200), nullable=False, server_default=""))
    # Scan-batch entry keys were told apart by a prefix; they now have a scope of their own.
    op.execute(
        sa.text(
            "UPDATE idempotency_records SET scope = :scope, key = substr(key, :start) WHERE key LIKE :prefix"
        ).bindparams(scope=ENTRY_SCOPE, start=len(ENTRY_PREFIX) + 1, prefix=ENTRY_PREFIX + "%")
    )
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.alter_column("scope", server_default=None)
        batch_op.drop_constraint("uq_idempotency_records_key", type_="unique")
        batch_op.create_unique_constraint("uq_idempotency_records_user_scope_key", ["user_id", "scope", "key"])
        batch_op.create_index(batch_op.f("ix_idempotency_records_created_at"), ["created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_records_created_at"))
        batch_op.drop_constraint("uq_idempotency_records_user_scope_key", type_="unique")
    op.execute(
        sa.text("UPDATE idempotency_records SET key = :prefix || key WHERE scope = :scope").bindparams(
            prefix=ENTRY_PREFIX, scope=ENTRY_SCOPE
        )
    )
    # Keys of different users or scopes may now coincide: keep the oldest of each.
    op.execute("DELETE FROM idempotency_records WHERE id NOT IN (SELECT min(id) FROM idempotency_records GROUP BY key)")
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_idempotency_records_key", ["key"])
        batch_op.drop_column("scope")
