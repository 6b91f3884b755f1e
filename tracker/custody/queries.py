"""Read-only lists of transfers for the pages (what a unit is sending and what is coming to it),
and the check of their kept counts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, func, literal, select

from tracker.custody.models import CustodyEvent, Item, Transfer, TransferItem
from tracker.database import utcnow
from tracker.domain.custody import EventKind, ItemStatus, TransferStatus, UnitKind
from tracker.extensions import db
from tracker.units.models import Unit


def transfers_between(
    *, from_unit: Unit | None = None, to_unit: Unit | None = None, statuses: tuple[TransferStatus, ...], limit: int = 50
) -> list[Transfer]:
    """Transfers from or to a unit in the given states, newest first."""
    statement = (
        select(Transfer)
        .where(Transfer.status.in_([status.value for status in statuses]))
        .order_by(Transfer.created_at.desc(), Transfer.id.desc())
        .limit(limit)
    )
    if from_unit is not None:
        statement = statement.where(Transfer.from_unit_id == from_unit.id)
    if to_unit is not None:
        statement = statement.where(Transfer.to_unit_id == to_unit.id)
    return list(db.session.scalars(statement))


def usual_destinations(unit: Unit) -> list[Unit]:
    """The active units this one can send to, the usual ones first.

    A post office and a department send almost everything to the centre, so it leads their
    list; after it come the units this one has sent most transfers to, then the rest by name.
    """
    sent = (
        select(Transfer.to_unit_id, func.count().label("sent"))
        .where(Transfer.from_unit_id == unit.id)
        .group_by(Transfer.to_unit_id)
        .subquery()
    )
    centre_first = (
        case((Unit.kind == UnitKind.CENTRE.value, 0), else_=1) if unit.kind != UnitKind.CENTRE else literal(1)
    )
    statement = (
        select(Unit)
        .outerjoin(sent, sent.c.to_unit_id == Unit.id)
        .where(Unit.active.is_(True), Unit.id != unit.id)
        .order_by(centre_first, func.coalesce(sent.c.sent, 0).desc(), Unit.name)
    )
    return list(db.session.scalars(statement))


def items_in_transit() -> int:
    return db.session.scalar(select(func.count()).select_from(Item).where(Item.status == ItemStatus.IN_TRANSIT.value))


def arrived_elsewhere(unit: Unit, *, days: int = 30, limit: int = 50) -> list[CustodyEvent]:
    """The unit's items that turned up unexpectedly at another unit lately, newest first."""
    since: datetime = utcnow() - timedelta(days=days)
    statement = (
        select(CustodyEvent)
        .where(
            CustodyEvent.unit_id == unit.id,
            CustodyEvent.kind == EventKind.ARRIVED_ELSEWHERE.value,
            CustodyEvent.recorded_at >= since,
        )
        .order_by(CustodyEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(statement))


def miscounted_transfers() -> list[tuple[str, int, int]]:
    """Transfers whose kept count of lines is not the count of their manifest lines: (code, kept,
    counted). Empty unless something wrote lines behind the services' back."""
    counted = (
        select(func.count())
        .select_from(TransferItem)
        .where(TransferItem.transfer_id == Transfer.id, TransferItem.on_manifest)
        .scalar_subquery()
    )
    statement = select(Transfer.code, Transfer.item_count, counted).where(Transfer.item_count != counted)
    return [tuple(row) for row in db.session.execute(statement.order_by(Transfer.id))]
