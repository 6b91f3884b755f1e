"""The province's working calendar, and time measured on it.

A working clock counts working seconds from a fixed epoch: office hours on working days,
in the province's time zone. Working time between two instants is the difference of their
clock readings, so it is additive and monotonic by construction, and a leg's duration is a
subtraction that SQL can do over millions of legs.

A day is a working day when it is Monday to Friday or a make-up day (ngày làm bù), and is
neither a public holiday (from the maintained `holidays` package, Tết and the substituted
days included) nor an extra day off configured by an admin.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays


@dataclass(frozen=True)
class DayRange:
    first: date
    last: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


# The days (in the province's time zone) the service measures time on; any time outside is refused.
SUPPORTED_DAYS = DayRange(date(2000, 1, 1), date(2100, 12, 31))
EPOCH = SUPPORTED_DAYS.first
DEFAULT_OFFICE_HOURS = ((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0)))


def parse_office_hours(text: str) -> tuple[tuple[time, time], ...]:
    """'07:30-11:30,13:00-17:00' as ordered, non-overlapping intervals."""
    intervals = []
    for part in text.split(","):
        start, end = (time.fromisoformat(value.strip()) for value in part.split("-"))
        if end <= start:
            raise ValueError(f"office interval {part!r} ends before it starts")
        intervals.append((start, end))
    intervals.sort()
    if any(a[1] > b[0] for a, b in itertools.pairwise(intervals)):
        raise ValueError(f"office intervals overlap: {text!r}")
    return tuple(intervals)


def _seconds(moment: time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


class OutsideSupportedRange(ValueError):
    """A time the calendar does not cover: before SUPPORTED_DAYS.first or after SUPPORTED_DAYS.last."""

    def __init__(self, day: date):
        super().__init__(f"{day} is outside the supported days {SUPPORTED_DAYS.first} to {SUPPORTED_DAYS.last}")


@cache
def _public_days() -> tuple[frozenset[date], frozenset[date]]:
    """Vietnam's public holidays and weekend working days over the supported range (built once: ~0.1 s)."""
    public = holidays.country_holidays("VN", years=range(SUPPORTED_DAYS.first.year, SUPPORTED_DAYS.last.year + 1))
    return frozenset(public), frozenset(public.weekend_workdays)


@dataclass
class WorkingCalendar:
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    office_hours: tuple[tuple[time, time], ...] = DEFAULT_OFFICE_HOURS
    extra_days_off: frozenset[date] = frozenset()
    make_up_days: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        self._intervals = [(_seconds(a), _seconds(b)) for a, b in self.office_hours]
        self._day_seconds = sum(b - a for a, b in self._intervals)
        self._public, self._weekend_workdays = _public_days()
        # Built whole here and never changed: the calendar is shared by threads, read without locks.
        self._cumulative = self._cumulative_table()

    def _cumulative_table(self) -> tuple[int, ...]:
        """Working seconds before EPOCH + n days, for every supported day and the day after the last."""
        days = (SUPPORTED_DAYS.last - EPOCH).days + 1
        totals = itertools.accumulate(
            (self._day_seconds if self._is_working(EPOCH + timedelta(days=n)) else 0 for n in range(days)),
            initial=0,
        )
        return tuple(totals)

    # Days

    def is_working_day(self, day: date) -> bool:
        self._check_supported(day)
        return self._is_working(day)

    @staticmethod
    def _check_supported(day: date) -> None:
        if day not in SUPPORTED_DAYS:
            raise OutsideSupportedRange(day)

    def _is_working(self, day: date) -> bool:
        if day in self.extra_days_off:
            return False
        if day in self.make_up_days:
            return True
        if day in self._public:
            return False
        return day.weekday() < 5 or day in self._weekend_workdays

    # The clock

    def clock(self, moment: datetime) -> int:
        """Working seconds from the epoch to moment (an aware datetime)."""
        if moment.tzinfo is None:
            raise ValueError("the working clock needs an aware datetime")
        local = moment.astimezone(self.timezone)
        day = local.date()
        self._check_supported(day)
        before = self._cumulative[(day - EPOCH).days]
        if not self._is_working(day):
            return before
        into = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
        worked = sum(max(0, min(into, end) - start) for start, end in self._intervals)
        return before + int(worked)

    def moment_at(self, reading: int) -> datetime:
        """The earliest instant the clock shows reading: the inverse of clock()."""
        if reading <= 0:
            return datetime.combine(EPOCH, time(), tzinfo=self.timezone)
        if reading > self._cumulative[-1]:
            raise OutsideSupportedRange(SUPPORTED_DAYS.last + timedelta(days=1))
        # The working day during which the clock passes reading: the last one starting below it.
        day_index = bisect.bisect_left(self._cumulative, reading) - 1
        remaining = reading - self._cumulative[day_index]
        midnight = datetime.combine(EPOCH + timedelta(days=day_index), time(), tzinfo=self.timezone)
        for start, end in self._intervals:
            if remaining <= end - start:
                return midnight + timedelta(seconds=start + remaining)
            remaining -= end - start
        raise AssertionError("clock reading beyond the day's office hours")

    # What people ask

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Working hours from start to end; negative when end comes first."""
        return (self.clock(end) - self.clock(start)) / 3600

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The earliest instant that is `hours` working hours after start."""
        if hours < 0:
            raise ValueError("hours must not be negative")
        if round(hours * 3600) == 0:
            return start
        return self.moment_at(self.clock(start) + round(hours * 3600)).astimezone(start.tzinfo)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The end of office hours of the `days`-th working day after start's day.

        Processing times (thời hạn giải quyết) count from the working day after receipt, so a
        dossier received on Friday with 1 working day is due at the close of Monday.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        day = start.astimezone(self.timezone).date()
        counted = 0
        while counted < days or not self.is_working_day(day):
            day += timedelta(days=1)
            counted += self.is_working_day(day)
        return self.end_of_office_hours(day)

    def end_of_office_hours(self, day: date) -> datetime:
        """When the office closes on day: an appointment date as an instant."""
        return datetime.combine(day, self.office_hours[-1][1], tzinfo=self.timezone)


def calendar_with(
    timezone: str, office_hours: str, days_off: Iterable[date], make_up_days: Iterable[date]
) -> WorkingCalendar:
    return WorkingCalendar(
        ZoneInfo(timezone), parse_office_hours(office_hours), frozenset(days_off), frozenset(make_up_days)
    )
