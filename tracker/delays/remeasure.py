"""Changing the calendar: declare a day, then measure every leg and dossier date again on it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, update

from tracker.audit.services import record_change
from tracker.auth.models import User
from tracker.auth.services import require_role
from tracker.calendar.models import CalendarException
from tracker.calendar.services import current_calendar, forget_calendar
from tracker.custody.models import Leg
from tracker.database import utcnow
from tracker.delays.rollups import rebuild_rollups
from tracker.domain.calendar import WorkingCalendar
from tracker.domain.custody import Role
from tracker.dossiers.models import Dossier
from tracker.extensions import db


def set_calendar_day(user: User, day: date, working: bool | None, note: str = "") -> None:
    """Declare a day off (working=False), a make-up day (True), or back to normal (None).

    Every leg is then measured again on the new calendar.
    """
    require_role(user, Role.ADMIN)
    existing = db.session.get(CalendarException, day)
    before = {"working": existing.working, "note": existing.note} if existing is not None else None
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
    after = {"working": working, "note": note} if working is not None else None
    record_change(user, "set", "calendar_day", day.isoformat(), before, after)
    if working is not None:
        db.session.add(
            CalendarException(day=day, working=working, note=note, changed_by_id=user.id, changed_at=utcnow())
        )
    db.session.flush()
    forget_calendar()
    remeasure_legs()


def remeasure_legs(batch: int = 5000) -> None:
    """Recompute every clock reading (legs, dossiers' dates) on the current calendar, and the rollup."""
    calendar = current_calendar()
    _remeasure(Dossier, {"received_clock": Dossier.received_at, "due_clock": Dossier.due_at}, calendar, batch)
    _remeasure(Leg, {"start_clock": Leg.started_at, "end_clock": Leg.ended_at}, calendar, batch)
    rebuild_rollups()


def _remeasure(model, readings: dict, calendar: WorkingCalendar, batch: int) -> None:
    """For each row, set each reading column to the clock at its time column, a batch at a time."""
    last_id = 0
    while True:
        statement = select(model.id, *readings.values()).where(model.id > last_id).order_by(model.id).limit(batch)
        rows = db.session.execute(statement).all()
        if not rows:
            return
        updates = [
            {"id": row[0], **{name: calendar.clock(moment) if moment else None
                              for name, moment in zip(readings, row[1:], strict=True)}}
            for row in rows
        ]  # fmt: skip
        db.session.execute(update(model), updates)
        last_id = rows[-1][0]


def legs_measured_on(day: date, now: datetime) -> int:
    """How many legs a change to day measures again: those whose [start, end or now] span touches it."""
    zone = current_calendar().timezone
    day_start = datetime.combine(day, time(), tzinfo=zone)
    day_end = day_start + timedelta(days=1)
    statement = select(func.count(Leg.id)).where(
        Leg.started_at < day_end, func.coalesce(Leg.ended_at, now) >= day_start
    )
    return db.session.scalar(statement) or 0
