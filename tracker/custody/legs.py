"""Legs kept up to date with the custody events, in the same transaction.

An item's life is a chain of dwell legs (held at a unit) and transit legs (between two
units); a dossier's whole journey runs from its first pickup to its result's delivery.
The legs a transaction finishes are kept in its session until it ends, for what counts
them at commit (the reports' rollup, tracker/delays/rollups.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, and_, event, func, or_, select, update
from sqlalchemy.orm import Session

from tracker.calendar.services import working_clock
from tracker.custody.models import Item, Leg, Transfer
from tracker.domain.custody import UnitKind
from tracker.dossiers.models import Dossier
from tracker.extensions import db
from tracker.units.models import Unit

TRANSIT, DWELL, JOURNEY = "transit", "dwell", "journey"
# How a leg of each kind finishes in a way the reports count (a transit reported missing does not).
FINISHED = {TRANSIT: ("received",), DWELL: ("dispatched", "delivered", "moved"), JOURNEY: ("delivered",)}
JUST_FINISHED = "legs_finished_in_this_transaction"  # in the session's info, until it ends


def finished_legs(kinds: Iterable[str] = FINISHED) -> ColumnElement[bool]:
    """The condition on legs that finished (of these kinds) in a way the reports count."""
    return or_(*(and_(Leg.kind == kind, Leg.outcome.in_(FINISHED[kind])) for kind in kinds))


def take_finished_legs(session: Session) -> list[int]:
    """The ids of the legs this transaction finished, once: for whatever counts them at commit."""
    return session.info.pop(JUST_FINISHED, None) or []


@event.listens_for(Session, "after_transaction_end")
def _forget_finished_legs(session: Session, transaction) -> None:
    """A transaction that ended without its commit (rolled back, closed) finished nothing."""
    if transaction.parent is None:
        session.info.pop(JUST_FINISHED, None)


def open_leg(kind: str, at: datetime, *, dossier_id: int, from_unit: Unit, **extra) -> Leg:
    leg = Leg(
        kind=kind,
        dossier_id=dossier_id,
        from_unit_id=from_unit.id,
        started_at=at,
        start_clock=working_clock(at),
        **extra,
    )
    db.session.add(leg)
    return leg


def close_legs(statement, at: datetime, outcome: str, **extra) -> None:
    """End the open legs the statement selects, noting those that finished (take_finished_legs)."""
    finished = db.session.info.setdefault(JUST_FINISHED, [])
    for leg in db.session.scalars(statement.where(Leg.ended_at.is_(None))):
        leg.ended_at = at
        leg.end_clock = max(working_clock(at), leg.start_clock)
        leg.wall_seconds = max(0, int((at - leg.started_at).total_seconds()))
        leg.outcome = outcome
        for name, value in extra.items():
            setattr(leg, name, value)
        if outcome in FINISHED[leg.kind]:
            finished.append(leg.id)


def item_registered(item: Item, unit: Unit, at: datetime) -> None:
    """A new item is held where it was made; its dossier's journey starts with its first item."""
    open_leg(DWELL, at, dossier_id=item.dossier_id, from_unit=unit, item_id=item.id)
    journey = select(Leg.id).where(Leg.kind == JOURNEY, Leg.dossier_id == item.dossier_id)
    if db.session.scalar(journey) is None:
        open_leg(JOURNEY, at, dossier_id=item.dossier_id, from_unit=unit)


def items_dispatched(items: list[Item], transfer: Transfer, at: datetime) -> None:
    """The items' dwell at the sender ends and their transit starts; a department sending anything
    on answers each of its dossiers (no longer at risk), first time first, in one UPDATE."""
    for item in items:
        close_legs(select(Leg).where(Leg.item_id == item.id, Leg.kind == DWELL), at, "dispatched")
        open_leg(
            TRANSIT, at, dossier_id=item.dossier_id, from_unit=transfer.from_unit, item_id=item.id,
            transfer_id=transfer.id, to_unit_id=transfer.to_unit_id,
        )  # fmt: skip
    if transfer.from_unit.kind == UnitKind.DEPARTMENT.value:
        db.session.execute(
            update(Dossier)
            .where(Dossier.id.in_({item.dossier_id for item in items}))
            .where(Dossier.department_id == transfer.from_unit_id)
            .where(Dossier.answered_at.is_(None) | (Dossier.answered_at > at))
            .values(answered_at=at)
        )


def first_answer(dossier_id: int | ColumnElement[int], department_id: int | ColumnElement[int]):
    """When the department first sent anything of the dossier on (None if never), as SQL."""
    return (
        select(func.min(Leg.started_at))
        .where(Leg.dossier_id == dossier_id, Leg.kind == TRANSIT, Leg.from_unit_id == department_id)
        .scalar_subquery()
    )


def record_answers():
    """The UPDATE that sets every dossier's answered_at from its legs (migration 0015, loaded years)."""
    return update(Dossier).values(answered_at=first_answer(Dossier.id, Dossier.department_id))


def item_arrived(item: Item, receiver: Unit, at: datetime) -> None:
    """Whatever the item was doing (in transit, or held elsewhere), it is now held by receiver."""
    transit = select(Leg).where(Leg.item_id == item.id, Leg.kind == TRANSIT)
    close_legs(transit.where(Leg.to_unit_id == receiver.id), at, "received")
    # Sent to another unit and turned up here: that transit never reached its destination.
    close_legs(transit, at, "elsewhere")
    close_legs(select(Leg).where(Leg.item_id == item.id, Leg.kind == DWELL), at, "moved")
    open_leg(DWELL, at, dossier_id=item.dossier_id, from_unit=receiver, item_id=item.id)


def item_missing(item: Item, at: datetime) -> None:
    close_legs(select(Leg).where(Leg.item_id == item.id, Leg.kind == TRANSIT), at, "missing")


def item_delivered(item: Item, at: datetime, *, ends_journey: bool) -> None:
    close_legs(select(Leg).where(Leg.item_id == item.id, Leg.kind == DWELL), at, "delivered")
    if ends_journey:
        close_legs(select(Leg).where(Leg.dossier_id == item.dossier_id, Leg.kind == JOURNEY), at, "delivered")
