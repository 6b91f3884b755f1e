"""Each leg carries the route limit it is held to (legs.limit_seconds), so that late legs are
index ranges (tracker/delays/services.py, tracker/outbox/delays.py).

The limit is set as the leg is written (a flush of new legs reads the rules once) and set
again for every leg it changes when the route limits are replaced. The working calendar does
not touch it: a limit is a number of working seconds, whatever the days they fall on.
"""

from __future__ import annotations

import math

from sqlalchemy import BigInteger, ColumnElement, cast, event, func, select, update
from sqlalchemy.orm import Session

from tracker.custody.models import Leg
from tracker.delays.sla import LIMITED_KINDS, current_limits, leg_limit_hours, limit_hours_of
from tracker.units.models import Unit


def seconds_of(hours: float | None) -> int | None:
    """Hours in whole seconds, rounded half up as SQL's round() does in judge_legs."""
    return None if hours is None else math.floor(hours * 3600 + 0.5)


@event.listens_for(Session, "before_flush")
def _limit_new_legs(session: Session, _context, _instances) -> None:
    new_legs = [leg for leg in session.new if isinstance(leg, Leg) and leg.kind in LIMITED_KINDS]
    if not new_legs:
        return
    with session.no_autoflush:
        rules = current_limits()
        for leg in new_legs:
            sender = session.get(Unit, leg.from_unit_id)
            receiver = session.get(Unit, leg.to_unit_id) if leg.to_unit_id is not None else None
            leg.limit_seconds = seconds_of(limit_hours_of(rules, leg.kind, sender, receiver))


def late_now(now_clock: int | ColumnElement[int]) -> ColumnElement[bool]:
    """Open legs over their limit at now_clock: a range of ix_legs_late_at, written as the index
    is, so that the planner matches it."""
    return Leg.end_clock.is_(None) & Leg.limit_seconds.is_not(None) & (Leg.late_at < now_clock)


def judge_legs(legs_where=None):
    """The UPDATE that sets every leg's limit (those legs_where picks) from the route limits,
    writing only the legs whose limit changed."""
    _, _, joined, limit = leg_limit_hours()
    limits = joined(select(Leg.id, cast(func.round(limit * 3600), BigInteger).label("seconds")).select_from(Leg))
    if legs_where is not None:
        limits = limits.where(legs_where)
    judged = limits.subquery("judged")
    return (
        update(Leg)
        .where(Leg.id == judged.c.id, Leg.limit_seconds.is_distinct_from(judged.c.seconds))
        .values(limit_seconds=judged.c.seconds)
    )
