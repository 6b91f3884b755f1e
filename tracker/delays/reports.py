"""Statistics of finished legs, grouped: read from the rollup for whole days, from the legs at the ends.

A report over [from, to) adds up the rollup's histograms (tracker/delays/rollups.py) of the
local days wholly inside the period, and the same histogram computed on the fly from the legs
that ended in the partial days at either end; one SQL statement then turns each group's
histogram into its figures. Percentiles are by nearest rank (the leg at rank ceil(p * n) in
working-time order) at minute resolution: the whole minutes of that leg's working time. The
count, the on-time share and the maximum (in seconds) are exact.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import BigInteger, DateTime, Float, Integer, and_, case, cast, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from tracker.custody.models import Leg
from tracker.delays.models import LegRollup
from tracker.delays.rollups import CLOCKS, NO_UNIT, WALL, WORKING, histogram_rows
from tracker.extensions import db
from tracker.units.models import Unit

GROUPINGS = ("route", "from_unit", "to_unit", "procedure", "week")
LEG_KINDS = ("transit", "dwell", "journey")
COLUMNS = ["group", "count", "median_hours", "p90_hours", "max_hours", "on_time_ratio", "wall_median_hours"]
DIGITS = {"median_hours": 2, "p90_hours": 2, "max_hours": 2, "on_time_ratio": 4, "wall_median_hours": 2}


def monday_of(day, postgresql: bool):
    """The Monday of a date's week, as a date on both databases."""
    if postgresql:
        return func.date(func.date_trunc("week", cast(day, DateTime())))
    return func.date(day, "weekday 0", "-6 days")


def iso_week_label(monday, postgresql: bool):
    """'2026-W47' for the week starting on monday: the ISO year and week of its Thursday."""
    if postgresql:
        return func.to_char(monday, 'IYYY-"W"IW')
    thursday = func.date(monday, "+3 days")
    week = (cast(func.strftime("%j", thursday), Integer) - 1) / 7 + 1
    return func.strftime("%Y", thursday) + "-W" + func.printf("%02d", week)


def whole_days(start: datetime, end: datetime, zone: ZoneInfo) -> tuple[date, date]:
    """The local days [first, last) wholly inside [start, end); first == last when there is none."""
    local_start = start.astimezone(zone)
    first = local_start.date()
    if local_start != midnight(first, zone):
        first += timedelta(days=1)
    return first, max(first, end.astimezone(zone).date())


def midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)


def _edges(start: datetime, end: datetime, first: date, last: date, zone: ZoneInfo):
    """Legs that ended in the period but outside its whole days."""
    if first == last:
        return and_(Leg.ended_at >= start, Leg.ended_at < end)
    return or_(
        and_(Leg.ended_at >= start, Leg.ended_at < midnight(first, zone)),
        and_(Leg.ended_at >= midnight(last, zone), Leg.ended_at < end),
    )


def _keys(group_by: str, columns, postgresql: bool) -> list:
    """What rows are grouped on, from the rollup's columns or the same columns computed from legs."""
    return {
        "route": [columns.from_unit_id, columns.to_unit_id],
        "from_unit": [columns.from_unit_id],
        "to_unit": [case((columns.to_unit_id == NO_UNIT, columns.from_unit_id), else_=columns.to_unit_id)],
        "procedure": [columns.procedure_code],
        "week": [monday_of(columns.day, postgresql)],
    }[group_by]


def histogram(start: datetime, end: datetime, groupings: tuple[str, ...], kinds: tuple[str, ...]):
    """(k0.., clock, minute, legs, on_time, max_seconds) rows: the rollup's whole days, the legs' ends."""
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    zone_name = current_app.config["TRACKER_TIMEZONE"]
    zone = ZoneInfo(zone_name)
    first, last = whole_days(start, end, zone)
    ends = and_(Leg.kind.in_(kinds), _edges(start, end, first, last, zone))
    dialect = "postgresql" if postgresql else "sqlite"
    from_legs = union_all(*(histogram_rows(clock, ends, dialect, zone_name) for clock in CLOCKS)).subquery("ends")

    def keys(columns) -> list:
        return [key.label(f"k{n}") for n, key in enumerate(k for g in groupings for k in _keys(g, columns, postgresql))]

    parts = [
        select(*keys(from_legs.c), from_legs.c.clock, from_legs.c.minute, literal(1).label("legs"),
               from_legs.c.on_time, from_legs.c.seconds.label("max_seconds")),
    ]  # fmt: skip
    if first < last:
        r = LegRollup
        parts.append(
            select(*keys(LegRollup.__table__.c), r.clock, r.minute, r.legs, r.on_time, r.max_seconds).where(
                r.kind.in_(kinds), r.day >= first, r.day < last
            )
        )
    return union_all(*parts).subquery("histogram")


def _rank(n, percent: int):
    return (n * percent + 99) // 100  # ceil(n * percent / 100) in integer arithmetic


def _figures(histogram):
    """Each group's figures from its merged histogram: running counts find the ranked minutes."""
    keys = [c for c in histogram.c if c.name.startswith("k")]
    merged = (
        select(*keys, histogram.c.clock, histogram.c.minute, func.sum(histogram.c.legs).label("n"),
               func.sum(histogram.c.on_time).label("kept"), func.max(histogram.c.max_seconds).label("top"))
        .group_by(*keys, histogram.c.clock, histogram.c.minute)
        .subquery("merged")
    )  # fmt: skip
    keys = [merged.c[c.name] for c in keys]
    groups = [*keys, merged.c.clock]
    running = select(
        merged,
        # PostgreSQL sums bigints as numeric: back to integers, for the integer rank arithmetic
        cast(func.sum(merged.c.n).over(partition_by=groups, order_by=merged.c.minute), BigInteger).label("running"),
        cast(func.sum(merged.c.n).over(partition_by=groups), BigInteger).label("total"),
    ).subquery("running")
    keys = [running.c[c.name] for c in keys]
    working, wall = running.c.clock == WORKING, running.c.clock == WALL

    def ranked_minute(clock, percent: int):
        reached = and_(clock, running.c.running >= _rank(running.c.total, percent))
        return func.min(case((reached, running.c.minute))) / 60.0

    count = func.max(case((working, running.c.total)))
    figures = [
        count.label("count"),
        ranked_minute(working, 50).label("median_hours"),
        ranked_minute(working, 90).label("p90_hours"),
        (func.max(case((working, running.c.top))) / 3600.0).label("max_hours"),
        (cast(func.sum(case((working, running.c.kept))), Float) / count).label("on_time_ratio"),
        ranked_minute(wall, 50).label("wall_median_hours"),
    ]
    return select(*[key.label(f"k{n}") for n, key in enumerate(keys)], *figures).group_by(*keys).subquery("grouped")


def _labelled(group_by: str, grouped, postgresql: bool):
    """The grouped figures with each group's label, ordered by it."""
    first, second = aliased(Unit), aliased(Unit)
    if group_by == "route":
        label = first.code + literal(" → ") + func.coalesce(second.code, "")
    elif group_by in ("from_unit", "to_unit"):
        label = first.code
    elif group_by == "week":
        label = iso_week_label(grouped.c.k0, postgresql)
    else:
        label = grouped.c.k0  # the procedure code
    figures = [c for c in grouped.c if not c.name.startswith("k")]
    statement = select(label.label("group"), *figures).select_from(grouped)
    if group_by in ("route", "from_unit", "to_unit"):
        statement = statement.join(first, first.id == grouped.c.k0)
    if group_by == "route":
        statement = statement.outerjoin(second, second.id == grouped.c.k1)
    return statement.order_by(label)


def transit_report_statement(start: datetime, end: datetime, group_by: str, leg_kind: str = "transit"):
    """The report's SELECT: the period's histogram per group, then the figures from it."""
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    return _labelled(group_by, _figures(histogram(start, end, (group_by,), (leg_kind,))), postgresql)


def report_rows(start: datetime, end: datetime, group_by: str, leg_kind: str = "transit") -> Iterator[dict]:
    """The report's rows, fetched in batches rather than all at once."""
    statement = transit_report_statement(start, end, group_by, leg_kind)
    for row in db.session.execute(statement.execution_options(yield_per=1000)):
        yield rounded(row._mapping)


def rounded(figures: Mapping) -> dict:
    """A report row as served: hours to 0.01, the on-time share to 0.0001."""
    return {
        column: round(figures[column], DIGITS[column]) if column in DIGITS else figures[column] for column in COLUMNS
    }
