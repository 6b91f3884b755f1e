"""The working calendar: exact values worked out by hand, and its algebra under hypothesis."""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.calendar import (
    SUPPORTED_DAYS,
    OutsideSupportedRange,
    WorkingCalendar,
    calendar_with,
    parse_office_hours,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = WorkingCalendar()


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=VN)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (at(2026, 11, 16, 7, 30), at(2026, 11, 16, 17, 0), 8),  # one full Monday
        (at(2026, 11, 16, 6, 0), at(2026, 11, 16, 9, 0), 1.5),  # starts before office hours
        (at(2026, 11, 16, 10, 0), at(2026, 11, 16, 12, 15), 1.5),  # ends at lunch
        (at(2026, 11, 16, 11, 45), at(2026, 11, 16, 12, 45), 0),  # all within lunch
        (at(2026, 11, 13, 16, 0), at(2026, 11, 16, 8, 30), 2),  # over a weekend
        (at(2026, 2, 13, 15, 0), at(2026, 2, 23, 8, 30), 3),  # Friday before Tết to the Monday after
        (at(2026, 2, 16, 8, 0), at(2026, 2, 20, 16, 0), 0),  # inside Tết, 16-20 February
        (at(2026, 4, 29, 17, 0), at(2026, 5, 4, 7, 30), 0),  # 30/4 and 1/5, then the weekend
        (at(2026, 4, 29, 16, 0), at(2026, 5, 4, 8, 30), 2),
        (at(2026, 9, 1, 8, 0), at(2026, 9, 3, 8, 30), 1),  # National Day 1-2/9
        (at(2026, 8, 21, 16, 0), at(2026, 8, 24, 8, 30), 10),  # make-up Saturday 22/8 (for 31/8)
        (at(2026, 11, 16, 9, 0), at(2026, 11, 16, 9, 0, 59), 59 / 3600),  # counted to the second
        (at(2026, 11, 16, 9, 0), at(2026, 11, 16, 9, 1), 1 / 60),  # exact to the minute
        (at(2024, 11, 1, 8, 0), at(2026, 11, 2, 8, 0), None),  # a leg longer than a year: checked below
    ],
)
def test_working_hours_between(start, end, hours):
    measured = CALENDAR.working_hours_between(start, end)
    if hours is None:
        assert measured > 3000
    else:
        assert measured == pytest.approx(hours)
    assert CALENDAR.working_hours_between(end, start) == pytest.approx(-measured)


def test_times_in_any_zone_are_measured_on_the_province_calendar():
    start = datetime(2026, 11, 16, 1, 0, tzinfo=ZoneInfo("UTC"))  # 08:00 in Vinh
    assert CALENDAR.working_hours_between(start, at(2026, 11, 16, 9, 0)) == 1


def test_add_working_hours():
    assert CALENDAR.add_working_hours(at(2026, 2, 13, 15, 0), 3) == at(2026, 2, 23, 8, 30)
    assert CALENDAR.add_working_hours(at(2026, 11, 13, 16, 0), 1.5) == at(2026, 11, 16, 8, 0)
    assert CALENDAR.add_working_hours(at(2026, 11, 16, 11, 0), 1) == at(2026, 11, 16, 13, 30)
    assert CALENDAR.add_working_hours(at(2026, 11, 14, 10, 0), 0) == at(2026, 11, 14, 10, 0)


def test_configured_days_off_and_make_up_days():
    calendar = calendar_with("Asia/Ho_Chi_Minh", "07:30-11:30,13:00-17:00", [date(2026, 11, 18)], [date(2026, 11, 21)])
    assert not calendar.is_working_day(date(2026, 11, 18))
    assert calendar.is_working_day(date(2026, 11, 21))  # a Saturday worked
    assert calendar.working_hours_between(at(2026, 11, 17, 17, 0), at(2026, 11, 19, 7, 30)) == 0
    assert calendar.working_hours_between(at(2026, 11, 20, 17, 0), at(2026, 11, 23, 7, 30)) == 8


def test_office_hours_are_configurable():
    calendar = calendar_with("Asia/Ho_Chi_Minh", "08:00-12:00", [], [])
    assert calendar.working_hours_between(at(2026, 11, 16, 0, 0), at(2026, 11, 17, 0, 0)) == 4
    with pytest.raises(ValueError):
        parse_office_hours("12:00-08:00")
    with pytest.raises(ValueError):
        parse_office_hours("08:00-12:00,11:00-13:00")


moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(VN))
hours = st.floats(min_value=0, max_value=3000, allow_nan=False).map(lambda h: round(h * 60) / 60)


@settings(max_examples=300)
@given(moments, moments, moments)
def test_additive_over_any_split_point(a, b, c):
    total = CALENDAR.working_hours_between(a, c)
    assert total == pytest.approx(CALENDAR.working_hours_between(a, b) + CALENDAR.working_hours_between(b, c))


@settings(max_examples=300)
@given(moments, st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)))
def test_monotonic_and_never_more_than_wall_clock(a, gap):
    measured = CALENDAR.working_hours_between(a, a + gap)
    assert 0 <= measured <= gap.total_seconds() / 3600 + 1e-9


@settings(max_examples=300)
@given(moments, hours)
def test_add_inverts_between(start, amount):
    end = CALENDAR.add_working_hours(start, amount)
    assert end >= start
    assert CALENDAR.working_hours_between(start, end) == pytest.approx(amount, abs=1 / 3600)


def test_a_time_outside_the_supported_days_is_refused_and_breaks_nothing():
    calendar = WorkingCalendar()
    with pytest.raises(OutsideSupportedRange):
        calendar.clock(at(9999, 6, 1, 8, 0))
    with pytest.raises(OutsideSupportedRange):
        calendar.clock(at(1999, 12, 31, 8, 0))
    with pytest.raises(OutsideSupportedRange):
        calendar.add_working_hours(at(2100, 12, 31, 8, 0), 100)
    assert calendar.working_hours_between(at(2026, 11, 16, 7, 30), at(2026, 11, 16, 17, 0)) == 8
    assert calendar.clock(at(SUPPORTED_DAYS.last.year, 12, 31, 23, 59)) > calendar.clock(at(2000, 1, 1, 0, 0)) == 0


def test_a_fresh_calendar_read_by_many_threads_at_once():
    """The cached calendar is shared by a worker's threads: none may see it half-built."""
    expected = WorkingCalendar().working_hours_between(at(2026, 11, 2, 8, 0), at(2031, 3, 2, 9, 0))
    for _trial in range(20):
        calendar = WorkingCalendar()
        start = threading.Barrier(8)
        results, errors = [], []

        def read(calendar=calendar, start=start, results=results, errors=errors):
            start.wait()
            try:
                results.append(calendar.working_hours_between(at(2026, 11, 2, 8, 0), at(2031, 3, 2, 9, 0)))
            except Exception as error:  # any failure in a thread is what this test looks for
                errors.append(error)

        threads = [threading.Thread(target=read) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
        assert results == [expected] * 8
