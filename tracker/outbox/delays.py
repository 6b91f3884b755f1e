"""Legs that went over their limit since the last pass: announced once per leg.

Every worker pass looks for open legs over their route limit (and transit legs over
LOST_AFTER_LIMITS times it) that have no DelayAnnouncement yet, and records the
announcement and its outbox event together. The announcement's primary key (leg, type)
makes a second worker's identical insert fail instead of announcing twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from tracker.calendar.services import working_clock
from tracker.custody.models import Item, Leg, Transfer
from tracker.delays.leg_limits import late_now
from tracker.delays.selects import LOST_AFTER_LIMITS
from tracker.delays.services import planned_from_indexes
from tracker.dossiers.models import Dossier
from tracker.extensions import db
from tracker.outbox.models import DelayAnnouncement
from tracker.outbox.services import EventType, emit, iso_utc
from tracker.units.models import Unit

ANNOUNCED_PER_PASS = 1000


def late_legs_statement(event_type: EventType, now: datetime) -> Select:
    """Open legs over their limit (times LOST_AFTER_LIMITS for suspected lost) not yet announced,
    the longest late first: a range of the late-at index (tracker/delays/services.py) read in its
    own order, however long the history. In the order of the legs' ids, PostgreSQL walked every
    leg's primary key for the first thousand (1.5-2.1 s a pass on a 1,000,000-item year)."""
    sender, receiver = aliased(Unit), aliased(Unit)
    now_clock = working_clock(now)
    elapsed = now_clock - Leg.start_clock
    times_limit = LOST_AFTER_LIMITS if event_type is EventType.DELAY_SUSPECTED_LOST else 1
    kinds = ("transit",) if event_type is EventType.DELAY_SUSPECTED_LOST else ("transit", "dwell")
    announced = exists().where(DelayAnnouncement.leg_id == Leg.id, DelayAnnouncement.event_type == event_type.value)
    return (
        select(Leg, Item.code, Dossier.code, Transfer.code, sender.code, receiver.code, elapsed)
        .join(Item, Item.id == Leg.item_id)
        .join(Dossier, Dossier.id == Leg.dossier_id)
        .join(sender, sender.id == Leg.from_unit_id)
        .outerjoin(receiver, receiver.id == Leg.to_unit_id)
        .outerjoin(Transfer, Transfer.id == Leg.transfer_id)
        .where(
            late_now(now_clock),
            Leg.kind.in_(kinds),
            elapsed > Leg.limit_seconds * times_limit,
            ~announced,
        )
        .order_by(Leg.late_at, Leg.id)
        .limit(ANNOUNCED_PER_PASS)
    )


def announce_delays(now: datetime) -> int:
    """Record delay.started and delay.suspected_lost for legs newly over their limits; how many."""
    try:
        count = _announce(now)
        db.session.commit()
    except IntegrityError:
        # Another worker announced the same legs at the same moment: theirs stand.
        db.session.rollback()
        return 0
    return count


def _announce(now: datetime) -> int:
    count = 0
    for event_type in (EventType.DELAY_STARTED, EventType.DELAY_SUSPECTED_LOST):
        with planned_from_indexes():
            late = db.session.execute(late_legs_statement(event_type, now)).all()
        for leg, item, dossier, transfer, from_unit, to_unit, elapsed in late:
            db.session.add(DelayAnnouncement(leg_id=leg.id, event_type=event_type.value, announced_at=now))
            emit(
                event_type,
                occurred_at=now,
                dossier=dossier,
                item=item,
                leg=leg.kind,
                transfer=transfer,
                from_unit=from_unit,
                to_unit=to_unit,
                started_at=iso_utc(leg.started_at),
                limit_hours=leg.limit_hours,
                elapsed_hours=round(elapsed / 3600, 2),
            )
            count += 1
    db.session.flush()
    return count
