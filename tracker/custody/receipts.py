"""Receiving a transfer: each item scanned on arrival, then the receipt closed (what is missing).

Each function is one step of a use case, as in tracker/custody/services.py; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.auth.services import require_handler, require_own_unit
from tracker.custody import arrivals, legs
from tracker.custody.lookup import find_item, find_transfer
from tracker.custody.models import Item, Transfer, TransferItem
from tracker.custody.services import Actor, drop_line, line_of, record_event, require_action
from tracker.domain.custody import EventKind, ItemStatus, TransferAction, status_after_receipt
from tracker.errors import Conflict
from tracker.extensions import db
from tracker.outbox import custody as outbox


def _require_addressee(actor: Actor, transfer: Transfer) -> None:
    require_handler(actor.user)
    require_own_unit(
        actor.user, transfer.to_unit, f"Phiếu {transfer.code} gửi cho {transfer.to_unit.name}, không phải đơn vị bạn."
    )


@dataclass
class Receipt:
    """What a receipt found, by item code."""

    transfer: Transfer
    received: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)
    # Each unexpected item with where it was before: previous_holder, previous_transfer.
    unexpected_items: list[dict] = field(default_factory=list)


def open_receipt(actor: Actor, transfer_code: str) -> Transfer:
    """The dispatched transfer addressed to the actor's unit, locked for receiving."""
    transfer = find_transfer(transfer_code, lock=True)
    _require_addressee(actor, transfer)
    require_action(transfer, TransferAction.RECEIVE)
    return transfer


def record_arrival(actor: Actor, transfer: Transfer, item_code: str, *, damaged: bool = False) -> TransferItem:
    """One item scanned on arrival: it is now held by the receiver; one not on the manifest is a discrepancy."""
    item = arrivals.lock_arriving(item_code)
    line = line_of(transfer, item)
    if line is not None and line.outcome is not None:
        if damaged and not line.damaged:
            _mark_damaged(actor, line)
            return line
        raise Conflict(
            f"Bưu gửi {item.code} đã được quét nhận rồi.",
            code="already_received",
            details={"item": item.code, "transfer": transfer.code},
        )
    if line is None:
        arrivals.require_claimable(actor.user.unit, item)
        line = TransferItem(transfer=transfer, item=item, added_at=actor.occurred_at, on_manifest=False)
        db.session.add(line)
        _record_unexpected(actor, transfer, item)
    else:
        record_event(actor, EventKind.RECEIVED, item=item, transfer=transfer)
    line.outcome = "received" if line.on_manifest else "unexpected"
    line.arrived_at = actor.occurred_at
    item.place(ItemStatus.HELD, actor.user.unit, None)
    legs.item_arrived(item, actor.user.unit, actor.occurred_at)
    if damaged:
        _mark_damaged(actor, line)
    return line


def _record_unexpected(actor: Actor, transfer: Transfer, item: Item) -> None:
    """Against the previous holder and its transfer (the item leaves any draft), then here."""
    was = arrivals.previous_place(item)
    if was.status is ItemStatus.PACKED:
        drop_line(was.transfer, line_of(was.transfer, item))
    record_event(
        actor, EventKind.ARRIVED_ELSEWHERE, item=item, transfer=was.transfer, unit=was.holder,
        counterpart=actor.user.unit, related_transfer=transfer, corrects_id=arrivals.last_event_id(item),
    )  # fmt: skip
    record_event(
        actor, EventKind.RECEIVED_UNEXPECTED, item=item, transfer=transfer, counterpart=was.holder,
        related_transfer=was.transfer,
    )  # fmt: skip


def _mark_damaged(actor: Actor, line: TransferItem) -> None:
    line.damaged = True
    record_event(actor, EventKind.DAMAGED, item=line.item, transfer=line.transfer)


def close_receipt(actor: Actor, transfer: Transfer, *, seal_intact: bool | None, note: str | None) -> Receipt:
    """Receiving is finished: what was expected and not scanned is missing."""
    for line in transfer.lines:
        if line.outcome is None:
            line.outcome = "missing"
            _report_missing(actor, line)
    if seal_intact is False:
        record_event(actor, EventKind.SEAL_BROKEN, transfer=transfer, note=note)
    receipt = summarise_receipt(transfer)
    transfer.status = status_after_receipt(
        missing=len(receipt.missing),
        unexpected=len(receipt.unexpected),
        damaged=len(receipt.damaged),
        seal_intact=seal_intact,
    ).value
    transfer.received_at = actor.occurred_at
    transfer.received_by_id = actor.user.id
    transfer.seal_intact = seal_intact
    transfer.receipt_note = note or None
    outbox.receipt_closed(transfer, receipt.missing, receipt.unexpected, receipt.damaged)
    db.session.flush()
    return receipt


def _report_missing(actor: Actor, line: TransferItem) -> None:
    item = line.item
    db.session.refresh(item, with_for_update={"of": Item})  # its own row: joined relations stay unlocked
    # An item that already turned up elsewhere is missing from this transfer, not lost.
    if item.current_transfer_id != line.transfer_id:
        return
    item.place(ItemStatus.MISSING, None, None)
    record_event(actor, EventKind.MISSING, item=item, transfer=line.transfer)
    legs.item_missing(item, actor.occurred_at)


def summarise_receipt(transfer: Transfer) -> Receipt:
    receipt = Receipt(transfer)
    for line in transfer.lines:
        {"received": receipt.received, "missing": receipt.missing, "unexpected": receipt.unexpected}.get(
            line.outcome, []
        ).append(line.item.code)
        if line.damaged:
            receipt.damaged.append(line.item.code)
    if receipt.unexpected:
        origins = arrivals.unexpected_origins(transfer)
        unexpected = [line for line in transfer.lines if line.outcome == "unexpected"]
        receipt.unexpected_items = [{"code": line.item.code, **origins.get(line.item_id, {})} for line in unexpected]
    return receipt


def receive_transfer(
    actor: Actor,
    transfer_code: str,
    *,
    scanned: list[str],
    damaged: list[str],
    seal_intact: bool | None,
    note: str | None,
) -> Receipt:
    """The receiving unit checks a transfer against its manifest in one go."""
    transfer = open_receipt(actor, transfer_code)
    damaged_codes = {find_item(code).code for code in damaged}
    arrived = list(dict.fromkeys(find_item(code).code for code in [*scanned, *damaged]))
    for code in arrived:
        record_arrival(actor, transfer, code, damaged=code in damaged_codes)
    return close_receipt(actor, transfer, seal_intact=seal_intact, note=note)
