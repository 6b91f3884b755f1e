"""What the custody and dossier use cases announce: one call where each fact is recorded."""

from __future__ import annotations

from datetime import datetime

from tracker.custody.models import Item, Transfer
from tracker.domain.custody import EventKind, TransferStatus
from tracker.dossiers.models import Dossier
from tracker.outbox.services import EventType, emit, emit_many, iso_utc
from tracker.units.models import Unit

CUSTODY_EVENT_TYPES = {
    EventKind.REGISTERED: EventType.ITEM_REGISTERED,
    EventKind.DISPATCHED: EventType.ITEM_DISPATCHED,
    EventKind.RECEIVED: EventType.ITEM_RECEIVED,
    EventKind.RECEIVED_UNEXPECTED: EventType.ITEM_RECEIVED,
    EventKind.MISSING: EventType.ITEM_MISSING,
    EventKind.DAMAGED: EventType.ITEM_DAMAGED,
    EventKind.DELIVERED: EventType.ITEM_DELIVERED,
    EventKind.DELIVERY_FAILED: EventType.ITEM_DELIVERY_FAILED,
    EventKind.DOSSIER_RETURNED: EventType.DOSSIER_RETURNED,
}


def transfer_codes(transfer: Transfer | None) -> dict:
    if transfer is None:
        return {}
    return {"transfer": transfer.code, "from_unit": transfer.from_unit.code, "to_unit": transfer.to_unit.code}


def custody_event_recorded(
    kind: EventKind, unit: Unit, occurred_at: datetime, *, item: Item | None, transfer: Transfer | None
) -> None:
    """The outbox event for a custody event, if the outside world hears of that kind."""
    event_type = CUSTODY_EVENT_TYPES.get(kind)
    if event_type is None or item is None:
        return
    emit(
        event_type,
        occurred_at=occurred_at,
        dossier=item.dossier.reference,
        item=item.code,
        item_kind=item.kind,
        postal_id=item.postal_id,
        unit=unit.code,
        on_manifest={EventKind.RECEIVED: True, EventKind.RECEIVED_UNEXPECTED: False}.get(kind),
        **transfer_codes(transfer),
    )


def receipt_closed(transfer: Transfer, missing: list[str], unexpected: list[str], damaged: list[str]) -> None:
    """A receipt that found something wrong is announced with what it found."""
    if transfer.transfer_status is not TransferStatus.RECEIVED_WITH_DISCREPANCIES:
        return
    emit(
        EventType.TRANSFER_RECEIVED_WITH_DISCREPANCIES,
        occurred_at=transfer.received_at,
        unit=transfer.to_unit.code,
        missing=missing,
        unexpected=unexpected,
        damaged=damaged,
        seal_intact=transfer.seal_intact,
        **transfer_codes(transfer),
    )


def _registered(values: dict, department: str) -> dict:
    due_at = values.get("due_at")
    return {
        "dossier": values.get("code") or values["tracking_code"],
        "tracking_code": values["tracking_code"],
        "procedure_code": values["procedure_code"],
        "department": department,
        "due_at": iso_utc(due_at) if due_at else None,  # UTC, as every time in a payload
    }


def dossier_registered(dossier: Dossier) -> None:
    values = {name: getattr(dossier, name) for name in ("code", "tracking_code", "procedure_code", "due_at")}
    emit(EventType.DOSSIER_REGISTERED, occurred_at=dossier.created_at, **_registered(values, dossier.department.code))


def dossiers_registered(rows: list[dict], department_codes: dict[int, str]) -> None:
    """dossier.registered for dossiers bulk-inserted from their values (an import)."""
    emit_many(
        EventType.DOSSIER_REGISTERED,
        [(row["created_at"], _registered(row, department_codes[row["department_id"]])) for row in rows],
    )
