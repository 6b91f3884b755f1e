"""The province's working calendar as configured: office hours from settings, days from the database."""

from __future__ import annotations

import time as monotonic
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from tracker.calendar.models import CalendarException
from tracker.domain.calendar import WorkingCalendar, calendar_with
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


def forget_calendar() -> None:
    """Drop this process's cached calendar: the next reading rebuilds it from the database."""
    current_app.extensions.pop("working_calendar", None)


def working_clock(moment: datetime) -> int:
    return current_calendar().clock(moment)
