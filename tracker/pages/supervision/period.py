"""The dashboard's period: local days picked by the supervisor, by default the last 8 ISO weeks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_WEEKS = 8


@dataclass(frozen=True)
class Period:
    """From the first day to the last day, both included, in the province's days."""

    first: date
    last: date

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as aware times: the first day's midnight, the midnight after the last day."""
        return datetime.combine(self.first, time(), zone), datetime.combine(self.end_day, time(), zone)

    @property
    def end_day(self) -> date:
        """The day after the last one: the report's exclusive `to`, as a plain date."""
        return self.last + timedelta(days=1)

    def form(self) -> dict[str, str]:
        """The period as the dashboard's form and chart links carry it (both days included)."""
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}

    def query(self) -> dict[str, str]:
        """The period as the API's report takes it (plain dates)."""
        return {"from": self.first.isoformat(), "to": self.end_day.isoformat()}


def default_period(today: date) -> Period:
    """The 8 ISO weeks that end with this one: Monday seven weeks ago to this Sunday."""
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(weeks=DEFAULT_WEEKS - 1), monday + timedelta(days=6))


def picked_period(first: str | None, last: str | None, today: date) -> tuple[Period, str | None]:
    """The period from the form's two dates, or the default with what was wrong with them."""
    if not first and not last:
        return default_period(today), None
    try:
        period = Period(date.fromisoformat(first or ""), date.fromisoformat(last or ""))
    except ValueError:
        return default_period(today), "invalid"
    if period.last < period.first:
        return default_period(today), "backwards"
    return period, None
