"""Each leg of a dossier's items, measured in working hours against its limit: the timeline."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from tracker.calendar.services import working_clock
from tracker.custody.models import Leg
from tracker.database import utcnow
from tracker.extensions import db
from tracker.units.models import Unit


@dataclass(frozen=True)
class MeasuredLeg:
    kind: str  # transit, dwell or journey
    from_unit: Unit
    to_unit: Unit | None
    started_at: datetime
    ended_at: datetime | None
    working_hours: float
    limit_hours: float | None

    @property
    def late(self) -> bool:
        return self.limit_hours is not None and self.working_hours > self.limit_hours

    @property
    def open(self) -> bool:
        return self.ended_at is None


def legs_by_item(dossier_id: int, now: datetime | None = None) -> dict[int, list[MeasuredLeg]]:
    """The transit and dwell legs of every item of a dossier, oldest first; open legs run to now."""
    sender, receiver = aliased(Unit), aliased(Unit)
    statement = (
        select(Leg, sender, receiver)
        .join(sender, sender.id == Leg.from_unit_id)
        .outerjoin(receiver, receiver.id == Leg.to_unit_id)
        .where(Leg.dossier_id == dossier_id, Leg.kind.in_(("transit", "dwell")))
    )
    now_clock = working_clock(now or utcnow())
    legs: dict[int, list[MeasuredLeg]] = defaultdict(list)
    for leg, from_unit, to_unit in db.session.execute(statement.order_by(Leg.started_at, Leg.id)):
        end_clock = leg.end_clock if leg.end_clock is not None else now_clock
        legs[leg.item_id].append(
            MeasuredLeg(
                kind=leg.kind,
                from_unit=from_unit,
                to_unit=to_unit,
                started_at=leg.started_at,
                ended_at=leg.ended_at,
                working_hours=round((end_clock - leg.start_clock) / 3600, 2),
                limit_hours=leg.limit_hours,
            )
        )
    return legs
