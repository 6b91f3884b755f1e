"""Custody events read as EPCIS 2.0 events, a page at a time, behind a cursor.

The cursor is the last event id of the page: events are append-only and their ids only grow,
so a page never shifts when new events arrive while a client is paging.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Row, select
from sqlalchemy.orm import aliased

from tracker.auth.models import User
from tracker.auth.services import require_role
from tracker.custody.lookup import find_item
from tracker.custody.models import CustodyEvent, Item, Transfer
from tracker.database import utcnow
from tracker.domain.custody import EventKind, Role
from tracker.dossiers.models import Dossier
from tracker.dossiers.services import find_dossier
from tracker.epcis.vocabulary import EPCIS_CONTEXT, EPCIS_STEPS, TRANSFER_TRANSACTION_TYPE
from tracker.errors import Unprocessable
from tracker.extensions import db
from tracker.units.models import Unit
from tracker.units.services import find_unit

READERS = (Role.SUPERVISOR, Role.ADMIN)
EPCIS_ISO = "%Y-%m-%dT%H:%M:%S.%f"


@dataclass(frozen=True)
class EventFilters:
    from_: datetime | None = None
    to: datetime | None = None
    dossier: str | None = None
    item: str | None = None
    unit: str | None = None


def event_page(user: User, filters: EventFilters, per_page: int, cursor: str | None) -> tuple[list[dict], str | None]:
    """One page of events as EPCIS dicts, oldest first, and the cursor of the next page (or None)."""
    require_role(user, *READERS)
    sender, receiver, place = aliased(Unit), aliased(Unit), aliased(Unit)
    statement = (
        select(
            CustodyEvent, Item.code.label("item"), Dossier.code.label("dossier"),
            Dossier.tracking_code.label("tracking_code"), Transfer.code.label("transfer"),
            sender.code.label("sender"), receiver.code.label("receiver"), place.code.label("unit"),
        )
        .join(place, place.id == CustodyEvent.unit_id)
        .outerjoin(Item, Item.id == CustodyEvent.item_id)
        .outerjoin(Dossier, Dossier.id == Item.dossier_id)
        .outerjoin(Transfer, Transfer.id == CustodyEvent.transfer_id)
        .outerjoin(sender, sender.id == Transfer.from_unit_id)
        .outerjoin(receiver, receiver.id == Transfer.to_unit_id)
        .order_by(CustodyEvent.id)
        .limit(per_page + 1)
    )  # fmt: skip
    for condition in _conditions(filters, cursor):
        statement = statement.where(condition)
    rows = db.session.execute(statement).all()
    names = Names(current_app.config["EPCIS_BASE_URI"], ZoneInfo(current_app.config["TRACKER_TIMEZONE"]))
    page = rows[:per_page]
    following = encode_cursor(page[-1].CustodyEvent.id) if len(rows) > per_page else None
    return [names.event(row) for row in page], following


def _conditions(filters: EventFilters, cursor: str | None) -> list:
    conditions = []
    if cursor:
        conditions.append(CustodyEvent.id > decode_cursor(cursor))
    if filters.from_:
        conditions.append(CustodyEvent.occurred_at >= filters.from_)
    if filters.to:
        conditions.append(CustodyEvent.occurred_at < filters.to)
    if filters.dossier:
        conditions.append(Item.dossier_id == find_dossier(filters.dossier).id)
    if filters.item:
        conditions.append(CustodyEvent.item_id == find_item(filters.item).id)
    if filters.unit:
        conditions.append(CustodyEvent.unit_id == find_unit(filters.unit).id)
    return conditions


def encode_cursor(event_id: int) -> str:
    return base64.urlsafe_b64encode(f"e{event_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not text.startswith("e"):
            raise ValueError(text)
        return int(text[1:])
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise Unprocessable(
            "Con trỏ trang (cursor) không hợp lệ: dùng đúng liên kết next của trang trước.",
            code="validation_error",
            details={"cursor": ["not a cursor given by this server"]},
        ) from error


def query_document(events: list[dict], following_url: str | None) -> dict:
    """The EPCISQueryDocument that carries a page of events (EPCIS 2.0 JSON-LD)."""
    base = current_app.config["EPCIS_BASE_URI"]
    document = {
        "@context": [EPCIS_CONTEXT, {"tracker": f"{base}vocab/"}],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": _time(utcnow(), ZoneInfo("UTC")),
        "epcisBody": {"queryResults": {"queryName": "SimpleEventQuery", "resultsBody": {"eventList": events}}},
    }
    if following_url:
        document["tracker:next"] = following_url
    return document


@dataclass(frozen=True)
class Names:
    """URIs under one base for everything the tracker names, and times in the province's zone."""

    base: str
    zone: ZoneInfo

    def uri(self, kind: str, code: str) -> str:
        return f"{self.base}{kind}/{code}"

    def event(self, row: Row) -> dict:
        event: CustodyEvent = row.CustodyEvent
        step = EPCIS_STEPS[EventKind(event.kind)]
        subject = self.uri("items", row.item) if row.item else self.uri("transfers", row.transfer)
        answer = {
            "type": step.event_type,
            "eventID": self.uri("events", str(event.id)),
            "eventTime": _time(event.occurred_at, self.zone),
            "eventTimeZoneOffset": _offset(event.occurred_at, self.zone),
            "recordTime": _time(event.recorded_at, self.zone),
            "action": step.action,
        }
        if step.event_type == "AggregationEvent":
            answer |= {"parentID": self.uri("transfers", row.transfer), "childEPCs": [subject]}
        else:
            answer["epcList"] = [subject]
        answer["bizStep"] = step.biz_step
        if step.disposition:
            answer["disposition"] = step.disposition
        answer["readPoint"] = {"id": self.uri("units", row.unit)}
        if step.at_location:
            answer["bizLocation"] = {"id": self.uri("units", row.unit)}
        answer |= self._transactions(row)
        return answer

    def _transactions(self, row: Row) -> dict:
        found = {}
        transactions = []
        if row.transfer:
            transactions.append(
                {"type": TRANSFER_TRANSACTION_TYPE, "bizTransaction": self.uri("transfers", row.transfer)}
            )
            found["sourceList"] = [{"type": "location", "source": self.uri("units", row.sender)}]
            found["destinationList"] = [{"type": "location", "destination": self.uri("units", row.receiver)}]
        if row.tracking_code:
            transactions.append({"bizTransaction": self.uri("dossiers", row.dossier or row.tracking_code)})
        if transactions:
            found["bizTransactionList"] = transactions
        return found


def _time(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return local.strftime(EPCIS_ISO)[:-3] + _offset(moment, zone)


def _offset(moment: datetime, zone: ZoneInfo) -> str:
    """The offset of the province's zone at that moment: devices send UTC-convertible times, and
    their own zone is not kept, so the province's stands for the device's."""
    total = int(moment.astimezone(zone).utcoffset().total_seconds()) // 60
    sign = "+" if total >= 0 else "-"
    return f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
