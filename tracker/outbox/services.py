"""Events for the outside world, recorded in the outbox by the use case that causes them.

emit() only adds a row to the session: it commits (or rolls back) with the change it
describes, so a refused change announces nothing and a committed one is never forgotten.
The worker (tracker/outbox/worker.py) hands the rows to webhooks and mail afterwards.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import insert

from tracker.database import utcnow
from tracker.extensions import db
from tracker.outbox.models import OutboxEvent


class EventType(StrEnum):
    DOSSIER_REGISTERED = "dossier.registered"
    DOSSIER_RETURNED = "dossier.returned"
    ITEM_REGISTERED = "item.registered"
    ITEM_DISPATCHED = "item.dispatched"
    ITEM_RECEIVED = "item.received"
    ITEM_MISSING = "item.missing"
    ITEM_DAMAGED = "item.damaged"
    ITEM_DELIVERED = "item.delivered"
    ITEM_DELIVERY_FAILED = "item.delivery_failed"
    TRANSFER_RECEIVED_WITH_DISCREPANCIES = "transfer.received_with_discrepancies"
    DELAY_STARTED = "delay.started"
    DELAY_SUSPECTED_LOST = "delay.suspected_lost"


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _values(event_type: EventType | str, occurred_at: datetime | None, data: dict, now: datetime) -> dict:
    event_type = EventType(event_type)
    occurred_at = occurred_at or now
    payload = {
        "id": f"evt_{uuid.uuid4().hex}",
        "type": event_type.value,
        "timestamp": iso_utc(occurred_at),
        "data": {name: value for name, value in data.items() if value is not None},
    }
    return {"type": event_type.value, "payload": payload, "occurred_at": occurred_at, "created_at": now}


def emit(event_type: EventType | str, *, occurred_at: datetime | None = None, **data) -> OutboxEvent:
    """Record one event in the current transaction; data names things by code (None is left out).

    The payload is {"id", "type", "timestamp", "data"}; its id is the webhook-id of every
    delivery of the event, retries included.
    """
    event = OutboxEvent(**_values(event_type, occurred_at, data, utcnow()))
    db.session.add(event)
    return event


def emit_many(event_type: EventType | str, events: list[tuple[datetime, dict]]) -> None:
    """Record many events of one type in one statement, in the order given (bulk imports)."""
    if events:
        now = utcnow()
        rows = [_values(event_type, occurred_at, data, now) for occurred_at, data in events]
        db.session.execute(insert(OutboxEvent), rows)
