"""Packing a scanned item into a draft transfer: every scan at the scan station.

It is the service's busiest write, so it is written in SQLAlchemy Core, not through the ORM's
unit of work: the transfer and the item are read and locked FOR UPDATE in one statement from
the codes scanned, then three writes (the item's place and chain head, the manifest line, the
custody event) and the transfer's count of lines, with nothing read back. The rules are those
of every custody use case; a refusal is explained from the rows read, and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Row, bindparam, insert, literal, select, true, update

from tracker.custody import chain
from tracker.custody.lookup import find_transfer, item_key, no_item, packet_key, scanned
from tracker.custody.models import CustodyEvent, Item, Transfer, TransferItem
from tracker.custody.services import Actor, event_values, require_editable
from tracker.database import expire_loaded
from tracker.domain.codes import CodeKind
from tracker.domain.custody import EventKind, ItemStatus
from tracker.dossiers.models import Dossier
from tracker.errors import ApiError, Conflict
from tracker.extensions import db
from tracker.units.models import Unit

ITEMS, TRANSFERS, LINES = Item.__table__, Transfer.__table__, TransferItem.__table__
DOSSIERS, EVENTS = Dossier.__table__, CustodyEvent.__table__


PAIR_COLUMNS = (
    TRANSFERS.c.id.label("transfer_id"), TRANSFERS.c.code, TRANSFERS.c.status, TRANSFERS.c.from_unit_id,
    ITEMS.c.id.label("item_id"), ITEMS.c.code.label("item_code"), ITEMS.c.kind, ITEMS.c.status.label("item_status"),
    ITEMS.c.holder_unit_id, ITEMS.c.postal_id, ITEMS.c.current_transfer_id, ITEMS.c.created_at, ITEMS.c.chain_head,
    DOSSIERS.c.code.label("dossier_code"), DOSSIERS.c.tracking_code,
)  # fmt: skip


def _pair_statement(item_column: str):
    # Labelled so that a row reads like a transfer (code, status, from_unit_id) for the shared checks.
    return (
        select(*PAIR_COLUMNS)
        .select_from(TRANSFERS.join(ITEMS, true()).join(DOSSIERS, DOSSIERS.c.id == ITEMS.c.dossier_id))
        .where(TRANSFERS.c.code == bindparam("transfer_code"), ITEMS.c[item_column] == bindparam("item"))
        .with_for_update(of=(TRANSFERS, ITEMS))
    )


def _bound(table, names: tuple[str, ...], prefix: str) -> dict:
    # A bind parameter may not share a column's name in VALUES or SET: each gets a prefix.
    return {name: bindparam(f"{prefix}{name}", type_=table.c[name].type) for name in names}


EVENT_COLUMNS = tuple(column.name for column in EVENTS.columns if column.name != "id")

# Built once: each scan reuses the compiled statements (and PostgreSQL their prepared plans).
PAIR_BY = {column: _pair_statement(column) for column in ("code", "postal_id")}
PACK_ITEM = (
    update(ITEMS)
    .where(ITEMS.c.id == bindparam("item_id"))
    .values(status=ItemStatus.PACKED.value, **_bound(ITEMS, ("current_transfer_id", "chain_head"), "item_"))
)
ADD_LINE = insert(LINES).values(
    on_manifest=True, damaged=False, **_bound(LINES, ("transfer_id", "item_id", "added_at"), "line_")
)
ADD_EVENT = insert(EVENTS).values(**_bound(EVENTS, EVENT_COLUMNS, "event_"))
WRITES = (PACK_ITEM, ADD_LINE, ADD_EVENT)
# The transfer keeps its count of lines (the transfer row is locked already): no scan counts them.
COUNT_NEW_LINE = (
    update(TRANSFERS)
    .where(TRANSFERS.c.id == bindparam("line_transfer_id"))
    .values(item_count=TRANSFERS.c.item_count + 1)
    .returning(TRANSFERS.c.item_count)
)
# On PostgreSQL the writes ride along with the count in one statement (data-modifying CTEs):
# one round trip instead of four.
WRITE_AND_COUNT = COUNT_NEW_LINE.add_cte(
    *(statement.returning(literal(1)).cte(f"write_{n}") for n, statement in enumerate(WRITES))
)


@dataclass(frozen=True)
class PackedItemView:
    """The packed item as ItemSchema shows it, built from the row read."""

    code: str
    dossier_code: str
    kind: str
    status: str
    holder_code: str | None
    postal_id: str | None
    transfer_code: str
    created_at: datetime


@dataclass(frozen=True)
class PackedItem:
    transfer_code: str
    item: PackedItemView
    item_count: int


def add_item(actor: Actor, transfer_code: str, item_code: str) -> PackedItem:
    """Put a held item into a draft transfer of the same unit."""
    db.session.flush()  # Core reads and writes below: nothing the ORM holds may be left unwritten
    row = _locked_pair(transfer_code, item_code)
    if row is None:
        row = _locked_one_by_one(actor, transfer_code, item_code)
    else:
        require_editable(actor, row)
    _require_packable(row)
    values = event_values(actor, EventKind.PACKED, item_id=row.item_id, transfer_id=row.transfer_id)
    head = chain.link(values, row.chain_head)
    # Packing is not announced to the outside world (tracker/outbox/custody.py): no outbox row.
    parameters = {
        "item_id": row.item_id, "item_current_transfer_id": row.transfer_id, "item_chain_head": head,
        "line_transfer_id": row.transfer_id, "line_item_id": row.item_id, "line_added_at": actor.occurred_at,
        **{f"event_{name}": values[name] for name in EVENT_COLUMNS},
    }  # fmt: skip
    count = _write(db.session.connection(), parameters)
    expire_loaded(db.session, Item, row.item_id)
    expire_loaded(db.session, Transfer, row.transfer_id)
    item = PackedItemView(
        row.item_code, Dossier.reference_of(row.dossier_code, row.tracking_code), row.kind, ItemStatus.PACKED.value,
        actor.user.unit.code, row.postal_id, row.code, row.created_at,  # held by the sender: the actor's unit
    )  # fmt: skip
    return PackedItem(row.code, item, count)


def _write(connection: Connection, parameters: dict) -> int:
    """Pack the item, add its line and its event; how many lines the transfer has now."""
    if connection.dialect.name == "postgresql":
        return connection.execute(WRITE_AND_COUNT, parameters).scalar_one()
    for statement in WRITES:
        connection.execute(statement, parameters)
    return connection.execute(COUNT_NEW_LINE, parameters).scalar_one()


def _locked_pair(transfer_code: str, item_code: str) -> Row | None:
    """Both rows in one statement, when the codes are a transfer's and an item's (or S10) that exist;
    None for anything else, which the slow way explains in the order the refusals are given."""
    try:
        transfer = scanned(transfer_code)
        column, value = item_key(item_code)
    except ApiError:
        return None
    if transfer.kind is not CodeKind.TRANSFER:
        return None
    parameters = {"transfer_code": transfer.value, "item": value}
    return db.session.connection().execute(PAIR_BY[column], parameters).one_or_none()


def _locked_one_by_one(actor: Actor, transfer_code: str, item_code: str) -> Row:
    """The slow way, in the order the refusals are given: the transfer, then what the code means."""
    transfer = find_transfer(transfer_code, lock=True)
    require_editable(actor, transfer)
    column, value = packet_key(item_code, actor.user.unit)
    row = db.session.connection().execute(PAIR_BY[column], {"transfer_code": transfer.code, "item": value})
    found = row.one_or_none()
    if found is None:
        raise no_item(value)
    return found


def _require_packable(row: Row) -> None:
    details = {"item": row.item_code, "transfer": row.code}
    if row.current_transfer_id == row.transfer_id:
        raise Conflict(f"Bưu gửi {row.item_code} đã có trong phiếu này.", code="already_in_transfer", details=details)
    if row.holder_unit_id != row.from_unit_id:
        holder = db.session.get(Unit, row.holder_unit_id) if row.holder_unit_id else None
        holder_name = holder.name if holder else "không đơn vị nào (đang vận chuyển, thất lạc hoặc đã trả)"
        raise Conflict(
            f"Bưu gửi {row.item_code} không do đơn vị bạn giữ: người giữ hiện tại là {holder_name}.",
            code="item_not_held",
            details={**details, "status": row.item_status, "holder": holder.code if holder else None},
        )
    if row.current_transfer_id is not None:
        other = db.session.scalar(select(Transfer.code).where(Transfer.id == row.current_transfer_id))
        raise Conflict(
            f"Bưu gửi {row.item_code} đang nằm trong phiếu {other}; bỏ nó ra khỏi phiếu đó trước.",
            code="item_in_another_transfer",
            details={**details, "other_transfer": other},
        )
