"""Custody use cases: items come into being, are packed and handed over.

Receiving is in tracker/custody/receipts.py, the handing out to the applicant in
tracker/custody/handout.py.

Each function is one step of a use case; it checks the custody rules, writes the state and
its custody events, and leaves the commit to the caller, so a refusal writes nothing.
Rows that two clerks could race for (the transfer, the item) are read with FOR UPDATE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select

from tracker.auth.models import User
from tracker.auth.services import require_handler, require_own_unit
from tracker.custody import chain, legs
from tracker.custody.lookup import find_item, find_transfer
from tracker.custody.models import CustodyEvent, Item, Transfer, TransferItem
from tracker.database import utcnow
from tracker.domain.codes import CodeKind, is_valid_s10, new_code, normalise
from tracker.domain.custody import (
    ACTION_REFUSALS,
    EventKind,
    ItemKind,
    ItemStatus,
    TransferAction,
    TransferStatus,
    allows,
)
from tracker.dossiers.services import find_dossier
from tracker.errors import Conflict, NotFound, Unprocessable
from tracker.extensions import db
from tracker.outbox import custody as outbox
from tracker.units.models import Unit
from tracker.units.services import find_unit

# A device clock a little ahead of the server's is normal; one far ahead is wrong.
CLOCK_TOLERANCE = timedelta(minutes=10)


@dataclass(frozen=True)
class Actor:
    """Who does something, for which unit, and when it happened (device time or now)."""

    user: User
    occurred_at: datetime
    device_id: str | None = None

    @classmethod
    def of(cls, user: User, occurred_at: datetime | None = None, device_id: str | None = None) -> Actor:
        now = utcnow()
        if occurred_at is not None and occurred_at > now + CLOCK_TOLERANCE:
            raise Unprocessable(
                "Thời điểm quét ở tương lai: kiểm tra đồng hồ của máy quét.",
                code="occurred_at_in_future",
                details={"occurred_at": ["is later than the server's clock"]},
            )
        return cls(user=user, occurred_at=occurred_at or now, device_id=device_id)

    @property
    def unit_id(self) -> int:
        return self.user.unit_id


def event_values(
    actor: Actor,
    kind: EventKind,
    *,
    item_id: int | None = None,
    transfer_id: int | None = None,
    unit_id: int | None = None,
    note: str | None = None,
    counterpart_unit_id: int | None = None,
    related_transfer_id: int | None = None,
    corrects_id: int | None = None,
) -> dict:
    """The columns of a new custody event, before it is chained; at `unit_id` when not the actor's own."""
    return {
        "kind": kind.value,
        "item_id": item_id,
        "transfer_id": transfer_id,
        "unit_id": unit_id or actor.unit_id,
        "actor_id": actor.user.id,
        "occurred_at": actor.occurred_at,
        "recorded_at": utcnow(),
        "device_id": actor.device_id,
        "note": note,
        "corrects_id": corrects_id,
        "counterpart_unit_id": counterpart_unit_id,
        "related_transfer_id": related_transfer_id,
    }


def record_event(
    actor: Actor,
    kind: EventKind,
    *,
    item: Item | None = None,
    transfer: Transfer | None = None,
    note: str | None = None,
    unit: Unit | None = None,
    counterpart: Unit | None = None,
    related_transfer: Transfer | None = None,
    corrects_id: int | None = None,
) -> CustodyEvent:
    """Append one custody event, hash-chained; at `unit` when it is not the actor's own."""
    event = CustodyEvent(
        **event_values(
            actor,
            kind,
            item_id=item.id if item else None,
            transfer_id=transfer.id if transfer else None,
            unit_id=unit.id if unit else None,
            note=note,
            counterpart_unit_id=counterpart.id if counterpart else None,
            related_transfer_id=related_transfer.id if related_transfer else None,
            corrects_id=corrects_id,
        )
    )
    chain.seal(event, item or transfer)
    db.session.add(event)
    outbox.custody_event_recorded(kind, actor.user.unit, actor.occurred_at, item=item, transfer=transfer)
    return event


class TransferState(Protocol):
    """What the custody rules read of a transfer: a Transfer, or a row read with Core (packing)."""

    code: str
    status: str
    from_unit_id: int


def require_action(transfer: TransferState, action: TransferAction) -> None:
    """Refuse an action the transfer's state does not allow (e.g. adding to a dispatched one)."""
    if not allows(TransferStatus(transfer.status), action):
        raise Conflict(
            f"{ACTION_REFUSALS[action]} (phiếu {transfer.code} đang ở trạng thái {transfer.status}).",
            code="transfer_state_conflict",
            details={"transfer": transfer.code, "status": transfer.status, "action": action.value},
        )


def _require_sender(actor: Actor, transfer: TransferState) -> None:
    """Only a handler of the sending unit changes what a transfer carries or hands it over."""
    require_handler(actor.user)
    if transfer.from_unit_id != actor.unit_id:
        sender = db.session.get(Unit, transfer.from_unit_id)
        require_own_unit(actor.user, sender, f"Phiếu {transfer.code} thuộc đơn vị {sender.name}.")


def require_editable(actor: Actor, transfer: TransferState) -> None:
    """A handler of the sending unit, and the transfer still a draft: to add or take out items."""
    _require_sender(actor, transfer)
    require_action(transfer, TransferAction.EDIT_ITEMS)


def create_item(actor: Actor, dossier_code: str, kind: ItemKind, postal_id: str | None = None) -> Item:
    """A new physical packet for a dossier, held by the unit that made it."""
    require_handler(actor.user)
    dossier = find_dossier(dossier_code)
    item = Item(
        code=new_code(CodeKind.ITEM),
        dossier=dossier,
        kind=kind.value,
        postal_id=_checked_postal_id(postal_id),
        created_at=utcnow(),
    )
    item.place(ItemStatus.HELD, actor.user.unit, None)
    db.session.add(item)
    db.session.flush()
    record_event(actor, EventKind.REGISTERED, item=item)
    legs.item_registered(item, actor.user.unit, actor.occurred_at)
    return item


def _checked_postal_id(raw: str | None) -> str | None:
    if not raw:
        return None
    postal_id = normalise(raw)
    if not is_valid_s10(postal_id):
        raise Unprocessable(
            f"{postal_id} không phải số hiệu bưu gửi S10 hợp lệ (2 chữ, 8 số, 1 số kiểm tra, 2 chữ).",
            code="invalid_check_character" if len(postal_id) == 13 else "invalid_postal_id",
            details={"postal_id": ["not a valid UPU S10 identifier"]},
        )
    if db.session.scalar(select(Item.id).where(Item.postal_id == postal_id)) is not None:
        raise Conflict(f"Số hiệu {postal_id} đã gắn với bưu gửi khác.", code="postal_id_in_use")
    return postal_id


def open_transfer(actor: Actor, to_unit_code: str) -> Transfer:
    """A draft transfer from the actor's unit to another unit."""
    require_handler(actor.user)
    to_unit = find_unit(to_unit_code)
    if to_unit.id == actor.unit_id:
        raise Unprocessable(
            "Không thể bàn giao cho chính đơn vị mình.", code="same_unit", details={"to_unit": ["is your own unit"]}
        )
    transfer = Transfer(
        code=new_code(CodeKind.TRANSFER),
        from_unit_id=actor.unit_id,
        to_unit=to_unit,
        status=TransferStatus.DRAFT.value,
        created_at=utcnow(),
        created_by_id=actor.user.id,
    )
    db.session.add(transfer)
    db.session.flush()
    return transfer


def remove_item(actor: Actor, transfer_code: str, item_code: str) -> Transfer:
    """Take an item back out of a draft transfer."""
    transfer = find_transfer(transfer_code, lock=True)
    require_editable(actor, transfer)
    item = find_item(item_code, lock=True)
    line = line_of(transfer, item)
    if line is None:
        raise NotFound(
            f"Bưu gửi {item.code} không có trong phiếu {transfer.code}.",
            code="item_not_in_transfer",
            details={"item": item.code, "transfer": transfer.code},
        )
    drop_line(transfer, line)
    item.place(ItemStatus.HELD, item.holder, None)
    record_event(actor, EventKind.UNPACKED, item=item, transfer=transfer)
    db.session.flush()
    return transfer


def drop_line(transfer: Transfer, line: TransferItem) -> None:
    """An item leaves a draft: its manifest line goes, and the count with it (counted in SQL, as
    packing counts: a draft the caller could not lock first still loses no concurrent scan)."""
    db.session.delete(line)
    transfer.item_count = Transfer.item_count - 1


def line_of(transfer: Transfer, item: Item) -> TransferItem | None:
    return db.session.scalar(
        select(TransferItem).where(TransferItem.transfer_id == transfer.id, TransferItem.item_id == item.id)
    )


def dispatch_transfer(
    actor: Actor, transfer_code: str, seal_number: str | None = None, bag_count: int | None = None
) -> Transfer:
    """Hand the transfer over: its items leave the sender and are in transit."""
    transfer = find_transfer(transfer_code, lock=True)
    _require_sender(actor, transfer)
    require_action(transfer, TransferAction.DISPATCH)
    if not transfer.lines:
        raise Conflict(
            f"Phiếu {transfer.code} chưa có bưu gửi nào: quét ít nhất một bưu gửi trước khi giao.",
            code="transfer_empty",
            details={"transfer": transfer.code},
        )
    transfer.status = TransferStatus.DISPATCHED.value
    transfer.dispatched_at = actor.occurred_at
    transfer.dispatched_by_id = actor.user.id
    transfer.seal_number = seal_number or None
    transfer.bag_count = bag_count
    for line in transfer.lines:
        line.item.place(ItemStatus.IN_TRANSIT, None, transfer)
        record_event(actor, EventKind.DISPATCHED, item=line.item, transfer=transfer)
    legs.items_dispatched([line.item for line in transfer.lines], transfer, actor.occurred_at)
    db.session.flush()
    return transfer


def cancel_transfer(actor: Actor, transfer_code: str) -> Transfer:
    """Abandon a draft: its items go back to being simply held."""
    transfer = find_transfer(transfer_code, lock=True)
    _require_sender(actor, transfer)
    require_action(transfer, TransferAction.CANCEL)
    for line in transfer.lines:
        line.item.place(ItemStatus.HELD, line.item.holder, None)
        record_event(actor, EventKind.UNPACKED, item=line.item, transfer=transfer)
    transfer.status = TransferStatus.CANCELLED.value
    record_event(actor, EventKind.TRANSFER_CANCELLED, transfer=transfer)
    db.session.flush()
    return transfer
