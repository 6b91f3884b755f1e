"""Each kind of delay as a SELECT over legs (or dossiers), all with the same columns.

Legs late now or late when they ended, lost items, dossiers at risk. The filters are applied
inside each SELECT, so that a group of one can be cut to its worst rows (tracker/delays/worst.py)
and the rest counted (tracker/delays/services.py) without reading what the filters leave out.
The SELECTs take the moment, the period and the units as parameters: built once for each shape
of filters and kept (building them cost more than running them on a province-year).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from types import MappingProxyType

from flask import current_app
from sqlalchemy import BigInteger, ColumnElement, Float, Integer, Select, bindparam, case, cast, literal, null, select

from tracker.custody.models import FINISHED_SEVERITY, Item, Leg
from tracker.database import UTCDateTime
from tracker.delays.leg_limits import late_now
from tracker.dossiers.models import Dossier
from tracker.units.services import find_unit

DELAY_KINDS = ("overdue_transit", "overdue_dwell", "suspected_lost", "finished_late", "at_risk")
LOST_AFTER_LIMITS = 3  # in transit three times longer than allowed: suspected lost
GIVES = {  # the kinds of delay each SELECT finds
    "open": ("overdue_transit", "suspected_lost", "overdue_dwell"),
    "missing": ("suspected_lost",),
    "finished": ("finished_late",),
    "at_risk": ("at_risk",),
}
NOW = bindparam("now_clock", type_=BigInteger)  # the working clock's reading at now
PERIOD = (bindparam("finished_from", type_=UTCDateTime), bindparam("finished_to", type_=UTCDateTime))
UNITS = {name: bindparam(f"{name}_id", type_=Integer) for name in ("unit", "from_unit", "to_unit")}


@dataclass(frozen=True)
class DelayFilters:
    unit: str | None = None
    from_unit: str | None = None
    to_unit: str | None = None
    kind: str | None = None
    finished_from: datetime | None = None
    finished_to: datetime | None = None


@dataclass(frozen=True)
class DelaySelects:
    """The SELECTs the filters want, by what they read: open legs late now ("open"), transits
    reported missing ("missing"), legs finished late in the period ("finished"), dossiers at risk;
    and the parameters to run them with."""

    shape: tuple
    selects: MappingProxyType[str, Select]
    params: dict
    period: tuple[datetime, datetime]

    @property
    def kind(self) -> str | None:
        return self.shape[0]


def _columns(kind, *, item_id, dossier_id, from_unit_id, to_unit_id, started_at, limit_seconds, elapsed, severity=None):
    return [
        (literal(kind) if isinstance(kind, str) else kind).label("kind"),
        item_id.label("item_id"),
        dossier_id.label("dossier_id"),
        from_unit_id.label("from_unit_id"),
        to_unit_id.label("to_unit_id"),
        started_at.label("started_at"),
        (cast(limit_seconds, Float) / 3600).label("limit_hours"),
        cast(elapsed, Float).label("elapsed_seconds"),
        (cast(elapsed, Float) / cast(limit_seconds, Float) if severity is None else severity).label("severity"),
    ]


def _unit_conditions(units: tuple[str, ...], from_unit_id, to_unit_id) -> list[ColumnElement[bool]]:
    """The conditions of the unit filters given (their names: unit, from_unit, to_unit)."""
    conditions = {
        "unit": lambda: (from_unit_id == UNITS["unit"]) | (to_unit_id == UNITS["unit"]),
        "from_unit": lambda: from_unit_id == UNITS["from_unit"],
        "to_unit": lambda: to_unit_id == UNITS["to_unit"],
    }
    return [conditions[name]() for name in units]


def _leg_delays(kind: str | None, units: tuple[str, ...]) -> dict[str, Select]:
    """Each reads only late legs, from an index (ix_legs_open_limits, ix_legs_missing,
    ix_legs_finished_late and ix_legs_finished_worst)."""
    limit = Leg.limit_seconds
    open_elapsed, done_elapsed = NOW - Leg.start_clock, Leg.end_clock - Leg.start_clock
    by_units = _unit_conditions(units, Leg.from_unit_id, Leg.to_unit_id)

    def late(kind, elapsed, *conditions, severity=None):
        columns = _columns(
            kind, item_id=Leg.item_id, dossier_id=Leg.dossier_id, from_unit_id=Leg.from_unit_id,
            to_unit_id=Leg.to_unit_id, started_at=Leg.started_at, limit_seconds=limit, elapsed=elapsed,
            severity=severity,
        )  # fmt: skip
        return select(*columns).where(*conditions, *by_units)

    open_kind = case(
        (Leg.kind == "dwell", "overdue_dwell"),
        (open_elapsed > limit * LOST_AFTER_LIMITS, "suspected_lost"),
        else_="overdue_transit",
    )
    # A lookup a leg, not a join: a group's worst are then read in the index's order, and stop at
    # the page; joined, PostgreSQL (which cannot tell that these items are the missing ones)
    # sorted every missing leg first, 15 ms on the benchmark's year.
    still_missing = select(Item.status).where(Item.id == Leg.item_id).scalar_subquery() == "missing"
    missing = (Leg.kind == "transit") & (Leg.outcome == "missing")
    in_period = (Leg.ended_at >= PERIOD[0]) & (Leg.ended_at < PERIOD[1])
    finished = late("finished_late", done_elapsed, Leg.end_clock > Leg.late_at, in_period, severity=FINISHED_SEVERITY)
    open_late = late(open_kind, open_elapsed, late_now(NOW))
    selects = {
        "open": open_late.where(open_kind == kind) if kind else open_late,
        "missing": late("suspected_lost", open_elapsed, missing, limit.is_not(None), still_missing),
        "finished": finished,
    }
    return {name: chosen for name, chosen in selects.items() if not kind or kind in GIVES[name]}


def _at_risk(units: tuple[str, ...]) -> Select:
    """Open dossiers whose department has sent nothing on yet and whose due date is near."""
    span = Dossier.due_clock - Dossier.received_clock
    allowed = case((span > 1, span), else_=1)  # a dossier due when received still divides safely
    nothing = cast(null(), Integer)  # typed, for PostgreSQL to unite it with the legs' ids
    columns = _columns(
        "at_risk", item_id=nothing, dossier_id=Dossier.id, from_unit_id=Dossier.department_id, to_unit_id=nothing,
        started_at=Dossier.received_at, limit_seconds=allowed, elapsed=NOW - Dossier.received_clock,
    )  # fmt: skip
    unanswered = (Dossier.status == "open") & Dossier.answered_at.is_(None)  # as ix_dossiers_unanswered_due
    due_before = bindparam("due_before", type_=BigInteger)
    by_units = _unit_conditions(units, Dossier.department_id, nothing)
    return select(*columns).where(unanswered, Dossier.due_clock < due_before, *by_units)


@cache
def shaped_selects(kind: str | None, units: tuple[str, ...]) -> MappingProxyType[str, Select]:
    """The SELECTs for a kind filter (or None) and the unit filters given, by their names."""
    selects = _leg_delays(kind, units)
    if not kind or kind in GIVES["at_risk"]:
        selects["at_risk"] = _at_risk(units)
    return MappingProxyType(selects)


def delay_selects(filters: DelayFilters, now: datetime, now_clock: int) -> DelaySelects:
    """The SELECTs of the delays the filters ask for, at now (whose working clock is now_clock)."""
    period = (filters.finished_from or now - timedelta(days=7), filters.finished_to or now)
    units = tuple(name for name in UNITS if getattr(filters, name))
    threshold = int(current_app.config["AT_RISK_WORKING_HOURS"] * 3600)
    params = {
        "now_clock": now_clock, "finished_from": period[0], "finished_to": period[1],
        "due_before": now_clock + threshold,
        **{f"{name}_id": find_unit(getattr(filters, name)).id for name in units},
    }  # fmt: skip
    shape = (filters.kind, units)
    return DelaySelects(shape, shaped_selects(*shape), params, period)
