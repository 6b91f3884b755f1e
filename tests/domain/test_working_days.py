"""Appointment dates: processing times in working days, counted from the day after receipt."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tracker.domain.calendar import WorkingCalendar

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        (datetime(2026, 11, 25, 9, 0), 1, date(2026, 11, 26)),  # Wednesday -> Thursday
        (datetime(2026, 11, 27, 16, 59), 1, date(2026, 11, 30)),  # Friday -> Monday
        (datetime(2026, 11, 28, 10, 0), 0, date(2026, 11, 30)),  # Saturday, same day: the next working day
        (datetime(2026, 11, 25, 9, 0), 0, date(2026, 11, 25)),
        (datetime(2026, 11, 20, 9, 30), 10, date(2026, 12, 7)),  # 24/11 (Ngày Văn hóa Việt Nam) is off
        (datetime(2026, 4, 29, 9, 0), 1, date(2026, 5, 4)),  # over 30/4 and 1/5
    ],
)
def test_add_working_days_lands_at_the_close_of_a_working_day(received, days, due):
    calendar = WorkingCalendar()
    result = calendar.add_working_days(received.replace(tzinfo=ZONE), days)
    assert result == datetime.combine(due, calendar.office_hours[-1][1], tzinfo=ZONE)
    assert calendar.is_working_day(result.date())


def test_an_extra_day_off_pushes_the_appointment():
    calendar = WorkingCalendar(extra_days_off=frozenset({date(2026, 11, 26)}))
    assert calendar.add_working_days(datetime(2026, 11, 25, 9, tzinfo=ZONE), 1).date() == date(2026, 11, 27)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        WorkingCalendar().add_working_days(datetime(2026, 11, 25, 9, tzinfo=ZONE), -1)
