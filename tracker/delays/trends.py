"""Figures behind the dashboard's charts: transit times per route, on-time shares per week."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from tracker.custody.models import Leg
from tracker.delays.reports import week_start
from tracker.delays.rollups import finished_legs
from tracker.delays.sla import kept_limit, leg_limit_hours
from tracker.extensions import db
from tracker.units.models import Unit

# The box plot reads single legs; past this many (the newest) it is a sample, not a census.
MAX_LEGS_PER_BOX_PLOT = 20_000


@dataclass(frozen=True)
class WeekShare:
    group: str
    week: date  # the week's Monday
    count: int
    on_time: int

    @property
    def on_time_share(self) -> float:
        return self.on_time / self.count


def transit_hours_by_route(start: datetime, end: datetime) -> dict[str, list[float]]:
    """Working hours of each transit leg that ended in the period, by route ('BC-VINH → TTHCC')."""
    sender, receiver = aliased(Unit), aliased(Unit)
    statement = (
        select(sender.code, receiver.code, (Leg.end_clock - Leg.start_clock) / 3600.0)
        .select_from(Leg)
        .join(sender, sender.id == Leg.from_unit_id)
        .join(receiver, receiver.id == Leg.to_unit_id)
        .where(finished_legs(("transit",)), Leg.ended_at >= start, Leg.ended_at < end)
        .order_by(Leg.ended_at.desc())
        .limit(MAX_LEGS_PER_BOX_PLOT)
    )
    hours: dict[str, list[float]] = defaultdict(list)
    for from_code, to_code, working_hours in db.session.execute(statement):
        hours[f"{from_code} → {to_code}"].append(float(working_hours))
    return dict(sorted(hours.items()))


def _monday(value) -> date:
    """PostgreSQL's date_trunc gives a timestamp, SQLite's date() a string."""
    return value.date() if isinstance(value, datetime) else date.fromisoformat(str(value))


def on_time_by_week(start: datetime, end: datetime, *, per: str) -> list[WeekShare]:
    """Finished legs per week and how many kept their limit, per route (transit legs) or per
    unit (its transit legs out and its dwell legs: the time the unit is answerable for)."""
    sender, receiver, joined, limit = leg_limit_hours()
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    week = week_start(Leg.ended_at, postgresql).label("week")
    on_time = case((kept_limit(Leg.end_clock - Leg.start_clock, limit), 1), else_=0)
    keys = [sender.code, receiver.code] if per == "route" else [sender.code]
    kinds = ("transit",) if per == "route" else ("transit", "dwell")
    statement = (
        joined(select(*keys, week, func.count(), func.sum(on_time)).select_from(Leg))
        .where(finished_legs(kinds), Leg.ended_at >= start, Leg.ended_at < end)
        .group_by(*keys, week)
    )
    shares = []
    for *codes, monday, count, kept in db.session.execute(statement):
        shares.append(WeekShare(" → ".join(codes), _monday(monday), int(count), int(kept)))
    return sorted(shares, key=lambda share: (share.group, share.week))
