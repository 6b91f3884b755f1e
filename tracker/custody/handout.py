"""The last handover: a packet the unit holds, outside any transfer, handed to the applicant."""

from __future__ import annotations

from tracker.auth.services import require_handler
from tracker.custody import legs
from tracker.custody.lookup import find_item
from tracker.custody.models import CustodyEvent, Item
from tracker.custody.services import Actor, record_event
from tracker.domain.custody import EventKind, ItemKind, ItemStatus
from tracker.errors import Conflict
from tracker.extensions import db


def deliverable_item(actor: Actor, item_code: str) -> Item:
    """The packet, locked, if the actor's unit holds it outside any transfer: only then is it handed out."""
    require_handler(actor.user)
    item = find_item(item_code, lock=True)
    if item.holder_unit_id != actor.unit_id or item.item_status is not ItemStatus.HELD:
        raise Conflict(
            f"Chỉ trả được bưu gửi đơn vị bạn đang giữ và không nằm trong phiếu nào (trạng thái: {item.status}).",
            code="item_not_deliverable",
            details={"item": item.code, "status": item.status},
        )
    return item


def deliver_item(actor: Actor, item: Item, note: str | None = None) -> CustodyEvent:
    """The applicant received the packet (as deliverable_item found and locked it): the end of its
    journey (a result's, or returned papers'). Its delivery event."""
    item.place(ItemStatus.DELIVERED, None, None)
    is_result = item.kind == ItemKind.RESULT.value
    if is_result:
        item.dossier.status = "delivered"
    event = record_event(actor, EventKind.DELIVERED, item=item, note=note)
    legs.item_delivered(item, actor.occurred_at, ends_journey=is_result or item.kind == ItemKind.RETURNED.value)
    db.session.flush()
    return event
