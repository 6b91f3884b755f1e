"""A month of the working calendar as people read it: each day's kind and why."""

from __future__ import annotations

import calendar as gregorian
from dataclasses import dataclass
from datetime import date

import holidays
from sqlalchemy import select

from tracker.calendar.models import CalendarException
from tracker.extensions import db

# The kinds a day can be, in the order the legend shows them.
DAY_KINDS = ("working", "weekend", "holiday", "day_off", "make_up")


@dataclass(frozen=True)
class CalendarDay:
    day: date
    kind: str
    name: str
    in_month: bool


def month_weeks(year: int, month: int, language: str) -> list[list[CalendarDay]]:
    """The month as weeks, Monday first, each day marked; the province's own days win over the nation's."""
    weeks = gregorian.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    public = holidays.country_holidays(
        "VN", years={first.year, last.year}, language="vi" if language == "vi" else "en_US"
    )
    declared = {
        row.day: row
        for row in db.session.scalars(select(CalendarException).where(CalendarException.day.between(first, last)))
    }
    return [[_marked(day, public, declared, month) for day in week] for week in weeks]


def _marked(day: date, public: holidays.HolidayBase, declared: dict, month: int) -> CalendarDay:
    if day in declared:
        row = declared[day]
        return CalendarDay(day, "make_up" if row.working else "day_off", row.note, day.month == month)
    if day in public:
        return CalendarDay(day, "holiday", public[day], day.month == month)
    if day in public.weekend_workdays:
        return CalendarDay(day, "make_up", "", day.month == month)
    return CalendarDay(day, "working" if day.weekday() < 5 else "weekend", "", day.month == month)
