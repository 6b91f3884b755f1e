"""The custody vocabulary and the transfer state machine, independent of storage."""

from __future__ import annotations

from enum import StrEnum


class UnitKind(StrEnum):
    POST = "post"
    CENTRE = "centre"
    DEPARTMENT = "department"


class Role(StrEnum):
    POSTAL_STAFF = "postal_staff"
    CENTRE_CLERK = "centre_clerk"
    DEPARTMENT_CLERK = "department_clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


# The roles that physically move paper, and the kind of unit each works at.
OPERATIONAL_ROLE_UNIT_KIND = {
    Role.POSTAL_STAFF: UnitKind.POST,
    Role.CENTRE_CLERK: UnitKind.CENTRE,
    Role.DEPARTMENT_CLERK: UnitKind.DEPARTMENT,
}


class ItemKind(StrEnum):
    APPLICATION = "application"
    RESULT = "result"
    RETURNED = "returned"


class ItemStatus(StrEnum):
    HELD = "held"  # at its holder unit
    PACKED = "packed"  # at its holder unit, in a draft transfer
    IN_TRANSIT = "in_transit"  # in a dispatched transfer, held by nobody
    MISSING = "missing"  # expected on receipt and not there
    DELIVERED = "delivered"  # handed to the applicant: the end of the chain


class EventKind(StrEnum):
    REGISTERED = "registered"  # the item came into being at a unit (picked up, result issued)
    PACKED = "packed"
    UNPACKED = "unpacked"
    DISPATCHED = "dispatched"
    RECEIVED = "received"
    RECEIVED_UNEXPECTED = "received_unexpected"
    # At the previous holder's side: its item turned up at another unit (a discrepancy).
    ARRIVED_ELSEWHERE = "arrived_elsewhere"
    MISSING = "missing"
    DAMAGED = "damaged"
    SEAL_BROKEN = "seal_broken"
    DELIVERED = "delivered"
    DELIVERY_FAILED = "delivery_failed"  # an attempt to hand it to the applicant did not succeed
    DOSSIER_RETURNED = "dossier_returned"  # on a returned packet: the dossier was returned or withdrawn
    TRANSFER_CANCELLED = "transfer_cancelled"


class TransferStatus(StrEnum):
    DRAFT = "draft"
    DISPATCHED = "dispatched"
    RECEIVED = "received"
    RECEIVED_WITH_DISCREPANCIES = "received_with_discrepancies"
    CANCELLED = "cancelled"


class TransferAction(StrEnum):
    EDIT_ITEMS = "edit_items"
    DISPATCH = "dispatch"
    RECEIVE = "receive"
    CANCEL = "cancel"


ALLOWED_ACTIONS = {
    TransferStatus.DRAFT: {TransferAction.EDIT_ITEMS, TransferAction.DISPATCH, TransferAction.CANCEL},
    TransferStatus.DISPATCHED: {TransferAction.RECEIVE},
}

ACTION_REFUSALS = {
    TransferAction.EDIT_ITEMS: "Chỉ thêm hoặc bớt bưu gửi khi phiếu bàn giao còn là bản nháp",
    TransferAction.DISPATCH: "Phiếu bàn giao chỉ được giao đi một lần, khi còn là bản nháp",
    TransferAction.RECEIVE: "Chỉ nhận được phiếu bàn giao đã giao đi và chưa nhận",
    TransferAction.CANCEL: "Chỉ huỷ được phiếu bàn giao còn là bản nháp",
}


def allows(status: TransferStatus, action: TransferAction) -> bool:
    return action in ALLOWED_ACTIONS.get(status, set())


def status_after_receipt(*, missing: int, unexpected: int, damaged: int, seal_intact: bool | None) -> TransferStatus:
    """A receipt is clean only if everything expected arrived, nothing else did, and nothing was harmed."""
    if missing or unexpected or damaged or seal_intact is False:
        return TransferStatus.RECEIVED_WITH_DISCREPANCIES
    return TransferStatus.RECEIVED
