"""The domain's words as the pages show them, translated: one place for every label."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from tracker.domain.custody import TransferStatus

DELAY_KINDS = {
    "overdue_transit": _l("Overdue in transit"),
    "overdue_dwell": _l("Held too long"),
    "suspected_lost": _l("Suspected lost"),
    "finished_late": _l("Finished late (last 7 days)"),
    "at_risk": _l("At risk of missing the appointment date"),
}
REPORT_GROUPINGS = {
    "route": _l("by route"),
    "from_unit": _l("by sending unit"),
    "to_unit": _l("by receiving unit"),
    "procedure": _l("by procedure"),
    "week": _l("by week"),
}
UNIT_KINDS = {"post": _l("post office"), "centre": _l("service centre"), "department": _l("department")}
LEG_KINDS = {"transit": _l("transit"), "dwell": _l("waiting at a unit")}
EVENTS = {
    "registered": _l("Registered"),
    "packed": _l("Packed into a transfer"),
    "unpacked": _l("Taken out of a transfer"),
    "dispatched": _l("Handed over"),
    "received": _l("Received"),
    "received_unexpected": _l("Received, not on the list"),
    "arrived_elsewhere": _l("Turned up at another unit"),
    "missing": _l("Missing on receipt"),
    "damaged": _l("Damaged"),
    "seal_broken": _l("Seal broken"),
    "delivered": _l("Delivered to the applicant"),
    "delivery_failed": _l("Delivery attempt failed"),
    "dossier_returned": _l("Dossier returned or withdrawn"),
    "transfer_cancelled": _l("Transfer cancelled"),
}
ITEM_KINDS = {"application": _l("application papers"), "result": _l("result"), "returned": _l("returned papers")}
ITEM_STATUSES = {
    "held": _l("held"),
    "packed": _l("packed"),
    "in_transit": _l("in transit"),
    "missing": _l("missing"),
    "delivered": _l("delivered"),
}
TRANSFER_STATUSES = {
    TransferStatus.DRAFT.value: _l("Being packed, not dispatched"),
    TransferStatus.DISPATCHED.value: _l("Dispatched, waiting to be received"),
    TransferStatus.RECEIVED.value: _l("Received in full"),
    TransferStatus.RECEIVED_WITH_DISCREPANCIES.value: _l("Received with discrepancies"),
    TransferStatus.CANCELLED.value: _l("Cancelled"),
}
ROLES = {
    "postal_staff": _l("postal staff"),
    "centre_clerk": _l("centre clerk"),
    "department_clerk": _l("department clerk"),
    "supervisor": _l("supervisor"),
    "admin": _l("administrator"),
}
AUDIT_TARGETS = {
    "user": _l("account"),
    "unit": _l("unit"),
    "calendar_day": _l("calendar day"),
    "route_limits": _l("route limits"),
    "procedure": _l("procedure"),
}
AUDIT_ACTIONS = {
    "create": _l("created"),
    "edit": _l("edited"),
    "disable": _l("disabled"),
    "enable": _l("enabled again"),
    "reset_password": _l("password reset"),
    "set": _l("set"),
    "replace": _l("replaced"),
    "delete": _l("removed"),
}

# The end of the journey: the same codes as tracker.domain.journey_end.
RETURN_REASONS = {
    "missing_papers": _l("Papers missing"),
    "invalid_papers": _l("Papers not valid"),
    "not_eligible": _l("Not eligible"),
    "wrong_authority": _l("Not within the department's authority"),
    "citizen_withdrew": _l("The citizen withdrew the dossier"),
    "other": _l("Another reason"),
}
DELIVERY_FAILURE_REASONS = {
    "not_home": _l("Nobody at home"),
    "refused": _l("The recipient refused it"),
    "wrong_address": _l("Wrong address"),
    "unreachable": _l("Could not reach the recipient"),
    "other": _l("Another reason"),
}
RECIPIENT_KINDS = {"applicant": _l("The applicant"), "authorised": _l("An authorised person")}
HOLDING_STATUSES = {
    "to_send": _l("Waiting to be sent"),
    "awaiting_delivery": _l("Waiting for delivery to the applicant"),
    "returned": _l("Returned papers"),
    "flagged": _l("Failed deliveries: back to the centre"),
}
DOSSIER_STATUSES = {
    "open": _l("in progress"),
    "delivered": _l("result delivered"),
    "returned": _l("returned unprocessed"),
    "withdrawn": _l("withdrawn"),
}
