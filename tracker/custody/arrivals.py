"""Items that arrive where nobody sent them: accepted (paper does turn up in the wrong bag),
never silently.

An unexpected arrival is recorded on both sides: `arrived_elsewhere` at the previous holder,
against the transfer the item was in (or went missing from), and `received_unexpected` at
the receiver, each naming the other side (counterpart unit, related transfer).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from tracker.custody.lookup import find_item, find_transfer
from tracker.custody.models import CustodyEvent, Item, Transfer
from tracker.domain.custody import EventKind, ItemStatus, TransferStatus
from tracker.errors import Conflict
from tracker.extensions import db
from tracker.units.models import Unit


@dataclass(frozen=True)
class PreviousPlace:
    """Where an item was before it turned up unexpectedly."""

    holder: Unit
    transfer: Transfer | None
    status: ItemStatus


def lock_arriving(item_code: str) -> Item:
    """The scanned item, locked after any draft it sits in (transfer before item, the order
    packing and dispatching lock in), so a dispatch of that draft cannot send it meanwhile."""
    draft = find_item(item_code).current_transfer
    if draft is not None and draft.transfer_status is TransferStatus.DRAFT:
        find_transfer(draft.code, lock=True)
    return find_item(item_code, lock=True)


def require_claimable(receiver: Unit, item: Item) -> None:
    details = {"item": item.code, "status": item.status}
    if item.item_status is ItemStatus.DELIVERED:
        raise Conflict(
            f"Bưu gửi {item.code} đã trả cho công dân: không thể nhận lại.", code="item_delivered", details=details
        )
    if item.holder_unit_id == receiver.id:
        raise Conflict(
            f"Bưu gửi {item.code} đã do đơn vị bạn giữ: không phải hàng đến.", code="item_already_held", details=details
        )


def previous_place(item: Item) -> PreviousPlace:
    status = item.item_status
    if status in (ItemStatus.HELD, ItemStatus.PACKED):
        return PreviousPlace(item.holder, item.current_transfer, status)
    if status is ItemStatus.IN_TRANSIT:
        return PreviousPlace(item.current_transfer.from_unit, item.current_transfer, status)
    lost_from = db.session.scalar(
        select(Transfer)
        .join(CustodyEvent, CustodyEvent.transfer_id == Transfer.id)
        .where(CustodyEvent.item_id == item.id, CustodyEvent.kind == EventKind.MISSING.value)
        .order_by(CustodyEvent.id.desc())
        .limit(1)
    )
    return PreviousPlace(lost_from.from_unit, lost_from, status)


def last_event_id(item: Item) -> int | None:
    statement = select(CustodyEvent.id).where(CustodyEvent.item_id == item.id)
    return db.session.scalar(statement.order_by(CustodyEvent.id.desc()).limit(1))


def unexpected_origins(transfer: Transfer) -> dict[int, dict]:
    """For each item received unexpectedly in the transfer (by item id), where it was before."""
    events = db.session.scalars(
        select(CustodyEvent).where(
            CustodyEvent.transfer_id == transfer.id, CustodyEvent.kind == EventKind.RECEIVED_UNEXPECTED.value
        )
    )
    return {
        event.item_id: {
            "previous_holder": event.counterpart_unit.code if event.counterpart_unit else None,
            "previous_transfer": event.related_transfer.code if event.related_transfer else None,
        }
        for event in events
    }
