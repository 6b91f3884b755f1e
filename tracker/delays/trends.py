"""Figures behind the dashboard's charts, from the rollup: every leg of the period, never a sample.

Transit times per route come as histograms (whole working minutes), from which the box plot's
quartiles and whiskers are read by nearest rank; on-time shares per week are sums of the
rollup's counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from tracker.delays import sla
from tracker.delays.histograms import WORKING
from tracker.delays.reports import histograms
from tracker.extensions import db
from tracker.units.models import Unit
from tracker.units.services import unit_codes


@dataclass(frozen=True)
class WeekShare:
    group: str
    week: date  # the week's Monday
    count: int
    on_time: int

    @property
    def on_time_share(self) -> float:
        return self.on_time / self.count


@dataclass
class RouteTimes:
    """A route's finished transit legs of the period: how many took each whole working minute."""

    route: str
    limit_hours: float | None
    longest_seconds: int = 0
    minutes: list[tuple[int, int]] = field(default_factory=list)  # (minute, legs), ascending

    def at_rank(self, rank: int) -> float:
        """Working hours of the leg at this rank (1-based) in working-time order, to the minute."""
        seen = 0
        for minute, legs in self.minutes:
            seen += legs
            if seen >= rank:
                return minute / 60
        return self.minutes[-1][0] / 60

    def box(self, max_fliers: int = 20) -> dict:
        """Quartiles by nearest rank, Tukey's whiskers (1.5 IQR), the legs beyond them: a box plot's figures.

        Each distinct minute beyond a whisker is one point (at most max_fliers on each side, the
        slowest kept), and the very slowest is drawn at its exact time.
        """
        total = sum(legs for _, legs in self.minutes)
        q1, median, q3 = (self.at_rank(-(-total * p // 100)) for p in (25, 50, 75))
        low, high = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
        hours = [minute / 60 for minute, _ in self.minutes]
        inside = [h for h in hours if low <= h <= high] or [median]
        fast, slow = [h for h in hours if h < low][:max_fliers], [h for h in hours if h > high][-max_fliers:]
        longest = self.longest_seconds / 3600
        if slow:
            slow[-1] = longest  # the slowest leg itself, to the second
        return {"label": self.route, "q1": q1, "med": median, "q3": q3, "whislo": min(inside),
                "whishi": max(inside), "fliers": fast + slow, "count": total,
                "longest": longest}  # fmt: skip


def transit_times_by_route(start: datetime, end: datetime) -> list[RouteTimes]:
    """Every finished transit leg of the period as a histogram per route ('BC-VINH → TTHCC')."""
    units = {unit.id: unit for unit in db.session.scalars(select(Unit))}
    limits = sla.current_limits()
    routes = []
    for (from_id, to_id), group in histograms(start, end, ("route",), ("transit",), clocks=(WORKING,)).items():
        sender, receiver = units[from_id], units[to_id]
        minutes, counts = group.merged(WORKING)
        routes.append(RouteTimes(
            f"{sender.code} → {receiver.code}", sla.transit_limit_hours(limits, sender, receiver),
            group.max_seconds, list(zip(minutes.tolist(), counts.tolist(), strict=True)),
        ))  # fmt: skip
    return sorted(routes, key=lambda route: route.route)


def on_time_by_week(start: datetime, end: datetime, *, per: str) -> list[WeekShare]:
    """Finished legs per week and how many kept their limit, per route (transit legs) or per
    unit (its transit legs out and its dwell legs: the time the unit is answerable for)."""
    by_route = per == "route"
    groupings = ("route" if by_route else "from_unit", "week")
    groups = histograms(start, end, groupings, ("transit",) if by_route else ("transit", "dwell"), clocks=())
    codes = unit_codes()
    shares = [
        WeekShare(" → ".join(codes[unit] for unit in units), monday, group.legs, group.on_time)
        for (*units, monday), group in groups.items()
    ]
    return sorted(shares, key=lambda share: (share.group, share.week))
