"""A report's period in local days: the days wholly inside it, read from the rollup, and the
edges at either end, read from the legs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select

from tracker.custody.models import Leg
from tracker.extensions import db


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_label(monday: date) -> str:
    """'2026-W47': the ISO year and week."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def whole_days(start: datetime, end: datetime, zone: ZoneInfo) -> tuple[date, date]:
    """The local days [first, last) wholly inside [start, end); first == last when there is none."""
    local_start = start.astimezone(zone)
    first = local_start.date()
    if local_start != midnight(first, zone):
        first += timedelta(days=1)
    return first, max(first, end.astimezone(zone).date())


def days_read_whole(start: datetime, end: datetime, kinds: tuple[str, ...], zone: ZoneInfo) -> tuple[date, date]:
    """whole_days, and the period's last day too when no leg of it ended at or after the end.

    A report up to now is the common case: the rollup's bars of today then hold exactly the
    period's legs of today, and the legs themselves are read only for the first partial day.
    """
    first, last = whole_days(start, end, zone)
    day_after = midnight(last + timedelta(days=1), zone)
    if midnight(last, zone) < start or not midnight(last, zone) < end < day_after:
        return first, last
    later = select(Leg.id).where(Leg.kind.in_(kinds), Leg.ended_at >= end, Leg.ended_at < day_after).limit(1)
    return (first, last) if db.session.scalar(later) is not None else (first, last + timedelta(days=1))


def midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)


def edge_legs(start: datetime, end: datetime, first: date, last: date, zone: ZoneInfo):
    """Legs that ended in the period but outside its whole days."""
    if first == last:
        return and_(Leg.ended_at >= start, Leg.ended_at < end)
    return or_(
        and_(Leg.ended_at >= start, Leg.ended_at < midnight(first, zone)),
        and_(Leg.ended_at >= midnight(last, zone), Leg.ended_at < end),
    )
