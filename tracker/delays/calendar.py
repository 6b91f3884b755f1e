"""The province's working calendar as configured: office hours from settings, days from the database."""

from __future__ import annotations

import time as monotonic
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select, update

from tracker.auth.models import User
from tracker.auth.services import require_role
from tracker.database import utcnow
from tracker.delays.models import CalendarException, Leg
from tracker.domain.calendar import WorkingCalendar, calendar_with
from tracker.domain.custody import Role
from tracker.dossiers.models import Dossier
from tracker.extensions import db

# Other worker processes pick up a change to the calendar within this many seconds.
CALENDAR_TTL_SECONDS = 60


def current_calendar() -> WorkingCalendar:
    """The calendar in force, built once per process and rebuilt after a change or the TTL."""
    cached = current_app.extensions.get("working_calendar")
    if cached and monotonic.monotonic() - cached[0] < CALENDAR_TTL_SECONDS:
        return cached[1]
    exceptions = db.session.scalars(select(CalendarException)).all()
    calendar = calendar_with(
        current_app.config["TRACKER_TIMEZONE"],
        current_app.config["TRACKER_OFFICE_HOURS"],
        [e.day for e in exceptions if not e.working],
        [e.day for e in exceptions if e.working],
    )
    current_app.extensions["working_calendar"] = (monotonic.monotonic(), calendar)
    return calendar


def working_clock(moment: datetime) -> int:
    return current_calendar().clock(moment)


def set_calendar_day(user: User, day: date, working: bool | None, note: str = "") -> None:
    """Declare a day off (working=False), a make-up day (True), or back to normal (None).

    Every leg is then measured again on the new calendar.
    """
    require_role(user, Role.ADMIN)
    existing = db.session.get(CalendarException, day)
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
    if working is not None:
        db.session.add(
            CalendarException(day=day, working=working, note=note, changed_by_id=user.id, changed_at=utcnow())
        )
    db.session.flush()
    current_app.extensions.pop("working_calendar", None)
    remeasure_legs()


def remeasure_legs(batch: int = 5000) -> None:
    """Recompute every clock reading (legs, dossiers' dates) on the current calendar."""
    calendar = current_calendar()
    _remeasure(Dossier, {"received_clock": Dossier.received_at, "due_clock": Dossier.due_at}, calendar, batch)
    _remeasure(Leg, {"start_clock": Leg.started_at, "end_clock": Leg.ended_at}, calendar, batch)


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
