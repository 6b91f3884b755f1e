"""Counter intake: procedures searchable without diacritics, the papers of a dossier, public lookup attempts

Revision ID: 0006_counter
Revises: 0006_perf
Create Date: 2026-11-25 10:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006_counter"
down_revision = '0006_perf'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("procedures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.String(length=700), server_default="", nullable=False))

    op.create_table(
        "dossier_papers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("originals", sa.Integer(), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"], name=op.f("fk_dossier_papers_dossier_id_dossiers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_papers")),
    )
    with op.batch_alter_table("dossier_papers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dossier_papers_dossier_id"), ["dossier_id"], unique=False)

    op.create_table(
        "lookup_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lookup_attempts")),
    )
    with op.batch_alter_table("lookup_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lookup_attempts_client"), ["client"], unique=False)
        batch_op.create_index(batch_op.f("ix_lookup_attempts_attempted_at"), ["attempted_at"], unique=False)


def downgrade():
    with op.batch_alter_table("lookup_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lookup_attempts_attempted_at"))
        batch_op.drop_index(batch_op.f("ix_lookup_attempts_client"))
    op.drop_table("lookup_attempts")
    with op.batch_alter_table("dossier_papers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_papers_dossier_id"))
    op.drop_table("dossier_papers")
    with op.batch_alter_table("procedures", schema=None) as batch_op:
        batch_op.drop_column("search_text")
