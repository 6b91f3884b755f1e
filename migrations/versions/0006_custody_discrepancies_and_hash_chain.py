"""Custody events: the other side of a discrepancy, and a hash chain over every event

Adds counterpart_unit_id and related_transfer_id (an unexpected arrival names where the
item was, and the previous holder's event names where it turned up), content_hash and
previous_hash (tracker/custody/chain.py), and hashes the existing events in id order, chain
by chain. The append-only triggers refuse UPDATE, so they are dropped around the backfill
and made again, as 0001 makes them, on both databases.

Revision ID: 0006_custody
Revises: 0006_outbox
Create Date: 2026-11-25 10:30:00.000000

"""

import importlib.util
from pathlib import Path

from alembic import op
import sqlalchemy as sa

from tracker.custody.chain import CHAINED_FIELDS, chain_key, content_hash
from tracker.database import UTCDateTime


# revision identifiers, used by Alembic.
revision = "0006_custody"
down_revision = "0006_outbox"
branch_labels = None
depends_on = None


def core_schema():
    """0001, where the append-only triggers are made and dropped."""
    path = Path(__file__).with_name("0001_custody_core_schema.py")
    spec = importlib.util.spec_from_file_location("custody_core_schema", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


EVENTS = sa.table(
    "custody_events",
    sa.column("id", sa.Integer()),
    *(sa.column(name, UTCDateTime()) if name.endswith("_at") else sa.column(name) for name in CHAINED_FIELDS),
    sa.column("content_hash", sa.String()),
)


def hash_existing_events():
    connection = op.get_bind()
    heads = {}
    rows = connection.execute(sa.select(EVENTS).order_by(EVENTS.c.id)).mappings().all()
    for row in rows:
        key = chain_key(row["item_id"], row["transfer_id"])
        values = {**row, "previous_hash": heads.get(key)}
        heads[key] = content_hash(values)
        connection.execute(
            EVENTS.update()
            .where(EVENTS.c.id == row["id"])
            .values(previous_hash=values["previous_hash"], content_hash=heads[key])
        )


def upgrade():
    core = core_schema()
    core.allow_changes_to_custody_events()
    with op.batch_alter_table("custody_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("counterpart_unit_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("related_transfer_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("content_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("previous_hash", sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_custody_events_counterpart_unit_id_units"), "units", ["counterpart_unit_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_custody_events_related_transfer_id_transfers"), "transfers", ["related_transfer_id"], ["id"]
        )
    hash_existing_events()
    with op.batch_alter_table("custody_events", schema=None) as batch_op:
        batch_op.alter_column("content_hash", existing_type=sa.String(length=64), nullable=False)
    core.forbid_changes_to_custody_events()


def downgrade():
    core = core_schema()
    core.allow_changes_to_custody_events()
    with op.batch_alter_table("custody_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_custody_events_related_transfer_id_transfers"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_custody_events_counterpart_unit_id_units"), type_="foreignkey")
        batch_op.drop_column("previous_hash")
        batch_op.drop_column("content_hash")
        batch_op.drop_column("related_transfer_id")
        batch_op.drop_column("counterpart_unit_id")
    core.forbid_changes_to_custody_events()
