"""Custody events in the words of EPCIS 2.0 and the CBV 2.0 (bare names, as 2.0 JSON-LD allows).

One table: a custody event kind -> the EPCIS event type, action, business step and disposition.
Packing and unpacking change what a transfer contains, so they are AggregationEvents with the
transfer as parent; everything else is an ObjectEvent on the item (or on the transfer itself
when the fact concerns the whole transfer: a broken seal, a cancellation).
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.custody import EventKind


@dataclass(frozen=True)
class EpcisStep:
    event_type: str  # ObjectEvent or AggregationEvent
    action: str  # ADD, OBSERVE or DELETE
    biz_step: str
    disposition: str | None
    at_location: bool = True  # False: the object has left the unit (no bizLocation)


EPCIS_STEPS: dict[EventKind, EpcisStep] = {
    EventKind.REGISTERED: EpcisStep("ObjectEvent", "ADD", "commissioning", "active"),
    EventKind.PACKED: EpcisStep("AggregationEvent", "ADD", "packing", "in_progress"),
    EventKind.UNPACKED: EpcisStep("AggregationEvent", "DELETE", "unpacking", "in_progress"),
    EventKind.DISPATCHED: EpcisStep("ObjectEvent", "OBSERVE", "departing", "in_transit", at_location=False),
    EventKind.RECEIVED: EpcisStep("ObjectEvent", "OBSERVE", "receiving", "in_progress"),
    EventKind.RECEIVED_UNEXPECTED: EpcisStep("ObjectEvent", "OBSERVE", "arriving", "mismatch_instance"),
    EventKind.MISSING: EpcisStep("ObjectEvent", "OBSERVE", "receiving", "unknown", at_location=False),
    EventKind.DAMAGED: EpcisStep("ObjectEvent", "OBSERVE", "inspecting", "damaged"),
    EventKind.SEAL_BROKEN: EpcisStep("ObjectEvent", "OBSERVE", "inspecting", "container_open"),
    EventKind.DELIVERED: EpcisStep("ObjectEvent", "OBSERVE", "accepting", "completeness_verified", at_location=False),
    EventKind.TRANSFER_CANCELLED: EpcisStep("ObjectEvent", "DELETE", "void_shipping", None),
}

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
# The transfer's manifest is a despatch advice (CBV business transaction type desadv).
TRANSFER_TRANSACTION_TYPE = "desadv"
