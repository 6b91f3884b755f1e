"""Figures behind the dashboard's charts, from the rollup: every leg of the period, never a sample.

Transit times per route come as histograms (whole working minutes), from which the box plot's
quartiles and whiskers are read by nearest rank; on-time shares per week are sums of the
rollup's counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from tracker.delays import sla
from tracker.delays.reports import histogram
from tracker.delays.rollups import WORKING
from tracker.extensions import db
from tracker.units.models import Unit


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
        """Quartiles by nearest rank, Tukey's whiskers (1.5 IQR), the legs beyond them: for Axes.bxp.

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
    rows = histogram(start, end, ("route",), ("transit",))
    statement = (
        select(rows.c.k0, rows.c.k1, rows.c.minute, func.sum(rows.c.legs), func.max(rows.c.max_seconds))
        .where(rows.c.clock == WORKING)
        .group_by(rows.c.k0, rows.c.k1, rows.c.minute)
    )
    units = {unit.id: unit for unit in db.session.scalars(select(Unit))}
    limits = sla.current_limits()
    routes: dict[tuple[int, int], RouteTimes] = {}
    for from_id, to_id, minute, legs, longest in db.session.execute(statement):
        route = routes.get((from_id, to_id))
        if route is None:
            sender, receiver = units[from_id], units[to_id]
            route = routes[from_id, to_id] = RouteTimes(
                f"{sender.code} → {receiver.code}", sla.transit_limit_hours(limits, sender, receiver)
            )
        route.minutes.append((int(minute), int(legs)))
        route.longest_seconds = max(route.longest_seconds, int(longest))
    for route in routes.values():
        route.minutes.sort()
    return sorted(routes.values(), key=lambda route: route.route)


def _monday(value) -> date:
    """PostgreSQL gives a date, SQLite a string."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def on_time_by_week(start: datetime, end: datetime, *, per: str) -> list[WeekShare]:
    """Finished legs per week and how many kept their limit, per route (transit legs) or per
    unit (its transit legs out and its dwell legs: the time the unit is answerable for)."""
    by_route = per == "route"
    rows = histogram(start, end, ("route" if by_route else "from_unit", "week"), ("transit",) if by_route else
                     ("transit", "dwell"))  # fmt: skip
    sender, receiver = aliased(Unit), aliased(Unit)
    units = [rows.c.k0, rows.c.k1] if by_route else [rows.c.k0]
    week = rows.c.k2 if by_route else rows.c.k1
    statement = (
        select(*units, week, func.sum(rows.c.legs), func.sum(rows.c.on_time))
        .where(rows.c.clock == WORKING)
        .group_by(*units, week)
        .subquery("weeks")
    )
    codes = [sender.code, receiver.code] if by_route else [sender.code]
    figures = list(statement.c)[len(units) :]
    labelled = select(*codes, *figures).select_from(statement).join(sender, sender.id == statement.c.k0)
    if by_route:
        labelled = labelled.join(receiver, receiver.id == statement.c.k1)
    shares = []
    for *names, monday, count, kept in db.session.execute(labelled):
        shares.append(WeekShare(" → ".join(names), _monday(monday), int(count), int(kept)))
    return sorted(shares, key=lambda share: (share.group, share.week))
