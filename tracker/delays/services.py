"""Delays: legs late now or late when they ended, lost items, dossiers at risk. Worst first.

Every kind of delay is one SELECT over legs (or dossiers) with the same columns; their
UNION ALL is sorted by severity (elapsed / limit) and paginated in SQL, so the first page
costs the same on a year of history as on a week.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Float, Select, case, cast, exists, func, literal, null, select, text, union_all

from tracker.calendar.services import working_clock
from tracker.custody.models import Item, Leg
from tracker.database import utcnow
from tracker.delays.leg_limits import late_now
from tracker.dossiers.models import Dossier
from tracker.extensions import db
from tracker.units.models import Unit
from tracker.units.services import find_unit

DELAY_KINDS = ("overdue_transit", "overdue_dwell", "suspected_lost", "finished_late", "at_risk")
LOST_AFTER_LIMITS = 3  # in transit three times longer than allowed: suspected lost


@dataclass(frozen=True)
class DelayFilters:
    unit: str | None = None
    from_unit: str | None = None
    to_unit: str | None = None
    kind: str | None = None
    finished_from: datetime | None = None
    finished_to: datetime | None = None


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


def _columns(kind, *, item_id, dossier_id, from_unit_id, to_unit_id, started_at, limit_seconds, elapsed):
    return [
        (literal(kind) if isinstance(kind, str) else kind).label("kind"),
        item_id.label("item_id"),
        dossier_id.label("dossier_id"),
        from_unit_id.label("from_unit_id"),
        to_unit_id.label("to_unit_id"),
        started_at.label("started_at"),
        (cast(limit_seconds, Float) / 3600).label("limit_hours"),
        cast(elapsed, Float).label("elapsed_seconds"),
        (cast(elapsed, Float) / cast(limit_seconds, Float)).label("severity"),
    ]


def _leg_delays(now_clock: int, period: tuple[datetime, datetime]) -> dict[tuple[str, ...], Select]:
    """The SELECTs of the delays found in legs, by the kinds of delay each can give.

    Each reads only late legs, from an index (ix_legs_late_at, ix_legs_finished_late, ix_legs_missing)."""
    limit = Leg.limit_seconds
    open_elapsed, done_elapsed = now_clock - Leg.start_clock, Leg.end_clock - Leg.start_clock

    def late(kind, elapsed, *conditions):
        columns = _columns(
            kind, item_id=Leg.item_id, dossier_id=Leg.dossier_id, from_unit_id=Leg.from_unit_id,
            to_unit_id=Leg.to_unit_id, started_at=Leg.started_at, limit_seconds=limit, elapsed=elapsed,
        )  # fmt: skip
        return select(*columns).where(*conditions)

    open_kind = case(
        (Leg.kind == "dwell", "overdue_dwell"),
        (open_elapsed > limit * LOST_AFTER_LIMITS, "suspected_lost"),
        else_="overdue_transit",
    )
    still_missing = exists().where(Item.id == Leg.item_id, Item.status == "missing")
    missing = (Leg.kind == "transit") & (Leg.outcome == "missing")
    in_period = (Leg.ended_at >= period[0]) & (Leg.ended_at < period[1])
    return {
        ("overdue_transit", "suspected_lost", "overdue_dwell"): late(open_kind, open_elapsed, late_now(now_clock)),
        ("suspected_lost",): late("suspected_lost", open_elapsed, missing, limit.is_not(None), still_missing),
        ("finished_late",): late("finished_late", done_elapsed, Leg.end_clock > Leg.late_at, in_period),
    }


def _at_risk(now_clock: int) -> Select:
    """Open dossiers whose department has sent nothing on yet and whose due date is near."""
    threshold = int(current_app.config["AT_RISK_WORKING_HOURS"] * 3600)
    span = Dossier.due_clock - Dossier.received_clock
    allowed = case((span > 1, span), else_=1)  # a dossier due when received still divides safely
    columns = _columns(
        "at_risk", item_id=null(), dossier_id=Dossier.id, from_unit_id=Dossier.department_id, to_unit_id=null(),
        started_at=Dossier.received_at, limit_seconds=allowed, elapsed=now_clock - Dossier.received_clock,
    )  # fmt: skip
    unanswered = (Dossier.status == "open") & Dossier.answered_at.is_(None)  # as ix_dossiers_unanswered_due
    return select(*columns).where(unanswered, Dossier.due_clock < now_clock + threshold)


def delays_statement(filters: DelayFilters, now: datetime | None = None):
    """The union of the delays asked for, as a subquery, with its ORDER BY severity."""
    now = now or utcnow()
    period = (filters.finished_from or now - timedelta(days=7), filters.finished_to or now)
    now_clock = working_clock(now)
    by_kinds = _leg_delays(now_clock, period)
    by_kinds[("at_risk",)] = _at_risk(now_clock)
    wanted = [filters.kind] if filters.kind else DELAY_KINDS
    selects = [chosen for kinds, chosen in by_kinds.items() if set(kinds) & set(wanted)]
    rows = union_all(*selects).subquery("delays")
    statement = select(rows)
    if filters.kind:
        statement = statement.where(rows.c.kind == filters.kind)
    if filters.unit:
        unit_id = find_unit(filters.unit).id
        statement = statement.where((rows.c.from_unit_id == unit_id) | (rows.c.to_unit_id == unit_id))
    if filters.from_unit:
        statement = statement.where(rows.c.from_unit_id == find_unit(filters.from_unit).id)
    if filters.to_unit:
        statement = statement.where(rows.c.to_unit_id == find_unit(filters.to_unit).id)
    return statement, rows


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


def find_delays(
    filters: DelayFilters, page: int, per_page: int, now: datetime | None = None, *, counts: bool = False
) -> dict:
    """One page of delays, worst first, with the items, dossiers and units they name; with counts,
    also how many delays of each kind the filters found (None on a page past the end)."""
    statement, rows = delays_statement(filters, now)
    # The total (and the counts of each kind) ride along with each row: one query for all.
    by_kind = [func.count().filter(rows.c.kind == kind).over().label(kind) for kind in DELAY_KINDS] if counts else []
    ordered = statement.add_columns(func.count().over().label("total"), *by_kind).order_by(
        rows.c.severity.desc(), rows.c.started_at, rows.c.dossier_id
    )
    with planned_from_indexes():
        found = db.session.execute(ordered.limit(per_page).offset((page - 1) * per_page)).all()
        # A page past the end has no row to carry them.
        total = found[0].total if found else db.session.scalar(select(func.count()).select_from(statement.subquery()))
    page_of = {"items": _hydrated(found), "page": page, "per_page": per_page, "total": total}
    if counts:
        page_of["counts"] = {kind: getattr(found[0], kind) for kind in DELAY_KINDS} if found else None
    return page_of


def delays_and_counts(filters: DelayFilters, page: int, per_page: int) -> tuple[dict, dict[str, int]]:
    """A page of delays and how many of each kind there are in all (the dashboard's): a page of
    every delay already carries the counts; a filtered page asks for them apart."""
    unfiltered = filters == DelayFilters()
    found = find_delays(filters, page, per_page, counts=unfiltered)
    if unfiltered and found["counts"] is not None:
        return found, found["counts"]
    return found, delay_counts()


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


def delay_counts(now: datetime | None = None) -> dict[str, int]:
    """How many delays of each kind there are right now (finished_late: over the last week)."""
    _, rows = delays_statement(DelayFilters(), now)
    with planned_from_indexes():
        counts = dict(db.session.execute(select(rows.c.kind, func.count()).group_by(rows.c.kind)).all())
    return {kind: counts.get(kind, 0) for kind in DELAY_KINDS}
