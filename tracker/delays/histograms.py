"""The rollup's compact level: a closed day's or month's whole histogram per group, in one row.

`leg_rollups` holds one row per histogram bar (day, route, procedure, clock, minute): at a
province's density that is about as many rows as legs, so reading a year of it costs what
reading the legs does. Once a day (or a month) is over, the worker folds its bars into one
row per route, per procedure and over all legs (`leg_histograms`: the distinct minutes and
how many legs took each, as arrays) and marks the period compacted (`compacted_periods`).
A year's report by route then reads some 56 routes x 12 months rows and merges them here.

Nothing is approximated: the arrays hold every bar, so percentiles by nearest rank stay exact
to the minute. A leg that finishes in a period already compacted (a device time in the past)
deletes the period's compact rows and mark in its own transaction (tracker/delays/rollups.py),
and a rebuild of the rollup deletes them all; the reports read `leg_rollups` for any period
not (or no longer) compacted, until the worker compacts it again.

On PostgreSQL a compaction takes `leg_rollups` in SHARE mode for its short transaction, so a
transaction counting a late leg in that period either commits first (and the compaction
reads its bars) or waits and then deletes the fresh compact rows. SQLite serialises writers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

import numpy as np
from flask import current_app
from sqlalchemy import and_, delete, func, insert, literal, or_, select, text

from tracker.database import upsert_insert, utcnow
from tracker.delays.models import CompactedPeriod, LegHistogram, LegRollup
from tracker.extensions import db

LEG_KINDS = ("transit", "dwell", "journey")
WORKING, WALL = 0, 1  # the two clocks a leg is measured on
CLOCKS = (WORKING, WALL)
DAY, MONTH = "day", "month"
NO_UNIT, NO_PROCEDURE = 0, ""
# What each dimension keeps of a rollup bar's key; the rest is folded together.
DIMENSIONS = {
    "route": ("from_unit_id", "to_unit_id"),
    "procedure": ("procedure_code",),
    "all": (),
}
COMPACTED_PER_PASS = 200
INT32 = np.dtype("<i4")


def encode(minutes: np.ndarray, counts: np.ndarray) -> bytes:
    """The distinct minutes, ascending, then how many legs took each: little-endian int32."""
    return np.concatenate([minutes, counts]).astype(INT32).tobytes()


def decode(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    values = np.frombuffer(blob, dtype=INT32)
    half = len(values) // 2
    return values[:half], values[half:]


@dataclass
class Histogram:
    """A group's finished legs, merged from compact rows and bars: how many took each minute."""

    legs: int = 0  # counted on the working clock, like on_time and max_seconds
    on_time: int = 0
    max_seconds: int = 0
    _arrays: dict[int, list[tuple[np.ndarray, np.ndarray]]] = field(default_factory=lambda: defaultdict(list))
    _bars: dict[int, tuple[list[int], list[int]]] = field(default_factory=lambda: defaultdict(lambda: ([], [])))

    def add_totals(self, legs: int, on_time: int, max_seconds: int) -> None:
        self.legs += legs
        self.on_time += on_time
        self.max_seconds = max(self.max_seconds, max_seconds)

    def add_arrays(self, clock: int, minutes: np.ndarray, counts: np.ndarray) -> None:
        self._arrays[clock].append((minutes, counts))

    def add_bar(self, clock: int, minute: int, legs: int, on_time: int, max_seconds: int) -> None:
        """One bar of the rollup: legs that took this minute (totals count on the working clock)."""
        minutes, counts = self._bars[clock]
        minutes.append(minute)
        counts.append(legs)
        if clock == WORKING:
            self.add_totals(legs, on_time, max_seconds)

    def merged(self, clock: int) -> tuple[np.ndarray, np.ndarray]:
        """The distinct minutes, ascending, and how many legs took each, over every part added."""
        minutes, counts = self._bars[clock]
        parts = [*self._arrays[clock], (np.asarray(minutes, dtype=np.int64), np.asarray(counts, dtype=np.int64))]
        # Minutes are small non-negative integers: one bin each sums every part at once.
        summed = np.bincount(np.concatenate([part[0] for part in parts]),
                             weights=np.concatenate([part[1] for part in parts]))  # fmt: skip
        distinct = np.flatnonzero(summed)
        return distinct, summed[distinct].astype(np.int64)

    def minutes_at(self, clock: int, *percents: int) -> list[int]:
        """The whole minutes of the legs at ranks ceil(n * percent / 100) in that clock's order."""
        minutes, counts = self.merged(clock)
        running = np.cumsum(counts)
        ranks = [(int(running[-1]) * percent + 99) // 100 for percent in percents]
        return [int(minutes[index]) for index in np.searchsorted(running, ranks)]


def local_today(now: datetime) -> date:
    """The province's current day; a compaction never looks past the real clock."""
    return min(now, utcnow()).astimezone(ZoneInfo(current_app.config["TRACKER_TIMEZONE"])).date()


def month_of(day: date) -> date:
    return day.replace(day=1)


def period_end(grain: str, period: date) -> date:
    if grain == DAY:
        return period + timedelta(days=1)
    return (period.replace(day=28) + timedelta(days=4)).replace(day=1)


def as_date(value) -> date:
    """SQLite gives computed dates as text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _periods(grain: str, first: date, today: date) -> Iterator[date]:
    """The closed periods of one grain from the one holding first up to today."""
    period = first if grain == DAY else month_of(first)
    while period_end(grain, period) <= today:
        yield period
        period = period_end(grain, period)


def _due(today: date) -> list[tuple[str, str, date]]:
    """Closed days, then months, that hold bars and are not compacted, oldest first."""
    due = []
    for kind in LEG_KINDS:  # one index probe each: a GROUP BY kind would read every bar
        first = db.session.scalar(select(func.min(LegRollup.day)).where(LegRollup.kind == kind))
        if first is None:
            continue
        first = as_date(first)
        for grain in (DAY, MONTH):
            done = set(db.session.scalars(select(CompactedPeriod.period).where(
                CompactedPeriod.kind == kind, CompactedPeriod.grain == grain, CompactedPeriod.period >= first
            )))  # fmt: skip
            due += [(kind, grain, period) for period in _periods(grain, first, today) if period not in done]
    return sorted(due, key=lambda task: (task[1] != DAY, task[2]))


def compact_closed_periods(now: datetime, limit: int = COMPACTED_PER_PASS) -> int:
    """Compact up to limit closed periods, each in its own short transaction; how many."""
    due = _due(local_today(now))
    db.session.commit()
    done = 0
    for kind, grain, period in due[:limit]:
        done += compact(kind, grain, period)
        db.session.commit()
    return done


def compact(kind: str, grain: str, period: date) -> bool:
    """Fold one closed period's bars into one row per group; False if another worker did it."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        db.session.execute(text(f"LOCK TABLE {LegRollup.__tablename__} IN SHARE MODE"))
    claim = upsert_insert(dialect, CompactedPeriod.__table__).values(kind=kind, grain=grain, period=period)
    if db.session.execute(claim.on_conflict_do_nothing().returning(literal(1))).first() is None:
        return False
    end = period_end(grain, period)
    for dimension in DIMENSIONS:
        rows = list(_histogram_rows(kind, grain, period, end, dimension))
        if rows:
            db.session.execute(insert(LegHistogram), rows)
    return True


def _histogram_rows(kind: str, grain: str, period: date, end: date, dimension: str) -> Iterator[dict]:
    """The period's bars summed per group of the dimension, as LegHistogram rows."""
    r = LegRollup
    keys = [getattr(r, name) for name in DIMENSIONS[dimension]]
    statement = (
        select(*keys, r.clock, r.minute, func.sum(r.legs), func.sum(r.on_time), func.max(r.max_seconds))
        .where(r.kind == kind, r.day >= period, r.day < end)
        .group_by(*keys, r.clock, r.minute)
        .order_by(*keys, r.clock, r.minute)
    )
    width = len(keys)
    blank = {"from_unit_id": NO_UNIT, "to_unit_id": NO_UNIT, "procedure_code": NO_PROCEDURE}
    for key, bars in groupby(db.session.execute(statement), key=lambda row: tuple(row[:width])):
        group = Histogram()
        for *_, clock, minute, legs, on_time, longest in bars:
            group.add_bar(clock, minute, legs, on_time, longest)
        yield {**blank, **dict(zip(DIMENSIONS[dimension], key, strict=True)), "kind": kind, "dimension": dimension,
               "grain": grain, "period": period, "legs": group.legs, "on_time": group.on_time,
               "max_seconds": group.max_seconds, "working": encode(*group.merged(WORKING)),
               "wall": encode(*group.merged(WALL))}  # fmt: skip


def _period_condition(model, kind: str, grain: str, period: date):
    return and_(model.kind == kind, model.grain == grain, model.period == period)


def forget_compacted(kind_days: Iterable[tuple[str, date]]) -> None:
    """A late leg landed in these (kind, day)s: their days' and months' compact rows are stale."""
    periods = {(kind, grain, when) for kind, day in kind_days for grain, when in ((DAY, day), (MONTH, month_of(day)))}
    if not periods:
        return
    db.session.execute(delete(CompactedPeriod).where(or_(*(_period_condition(CompactedPeriod, *p) for p in periods))))
    stale = or_(*(_period_condition(LegHistogram, *p) for p in periods))
    db.session.execute(delete(LegHistogram).where(LegHistogram.dimension.in_(DIMENSIONS), stale))


def forget_all(kinds: Iterable[str]) -> None:
    """The rollup of these kinds is rebuilt: nothing of theirs is compacted any more."""
    kinds = tuple(kinds)
    db.session.execute(delete(CompactedPeriod).where(CompactedPeriod.kind.in_(kinds)))
    db.session.execute(delete(LegHistogram).where(LegHistogram.kind.in_(kinds)))
