"""The open and missing legs that are late, in groups that are each one range of an index.

Open legs of one kind and one limit are late when they started more than the limit ago, and a
transit suspected lost when more than three limits ago: with the limit fixed, each kind is a
range of `start_clock` in ix_legs_open_limits, read in the order of how late (oldest first).
Transits reported missing are a range of ix_legs_missing by limit. The limits present are found
by skipping through those indexes, one probe a limit. The page of the worst delays
(tracker/delays/worst.py) reads each group's first rows, and the counts
(tracker/delays/services.py) read each group up to a bound, so neither costs what the delays cost.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import BigInteger, Select, bindparam, literal, select, union_all

from tracker.custody.models import Leg
from tracker.delays.selects import LOST_AFTER_LIMITS, NOW, DelaySelects, shaped_selects
from tracker.delays.sla import LIMITED_KINDS
from tracker.extensions import db

WHERE_LIMITS = {  # as ix_legs_open_limits and ix_legs_missing
    **{kind: (Leg.end_clock.is_(None), Leg.kind == kind) for kind in LIMITED_KINDS},
    "missing": (Leg.kind == "transit", Leg.outcome == "missing"),
}


def _limits(source: str) -> Select:
    """The distinct limits of a source's legs, one index probe each (a loose index scan)."""

    def above(floor):
        next_one = select(Leg.limit_seconds).where(*WHERE_LIMITS[source], Leg.limit_seconds > floor)
        return next_one.order_by(Leg.limit_seconds).limit(1).scalar_subquery()

    limits = select(above(-1).label("seconds")).cte(f"{source}_limits", recursive=True)
    previous = limits.alias()
    limits = limits.union_all(select(above(previous.c.seconds)).where(previous.c.seconds.is_not(None)))
    return select(literal(source).label("source"), limits.c.seconds).where(limits.c.seconds.is_not(None))


@cache
def _limits_statement(sources: tuple[str, ...]) -> Select:
    return union_all(*(_limits(source) for source in sources))


def limit_groups(found: DelaySelects) -> list[tuple[str, int]]:
    """(source, limit) for each group of open or missing legs the filters may find late."""
    kind, selects = found.kind, found.selects
    wanted = [source for source in LIMITED_KINDS if kind is None or (kind == "overdue_dwell") == (source == "dwell")]
    sources = (*(wanted if "open" in selects else []), *(["missing"] if "missing" in selects else []))
    return [tuple(row) for row in db.session.execute(_limits_statement(sources))] if sources else []


def limit_params(groups: list[tuple[str, int]]) -> dict[str, int]:
    """The parameters of group_selects' statements for these groups."""
    return {f"limit_{group}": limit for group, (_, limit) in enumerate(groups)}


def group_selects(shape: tuple, sources: tuple[str, ...]) -> list[tuple[str, Select]]:
    """(kind of delay, SELECT) for each group of late legs of these sources (one a limit, as
    limit_groups found them), each a range of its index; the limits are parameters."""
    kind, selects = shape[0], shaped_selects(*shape)
    groups = []
    for group, source in enumerate(sources):
        limit = bindparam(f"limit_{group}", type_=BigInteger)
        if source == "missing":
            groups.append(("suspected_lost", selects["missing"].where(Leg.limit_seconds == limit)))
            continue
        late = selects["open"].where(Leg.kind == source, Leg.limit_seconds == limit, Leg.start_clock < NOW - limit)
        if source == "dwell":
            groups.append(("overdue_dwell", late))
            continue
        lost_from = NOW - LOST_AFTER_LIMITS * limit  # transits that started before it are suspected lost
        if kind != "overdue_transit":
            groups.append(("suspected_lost", late.where(Leg.start_clock < lost_from)))
        if kind != "suspected_lost":
            groups.append(("overdue_transit", late.where(Leg.start_clock >= lost_from)))
    return groups
