"""The rollup of finished legs: a histogram by whole minute, kept in the legs' own transaction.

Every leg that finishes adds one to its row of `leg_rollups` (local day it ended, kind, route,
procedure, minute) for its working time and one for its wall time, with an upsert
(INSERT ... ON CONFLICT DO UPDATE SET legs = legs + 1) run once per transaction just before
its commit, which concurrent transactions can run at once on PostgreSQL and SQLite. The same
INSERT ... SELECT rebuilds rows from the legs after a calendar or route-limit change, and
filled the table when it was created (migration 0006). A leg counted in a day already folded
into the compact level (tracker/delays/histograms.py) drops that day's and month's compact
rows in the same transaction; a rebuild drops them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import SmallInteger, case, delete, event, func, literal, select, union_all
from sqlalchemy.orm import Session

from tracker.custody.legs import FINISHED, finished_legs, take_finished_legs
from tracker.custody.models import Leg
from tracker.database import upsert_insert, utcnow
from tracker.delays.histograms import CLOCKS, NO_UNIT, WORKING, forget_all, forget_compacted, local_today
from tracker.delays.models import LegRollup
from tracker.delays.sla import kept_limit, leg_limit_hours
from tracker.dossiers.models import Dossier
from tracker.extensions import db

KEY = ("kind", "day", "from_unit_id", "to_unit_id", "procedure_code", "clock", "minute")


def utc_offset_minutes(zone_name: str) -> int:
    """The province's UTC offset (Vietnam keeps one all year), for SQLite, which has no time zones."""
    return int(datetime.now(ZoneInfo(zone_name)).utcoffset().total_seconds() // 60)


def local_day(moment, dialect: str, zone_name: str):
    """The province's calendar day of a stored UTC time."""
    if dialect == "postgresql":
        return func.date(func.timezone(zone_name, moment))
    return func.date(moment, f"{utc_offset_minutes(zone_name):+d} minutes")


def histogram_rows(clock: int, legs_where, dialect: str, zone_name: str, procedure: bool = True):
    """One histogram row per finished leg for one clock: its key, 1, on time or not, its seconds.

    Without procedure, the rows leave the procedure blank and the dossiers unread."""
    _, _, joined, limit = leg_limit_hours()
    working = Leg.end_clock - Leg.start_clock
    seconds = working if clock == WORKING else Leg.wall_seconds
    on_time = case((kept_limit(working, limit), 1), else_=0) if clock == WORKING else literal(0)
    statement = select(
        Leg.kind.label("kind"),
        local_day(Leg.ended_at, dialect, zone_name).label("day"),
        Leg.from_unit_id.label("from_unit_id"),
        func.coalesce(Leg.to_unit_id, NO_UNIT).label("to_unit_id"),
        (Dossier.procedure_code if procedure else literal("")).label("procedure_code"),
        literal(clock, SmallInteger).label("clock"),
        (seconds // 60).label("minute"),
        on_time.label("on_time"),
        seconds.label("seconds"),
    ).select_from(Leg)
    if clock == WORKING:  # only working time is held against the route limits
        statement = joined(statement)
    statement = statement.where(finished_legs(), legs_where)
    return statement.join(Dossier, Dossier.id == Leg.dossier_id) if procedure else statement


def rollup_upsert(legs_where, dialect: str, zone_name: str):
    """INSERT ... SELECT the histogram rows of the legs matching legs_where, adding to existing rows."""
    clocks = [histogram_rows(clock, legs_where, dialect, zone_name) for clock in CLOCKS]
    rows = union_all(*clocks).subquery("rows")
    keys = [rows.c[name] for name in KEY]
    # SQLite needs a WHERE before ON CONFLICT to parse an INSERT ... SELECT upsert; this one is always true.
    grouped = (
        select(*keys, func.count(), func.sum(rows.c.on_time), func.max(rows.c.seconds))
        .where(rows.c.minute >= 0)
        .group_by(*keys)
        .order_by(*keys)  # rows locked in key order: two transactions never wait on each other in a cycle
    )
    table = LegRollup.__table__
    insert = upsert_insert(dialect, table).from_select([*KEY, "legs", "on_time", "max_seconds"], grouped)
    larger = func.greatest if dialect == "postgresql" else func.max
    return insert.on_conflict_do_update(
        index_elements=list(KEY),
        set_={
            "legs": table.c.legs + insert.excluded.legs,
            "on_time": table.c.on_time + insert.excluded.on_time,
            "max_seconds": larger(table.c.max_seconds, insert.excluded.max_seconds),
        },
    )


@event.listens_for(Session, "before_commit")
def _count_finished_legs(session: Session) -> None:
    """Count the legs the transaction finished in the rollup, just before its commit.

    One upsert for the whole transaction: a receipt of fifty items takes the rollup's row
    locks once, in key order, and holds them for the shortest time. A savepoint's release
    (each entry of a scans batch) fires this hook too: its legs wait for the real commit, or
    a batch would lock rollup rows entry by entry, out of key order, and two could deadlock.
    """
    if session.in_nested_transaction():
        return
    leg_ids = take_finished_legs(session)
    if leg_ids:
        session.flush()
        dialect = session.get_bind().dialect.name
        upsert = rollup_upsert(Leg.id.in_(leg_ids), dialect, current_app.config["TRACKER_TIMEZONE"])
        table = LegRollup.__table__
        counted = session.execute(upsert.returning(table.c.kind, table.c.day)).all()
        today = local_today(utcnow())
        forget_compacted({(kind, day) for kind, day in counted if day < today})


def rebuild_rollups(kinds: Iterable[str] = FINISHED) -> None:
    """Recount the rollup rows of these leg kinds from the legs (after a calendar or limit change)."""
    kinds = tuple(kinds)
    db.session.execute(delete(LegRollup).where(LegRollup.kind.in_(kinds)))
    forget_all(kinds)
    dialect = db.session.get_bind().dialect.name
    db.session.execute(rollup_upsert(Leg.kind.in_(kinds), dialect, current_app.config["TRACKER_TIMEZONE"]))
