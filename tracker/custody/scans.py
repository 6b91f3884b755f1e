"""Offline scanners upload what they scanned; each entry is applied as its endpoint would."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from enum import StrEnum

from tracker.api.fields import OUTSIDE_SUPPORTED_DAYS, is_supported_time
from tracker.api.idempotency import IdempotencyKey, fingerprint, previous_answer, remember_answer
from tracker.auth.models import User
from tracker.custody import arrivals, packing, receipts, services
from tracker.custody.lookup import find_packet
from tracker.custody.services import Actor
from tracker.errors import ApiError, Unprocessable
from tracker.extensions import db

# Entry keys live beside Idempotency-Key headers in one table, in a scope of their own.
ENTRY_KEY_SCOPE = "scans/batch entry"


class ScanAction(StrEnum):
    ADD = "add"
    REMOVE = "remove"
    DISPATCH = "dispatch"
    RECEIVE = "receive"
    DAMAGED = "damaged"
    CLOSE_RECEIPT = "close_receipt"


@dataclass(frozen=True)
class ScanEntry:
    idempotency_key: str
    code: str
    action: ScanAction
    occurred_at: datetime
    transfer_code: str | None = None
    device_id: str | None = None
    seal_number: str | None = None
    bag_count: int | None = None


@dataclass(frozen=True)
class ScanOutcome:
    idempotency_key: str
    action: str
    code: str
    outcome: str  # applied, duplicate or refused
    error: dict | None = None
    item: dict | None = None  # the scanned item and its dossier, so a scanner can show what it was
    unexpected: dict | None = None  # a receive not on the manifest: where the item was before


ITEM_ACTIONS = (ScanAction.ADD, ScanAction.REMOVE, ScanAction.RECEIVE, ScanAction.DAMAGED)


def _item_summary(user: User, entry: ScanEntry) -> dict | None:
    if entry.action not in ITEM_ACTIONS:
        return None
    try:
        item = find_packet(entry.code, user.unit)
    except ApiError:
        return None
    return {"code": item.code, "dossier_code": item.dossier.reference, "procedure_name": item.dossier.procedure_name}


def _entry_fingerprint(entry: ScanEntry) -> str:
    # Dispatch details, added later, are left out when absent: older keys keep their fingerprint.
    fields = {k: v for k, v in asdict(entry).items() if v is not None or k not in ("seal_number", "bag_count")}
    fields["action"] = entry.action.value
    fields["occurred_at"] = entry.occurred_at.isoformat()
    return fingerprint("scan", json.dumps(fields, sort_keys=True))


def _transfer_code_of(entry: ScanEntry) -> str:
    if not entry.transfer_code:
        raise Unprocessable(
            f"Thao tác {entry.action.value} cần transfer_code (mã phiếu bàn giao).",
            code="transfer_code_required",
            details={"transfer_code": ["required for this action"]},
        )
    return entry.transfer_code


def apply_entry(actor: Actor, entry: ScanEntry) -> dict | None:
    """Apply one scan exactly as the matching endpoint would; an unexpected arrival's origin."""
    if not is_supported_time(entry.occurred_at):
        raise Unprocessable(
            f"Thời điểm quét {entry.occurred_at.isoformat()} nằm ngoài khoảng hỗ trợ: kiểm tra đồng hồ máy quét.",
            code="time_out_of_range",
            details={"occurred_at": [OUTSIDE_SUPPORTED_DAYS]},
        )
    match entry.action:
        case ScanAction.ADD:
            packing.add_item(actor, _transfer_code_of(entry), entry.code)
        case ScanAction.REMOVE:
            services.remove_item(actor, _transfer_code_of(entry), entry.code)
        case ScanAction.DISPATCH:
            services.dispatch_transfer(actor, entry.code, entry.seal_number, entry.bag_count)
        case ScanAction.RECEIVE | ScanAction.DAMAGED:
            transfer = receipts.open_receipt(actor, _transfer_code_of(entry))
            line = receipts.record_arrival(actor, transfer, entry.code, damaged=entry.action is ScanAction.DAMAGED)
            if line.outcome == "unexpected":
                return {"code": line.item.code, **arrivals.unexpected_origins(transfer)[line.item_id]}
        case ScanAction.CLOSE_RECEIPT:
            transfer = receipts.open_receipt(actor, entry.code)
            receipts.close_receipt(actor, transfer, seal_intact=None, note=None)
    return None


def apply_batch(user: User, entries: list[ScanEntry]) -> list[ScanOutcome]:
    """Apply entries in the order they happened, each in its own savepoint.

    A refused entry undoes only itself. An entry already applied (same key) is a duplicate
    and writes nothing, so resending a whole batch changes nothing.
    """
    outcomes: dict[int, ScanOutcome] = {}
    in_time_order = sorted(enumerate(entries), key=lambda pair: pair[1].occurred_at)
    for index, entry in in_time_order:
        outcomes[index] = _apply_once(user, entry)
    return [outcomes[index] for index in range(len(entries))]


def _apply_once(user: User, entry: ScanEntry) -> ScanOutcome:
    key = IdempotencyKey(user.id, ENTRY_KEY_SCOPE, entry.idempotency_key)
    entry_fingerprint = _entry_fingerprint(entry)
    outcome = ScanOutcome(entry.idempotency_key, entry.action.value, entry.code, "applied")
    savepoint = db.session.begin_nested()
    try:
        if previous_answer(key, entry_fingerprint) is not None:
            savepoint.rollback()
            outcome = replace(outcome, outcome="duplicate")
        else:
            unexpected = apply_entry(Actor.of(user, entry.occurred_at, entry.device_id), entry)
            outcome = replace(outcome, unexpected=unexpected)
            remember_answer(key, entry_fingerprint, 200, json.dumps({"outcome": "applied"}))
            savepoint.commit()
    except ApiError as error:
        savepoint.rollback()
        outcome = replace(outcome, outcome="refused", error=error.to_dict()["error"])
    return replace(outcome, item=_item_summary(user, entry))
