"""Delays: a page of them worst first (tracker/delays/worst.py), with how many of each kind.

Each kind of delay is one SELECT over late legs (or dossiers at risk) read from an index
(tracker/delays/selects.py); the page merges the worst of each group of them, and the counts
count them, so neither costs what the history costs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, func, select, text, union_all

from tracker.calendar.services import working_clock
from tracker.custody.models import Item
from tracker.database import utcnow
from tracker.delays.selects import DELAY_KINDS, DelayFilters, DelaySelects, delay_selects, shaped_selects
from tracker.delays.worst import worst_delays
from tracker.dossiers.models import Dossier
from tracker.extensions import db
from tracker.units.models import Unit


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
    many delays of each kind the filters found."""
    now = now or utcnow()
    found = delay_selects(filters, now, working_clock(now))
    with planned_from_indexes():
        rows = worst_delays(found, (page - 1) * per_page, per_page)
        counts = _counted(found)
    return {
        "items": _hydrated(rows), "page": page, "per_page": per_page, "total": sum(counts.values()), "counts": counts
    }  # fmt: skip


def delays_and_counts(filters: DelayFilters, page: int, per_page: int) -> tuple[dict, dict[str, int]]:
    """A page of delays and how many of each kind there are in all (the dashboard's)."""
    found = find_delays(filters, page, per_page)
    return found, found["counts"] if filters == DelayFilters() else delay_counts()


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


@cache
def _counts_statement(shape: tuple) -> Select:
    selects = shaped_selects(*shape).values()
    rows = union_all(*(chosen.with_only_columns(chosen.selected_columns.kind) for chosen in selects)).subquery()
    return select(rows.c.kind, func.count()).group_by(rows.c.kind)


def _counted(found: DelaySelects) -> dict[str, int]:
    counts = dict(db.session.execute(_counts_statement(found.shape), found.params).all())
    return {kind: counts.get(kind, 0) for kind in DELAY_KINDS}


def delay_counts(now: datetime | None = None) -> dict[str, int]:
    """How many delays of each kind there are right now (finished_late: over the last week)."""
    now = now or utcnow()
    with planned_from_indexes():
        return _counted(delay_selects(DelayFilters(), now, working_clock(now)))
