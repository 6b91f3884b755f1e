"""Statistics of finished legs, grouped: merged from the rollup's levels and the legs at the ends.

A report over [from, to) merges, per group, the whole histograms of the months and days
wholly inside the period that are compacted (tracker/delays/histograms.py), the rollup's
bars (tracker/delays/rollups.py) of the whole days that are not (today's, a day a late leg
reopened), and the same bars computed on the fly from the legs that ended in the partial days
at either end. Each group's figures are then read off its merged histogram. Percentiles are
by nearest rank (the leg at rank ceil(p * n) in working-time order) at minute resolution: the
whole minutes of that leg's working time. The count, the on-time share and the maximum (in
seconds) are exact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from flask import current_app
from sqlalchemy import BigInteger, Date, and_, cast, func, literal, literal_column, null, or_, select, union_all
from sqlalchemy.dialects.postgresql import aggregate_order_by

from tracker.custody.models import Leg
from tracker.database import BINARY_RESULTS
from tracker.delays.histograms import (
    CLOCKS,
    DAY,
    DIMENSIONS,
    MONTH,
    NO_UNIT,
    WALL,
    WORKING,
    Histogram,
    as_date,
    decode,
    month_of,
    period_end,
)
from tracker.delays.models import CompactedPeriod, LegHistogram, LegRollup
from tracker.delays.periods import days_read_whole, edge_legs, monday_of, week_label
from tracker.delays.rollups import histogram_rows
from tracker.extensions import db
from tracker.units.services import unit_codes

BINARY = {BINARY_RESULTS: True}  # histograms' arrays read from PostgreSQL as they are, not as text
GROUPINGS = ("route", "from_unit", "to_unit", "procedure", "week")
COLUMNS = ["group", "count", "median_hours", "p90_hours", "max_hours", "on_time_ratio", "wall_median_hours"]
DIGITS = {"median_hours": 2, "p90_hours": 2, "max_hours": 2, "on_time_ratio": 4, "wall_median_hours": 2}


# A group's key, from a bar's route (0 for no destination), procedure and local day.
KEYS: dict[str, Callable[[int, int, str, date | None], tuple]] = {
    "route": lambda sender, receiver, procedure, day: (sender, receiver),
    "from_unit": lambda sender, receiver, procedure, day: (sender,),
    "to_unit": lambda sender, receiver, procedure, day: (receiver if receiver != NO_UNIT else sender,),
    "procedure": lambda sender, receiver, procedure, day: (procedure,),
    "week": lambda sender, receiver, procedure, day: (monday_of(as_date(day)),),
}


def _monday(day):
    """The Monday on or before a date column, in SQL (its words written in, not bound: the same
    expression in SELECT and GROUP BY must read the same)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(func.date_trunc(literal_column("'week'"), day), Date)
    return func.date(day, literal_column("'weekday 0'"), literal_column("'-6 days'"))


def _totals(legs, on_time, max_seconds) -> tuple:
    """Summed legs and on-time legs, and the longest. sum() of bigint is numeric in PostgreSQL: cast
    back, or the counts would come as Decimal."""
    return cast(func.sum(legs), BigInteger), cast(func.sum(on_time), BigInteger), func.max(max_seconds)


def _key_of(groupings: tuple[str, ...]) -> Callable[..., tuple]:
    """A bar's group key under these groupings, from its route, procedure and day."""
    if len(groupings) == 1:
        return KEYS[groupings[0]]
    first, second = (KEYS[grouping] for grouping in groupings)
    return lambda *bar: first(*bar) + second(*bar)


def _dimension(groupings: tuple[str, ...]) -> str:
    """The compact rows that carry these groupings: per procedure, per route, or all legs."""
    if "procedure" in groupings:
        return "procedure"
    return "route" if {"route", "from_unit", "to_unit"} & set(groupings) else "all"


def _runs(kind: str, first: date, last: date, by_day: bool) -> Iterator[tuple[str | None, date, date]]:
    """[first, last) in runs read alike: whole compacted months, compacted days, days of bars (None)."""
    c = CompactedPeriod
    since = month_of(first)
    marked = db.session.execute(
        select(c.grain, c.period).where(c.kind == kind, c.period >= since, c.period < last)
    ).all()
    months = {period for grain, period in marked if grain == MONTH and not by_day}
    days = {period for grain, period in marked if grain == DAY}
    run: tuple[str | None, date, date] | None = None
    day = first
    while day < last:
        if day in months and period_end(MONTH, day) <= last:
            source, until = MONTH, period_end(MONTH, day)
        else:
            source, until = (DAY if day in days else None), day + timedelta(days=1)
        if run and run[0] == source:
            run = (source, run[1], until)
        else:
            if run:
                yield run
            run = (source, day, until)
        day = until
    if run:
        yield run


def _bar_columns(columns, dimension: str, by_week: bool) -> tuple[list, list]:
    """A source's (route, procedure, day) columns, blanks for what the dimension drops; and which are real."""
    kept = DIMENSIONS[dimension]
    blanks = {"from_unit_id": literal(NO_UNIT), "to_unit_id": literal(NO_UNIT), "procedure_code": literal("")}
    selected = [(columns[name] if name in kept else blanks[name]).label(name) for name in blanks]
    selected.append((columns.day if by_week else literal(None)).label("day"))
    grouped = [columns[name] for name in kept] + ([columns.day] if by_week else [])
    return selected, grouped


def _bars(period: tuple[datetime, datetime, date, date], groupings: tuple[str, ...], kinds: tuple[str, ...],
          whole: list, clocks: tuple[int, ...]):  # fmt: skip
    """(route, procedure, day, clock, minute, legs, on_time, max_seconds) bars on these clocks of the
    rollup's whole days in whole (conditions on leg_rollups) and of the legs that ended in the partial
    days; without clocks, (route, procedure, day, legs, on_time, max_seconds) totals, summed in SQL."""
    zone_name = current_app.config["TRACKER_TIMEZONE"]
    zone = ZoneInfo(zone_name)
    start, end, first, last = period
    dimension, by_week = _dimension(groupings), "week" in groupings
    ends = and_(Leg.kind.in_(kinds), edge_legs(start, end, first, last, zone))
    dialect = db.session.get_bind().dialect.name
    procedure = dimension == "procedure"
    measured = clocks or (WORKING,)  # totals count on the working clock
    legs = union_all(*(histogram_rows(clock, ends, dialect, zone_name, procedure) for clock in measured))
    legs = legs.subquery("ends")

    def per_bar(source) -> list:
        return [source.clock, source.minute] if clocks else []

    selected, grouped = _bar_columns(legs.c, dimension, by_week)
    parts = [
        select(*selected, *per_bar(legs.c), func.count().label("legs"), func.sum(legs.c.on_time).label("on_time"),
               func.max(legs.c.seconds).label("max_seconds"))
        .group_by(*grouped, *per_bar(legs.c))
    ]  # fmt: skip
    if whole:
        r = LegRollup
        selected, grouped = _bar_columns(r.__table__.c, dimension, by_week)
        read = or_(*whole) if measured == CLOCKS else and_(or_(*whole), r.clock.in_(measured))
        parts.append(
            select(*selected, *per_bar(r), func.sum(r.legs), func.sum(r.on_time), func.max(r.max_seconds))
            .where(read)
            .group_by(*grouped, *per_bar(r))
        )
    return union_all(*parts)


def _bars_as_arrays(bars):
    """PostgreSQL: the bars of each group and clock as two aligned arrays (minutes, legs) and the
    group's totals, one row each, rather than a row a minute: a day's bars are read whole."""
    b = bars.subquery("bars")
    where = (b.c.from_unit_id, b.c.to_unit_id, b.c.procedure_code, b.c.day, b.c.clock)
    # Both arrays in minute order, so they stay aligned (PostgreSQL leaves unordered input unspecified).
    by_minute = [func.array_agg(aggregate_order_by(column, b.c.minute)) for column in (b.c.minute, b.c.legs)]
    return select(*where, *by_minute, *_totals(b.c.legs, b.c.on_time, b.c.max_seconds)).group_by(*where)


def histograms(
    start: datetime, end: datetime, groupings: tuple[str, ...], kinds: tuple[str, ...], *, clocks: tuple = CLOCKS
) -> dict:
    """Each group's histogram on these clocks (CLOCKS, or the working clock alone) of the finished
    legs of these kinds that ended in [start, end); without clocks, only its totals (count, on time,
    longest) are sure to be read. A clock not read costs neither its rows nor their decoding."""
    first, last = days_read_whole(start, end, kinds, ZoneInfo(current_app.config["TRACKER_TIMEZONE"]))
    compact, bars = [], []
    for kind in kinds:
        for source, since, until in _runs(kind, first, last, by_day="week" in groupings):
            if source is None:
                bars.append(and_(LegRollup.kind == kind, LegRollup.day >= since, LegRollup.day < until))
            else:
                h = LegHistogram
                compact.append(and_(h.kind == kind, h.grain == source, h.period >= since, h.period < until))

    key = _key_of(groupings)
    groups: dict[tuple, Histogram] = defaultdict(Histogram)
    if compact:
        h = LegHistogram
        read = (h.dimension == _dimension(groupings), or_(*compact))
        route = (h.from_unit_id, h.to_unit_id, h.procedure_code)
        if clocks:
            arrays = [{WORKING: h.working, WALL: h.wall}[clock] for clock in clocks]
            statement = select(*route, h.period, h.legs, h.on_time, h.max_seconds, *arrays).where(*read)
        else:  # totals summed in SQL: a year of days of every route is a few weeks' rows, not 60,000
            weeks = [_monday(h.period)] if "week" in groupings else []
            statement = (
                select(*route, *(weeks or [null()]), *_totals(h.legs, h.on_time, h.max_seconds))
                .where(*read)
                .group_by(*route, *weeks)
            )
        rows = db.session.execute(statement, execution_options=BINARY)
        for sender, receiver, procedure, period, legs, on_time, longest, *blobs in rows:
            group = groups[key(sender, receiver, procedure, period)]
            group.add_totals(legs, on_time, longest)
            for clock, blob in zip(clocks, blobs, strict=True):
                group.add_arrays(clock, *decode(blob))
    edges = _bars((start, end, first, last), groupings, kinds, bars, clocks)
    if clocks and db.session.get_bind().dialect.name == "postgresql":
        for *where, clock, bar_minutes, bar_legs, legs, on_time, longest in db.session.execute(
            _bars_as_arrays(edges), execution_options=BINARY
        ):
            group = groups[key(*where)]
            group.add_arrays(clock, np.asarray(bar_minutes, dtype=np.int64), np.asarray(bar_legs, dtype=np.int64))
            if clock == WORKING:  # totals count on the working clock
                group.add_totals(legs, on_time, longest)
    elif clocks:
        for *where, clock, minute, legs, on_time, longest in db.session.execute(edges):
            groups[key(*where)].add_bar(clock, minute, legs, on_time, longest)
    else:
        for sender, receiver, procedure, day, legs, on_time, longest in db.session.execute(edges):
            groups[key(sender, receiver, procedure, day)].add_totals(legs, on_time, longest)
    return groups


def _labels(group_by: str) -> Callable[[tuple], str]:
    """How a group is named in a report: unit codes, the procedure code, the ISO week."""
    if group_by == "week":
        return lambda key: week_label(key[0])
    if group_by == "procedure":
        return lambda key: key[0]
    codes = unit_codes()
    if group_by == "route":
        return lambda key: f"{codes[key[0]]} → {codes.get(key[1], '')}"
    return lambda key: codes[key[0]]


def figures(group: Histogram) -> dict:
    median, p90 = group.minutes_at(WORKING, 50, 90)
    (wall_median,) = group.minutes_at(WALL, 50)
    return {
        "count": group.legs,
        "median_hours": median / 60,
        "p90_hours": p90 / 60,
        "max_hours": group.max_seconds / 3600,
        "on_time_ratio": group.on_time / group.legs,
        "wall_median_hours": wall_median / 60,
    }


def report_rows(start: datetime, end: datetime, group_by: str, leg_kind: str = "transit") -> Iterator[dict]:
    """The report's rows, ordered by group."""
    label = _labels(group_by)
    named = sorted(((label(key), group) for key, group in histograms(start, end, (group_by,), (leg_kind,)).items()),
                   key=lambda pair: pair[0])  # fmt: skip
    for name, group in named:
        yield rounded({"group": name, **figures(group)})


def rounded(figures: Mapping) -> dict:
    """A report row as served: hours to 0.01, the on-time share to 0.0001."""
    return {
        column: round(figures[column], DIGITS[column]) if column in DIGITS else figures[column] for column in COLUMNS
    }
