"""Delays: a page of them worst first (tracker/delays/worst.py), with how many of each kind.

Each kind of delay is one SELECT over late legs (or dossiers at risk) read from an index
(tracker/delays/selects.py), cut into groups that are each a range of an index
(tracker/delays/groups.py); the page merges the worst of each group, and the counts read each
group no further than a bound, so neither costs what the history or the delays cost.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from flask import current_app
from sqlalchemy import CompoundSelect, Integer, bindparam, func, literal, literal_column, select, text, union_all

from tracker.calendar.services import working_clock
from tracker.custody.models import Item
from tracker.database import utcnow
from tracker.delays.groups import group_selects, limit_groups, limit_params
from tracker.delays.selects import DELAY_KINDS, GIVES, DelayFilters, DelaySelects, delay_selects, shaped_selects
from tracker.delays.worst import worst_delays
from tracker.dossiers.models import Dossier
from tracker.extensions import db
from tracker.units.models import Unit

# How many delays of each kind (a lower bound where not exact), and whether each count is exact.
DelayCounts = tuple[dict[str, int], dict[str, bool]]


@dataclass(frozen=True)
class Delay:
    kind: str
    item: Item | None
    dossier: Dossier
    from_unit: Unit
    to_unit: Unit | None
    started_at: datetime
    limit_hours: float
    elapsed_hours: float


@contextmanager
def planned_from_indexes() -> Iterator[None]:
    """PostgreSQL plans the delays from their indexes while in this block, without JIT.

    Its planner overestimates the open legs late now (the partial index on their deadline holds
    a few thousand of 27 million legs, and it guessed 864,000 on a 5,000,000-item year), so it
    would scan every leg (5.7 s there, against 0.37 s from the index) and spend more compiling
    (JIT) than running. Every part of the delays is an index range by design; this holds the
    planner to it, and gives the rest of the transaction its sequential scans back. JIT stays
    off until the transaction ends: the dashboard's reports that follow gain nothing from it."""
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    if postgresql:
        db.session.execute(text("SET LOCAL jit = off"))
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
    yield
    if postgresql:
        db.session.execute(text("RESET enable_seqscan"))


def find_delays(filters: DelayFilters, page: int, per_page: int, now: datetime | None = None) -> dict:
    """One page of delays, worst first, with the items, dossiers and units they name, and how
    many delays of each kind the filters found: exactly up to DELAYS_COUNTED_UP_TO (or to the end
    of the page asked for, if that is further), past it a lower bound (counts_exact, total_exact)."""
    now = now or utcnow()
    found = delay_selects(filters, now, working_clock(now))
    with planned_from_indexes():
        groups = limit_groups(found)
        rows = worst_delays(found, groups, (page - 1) * per_page, per_page)
        counts, exact = _counted(found, groups, max(current_app.config["DELAYS_COUNTED_UP_TO"], page * per_page))
    return {
        "items": _hydrated(rows), "page": page, "per_page": per_page,
        "total": sum(counts.values()), "total_exact": all(exact.values()), "counts": counts, "counts_exact": exact,
    }  # fmt: skip


def delays_and_counts(filters: DelayFilters, page: int, per_page: int) -> tuple[dict, DelayCounts]:
    """A page of delays and how many of each kind there are in all (the dashboard's)."""
    found = find_delays(filters, page, per_page)
    return found, (found["counts"], found["counts_exact"]) if filters == DelayFilters() else delay_counts()


def _hydrated(rows) -> list[Delay]:
    def by_id(model, ids):
        ids = {i for i in ids if i is not None}
        return {obj.id: obj for obj in db.session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}

    items = by_id(Item, (r.item_id for r in rows))
    dossiers = by_id(Dossier, (r.dossier_id for r in rows))
    units = by_id(Unit, [r.from_unit_id for r in rows] + [r.to_unit_id for r in rows])
    return [
        Delay(
            kind=r.kind,
            item=items.get(r.item_id),
            dossier=dossiers[r.dossier_id],
            from_unit=units[r.from_unit_id],
            to_unit=units.get(r.to_unit_id),
            started_at=r.started_at,
            limit_hours=round(r.limit_hours, 2),
            elapsed_hours=round(r.elapsed_seconds / 3600, 2),
        )
        for r in rows
    ]


@lru_cache(maxsize=256)  # shapes of filters × groups: a few in use at a time
def _counts_statement(shape: tuple, sources: tuple[str, ...]) -> CompoundSelect | None:
    """How many rows each group of delays holds (kind, rows), each read no further than the
    parameter "up_to": a range of an index each, so that counting costs no more than the bound;
    None when there is no group (no leg of the kind asked for has a limit)."""
    selects = shaped_selects(*shape)
    up_to = bindparam("up_to", type_=Integer)
    others = [(GIVES[name][0], selects[name]) for name in ("finished", "at_risk") if name in selects]
    counted = []
    for kind, chosen in (*group_selects(shape, sources), *others):
        rows = chosen.with_only_columns(literal_column("1")).limit(up_to).subquery()
        counted.append(select(literal(kind).label("kind"), func.count().label("rows")).select_from(rows))
    return union_all(*counted) if counted else None


def _counted(found: DelaySelects, groups: list[tuple[str, int]], up_to: int) -> DelayCounts:
    """How many delays of each kind, exactly up to up_to, and whether each count is exact."""
    counts, exact = dict.fromkeys(DELAY_KINDS, 0), dict.fromkeys(DELAY_KINDS, True)
    statement = _counts_statement(found.shape, tuple(source for source, _ in groups))
    params = {**found.params, **limit_params(groups), "up_to": up_to + 1}
    for kind, rows in db.session.execute(statement, params) if statement is not None else ():
        counts[kind] += rows
        exact[kind] = exact[kind] and rows <= up_to
    return {kind: count if exact[kind] else min(count, up_to) for kind, count in counts.items()}, exact


def delay_counts(now: datetime | None = None) -> DelayCounts:
    """How many delays of each kind there are right now (finished_late: over the last week),
    exactly up to DELAYS_COUNTED_UP_TO, and whether each count is exact."""
    now = now or utcnow()
    found = delay_selects(DelayFilters(), now, working_clock(now))
    with planned_from_indexes():
        return _counted(found, limit_groups(found), current_app.config["DELAYS_COUNTED_UP_TO"])
