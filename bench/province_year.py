"""A synthetic province-year for the benchmarks, loaded straight into the tables.

21 district post offices and the provincial post, the centre, the departments, a dossier every
few working minutes with an application that travels post -> centre -> department and a result
that comes back department -> centre -> post, every custody event and every leg the service
would have written, then the reports' rollup built from the legs as the migration does. On
PostgreSQL the chunks of dossiers are made and copied (COPY) by one process per core, into tables
whose secondary indexes and foreign keys are built once the rows are in, as a database engineer
loads a year; SQLite takes bulk inserts, one chunk after another. Durations are drawn in working
hours from log-normal laws around the route limits, so some legs are late, a few items go missing
and the last days' dossiers are still on the road.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import psycopg
from sqlalchemy import insert, text

from tracker.auth.services import create_user
from tracker.calendar.services import current_calendar
from tracker.custody.chain import content_hash
from tracker.custody.legs import record_answers
from tracker.custody.models import (
    CustodyEvent,
    Item,
    Leg,
)
from tracker.database import refresh_planner_statistics
from tracker.delays.histograms import compact_closed_periods
from tracker.delays.leg_limits import judge_legs
from tracker.delays.rollups import rebuild_rollups
from tracker.demo.province import DEMO_UNITS, FAMILY_NAMES, GIVEN_NAMES, MIDDLE_NAMES, PROCEDURES
from tracker.domain.calendar import WorkingCalendar
from tracker.domain.codes import CodeKind, iso7064_mod37_36, s10_check_digit
from tracker.domain.custody import Role, UnitKind
from tracker.domain.text import fold
from tracker.dossiers.models import Dossier
from tracker.extensions import db
from tracker.units.services import create_unit

PASSWORD = "bench-password"
LOADED_MODELS = (Dossier, Item, CustodyEvent, Leg)  # in foreign-key order
HOUR = 3600
WORKING_DAY = 8 * HOUR  # with the default office hours
CHUNK_DOSSIERS = 5000
# Each chunk draws its own numbers and ids, so chunks can be made in any order: ids of chunk n
# start at n times the most a chunk can use (an application and a result a dossier, at most 8
# events and 5 legs an item, and the dossier's journey).
ID_STRIDES = {"dossier": CHUNK_DOSSIERS, "item": 2 * CHUNK_DOSSIERS, "event": 16 * CHUNK_DOSSIERS,
              "leg": 11 * CHUNK_DOSSIERS}  # fmt: skip
SEED = 2026
MISSING_RATE = 0.001  # per transit: the envelope never arrives
DISTRICTS = [
    "Cửa Lò", "Thái Hòa", "Hoàng Mai", "Yên Thành", "Nghi Lộc", "Hưng Nguyên", "Nam Đàn", "Thanh Chương",
    "Đô Lương", "Anh Sơn", "Con Cuông", "Tương Dương", "Kỳ Sơn", "Quế Phong", "Quỳ Châu", "Quỳ Hợp",
    "Nghĩa Đàn", "Tân Kỳ",
]  # fmt: skip

# Working hours, as (median, sigma) of log-normal laws; route limits are 8 h (see migration 0003).
POST_DWELL, CENTRE_DWELL, DEPARTMENT_DWELL, DELIVERY_WAIT = (3, 0.6), (2.5, 0.8), (2, 0.6), (6, 0.8)
TO_CENTRE, TO_DEPARTMENT, BACK_TO_CENTRE, BACK_TO_POST = (4, 0.5), (3, 0.7), (4, 0.7), (5, 0.5)


def s10(item_id: int) -> str:
    """The S10 number the post gave an application packet at the counter (RR...VN)."""
    serial = f"{item_id % 10**8:08d}"
    return f"RR{serial}{s10_check_digit(serial)}VN"


@dataclass
class Tables:
    """Rows ready for loading, one list per table, in each model's column order."""

    dossiers: list[dict] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    legs: list[dict] = field(default_factory=list)

    def by_model(self) -> list[tuple[type, list[dict]]]:
        return list(zip(LOADED_MODELS, (self.dossiers, self.items, self.events, self.legs), strict=True))


@dataclass
class Hop:
    """Held at `unit` for `dwell` working seconds, then `transit` working seconds to `to`."""

    unit: int
    dwell: int
    to: int | None = None
    transit: int = 0


class ProvinceYear:
    """Generates the rows of a year of `count` dossiers, stopping each chain at `now`."""

    def __init__(
        self, calendar: WorkingCalendar, units: dict[str, int], actors: dict[int, int], now: datetime, count: int
    ):
        self.calendar, self.units, self.actors, self.count = calendar, units, actors, count
        self.now_clock = calendar.clock(now)
        self.first_clock = calendar.clock(now - timedelta(days=365))
        self.posts = [units[code] for code, _, kind in self.unit_list() if kind == UnitKind.POST]
        self.centre = units["TTHCC"]

    @staticmethod
    def unit_list() -> list[tuple[str, str, UnitKind]]:
        districts = [(f"BC-D{n:02d}", f"Bưu cục {name}", UnitKind.POST) for n, name in enumerate(DISTRICTS, 1)]
        return DEMO_UNITS + districts

    def hours(self, law: tuple[float, float]) -> int:
        median, sigma = law
        return int(self.rng.lognormvariate(0, sigma) * median * HOUR)

    def moment(self, reading: int) -> datetime:
        """The instant of a clock reading; a leg's end is the next event's time, so remember them."""
        known = self.moments.get(reading)
        if known is None:
            known = self.moments[reading] = self.calendar.moment_at(reading).astimezone(UTC)
        return known

    @property
    def chunks(self) -> int:
        return -(-self.count // CHUNK_DOSSIERS)

    def chunk(self, number: int) -> Tables:
        """The rows of one chunk of dossiers, pickups spread evenly over the year."""
        self.rng = random.Random(SEED * 1_000_000 + number)
        self.ids = {name: itertools.count(number * stride + 1) for name, stride in ID_STRIDES.items()}
        self.chain_heads: dict[int, str] = {}  # item id -> its latest event's hash (tracker/custody/chain.py)
        self.moments: dict[int, datetime] = {}
        step = (self.now_clock - self.first_clock) / self.count
        tables = Tables()
        for n in range(number * CHUNK_DOSSIERS, min(self.count, (number + 1) * CHUNK_DOSSIERS)):
            self.dossier(tables, self.first_clock + int(n * step) + self.rng.randrange(max(1, int(step))))
        for item in tables.items:
            item["chain_head"] = self.chain_heads[item["id"]]
        return tables

    def dossier(self, tables: Tables, pickup: int) -> None:
        rng = self.rng
        procedure = rng.choices(PROCEDURES, weights=[p.weight for p in PROCEDURES])[0]
        post, department = rng.choice(self.posts), self.units[procedure.department]
        dossier_id = next(self.ids["dossier"])
        received_at = self.moment(pickup)
        due_clock = pickup + procedure.working_days * WORKING_DAY
        outbound = [Hop(post, self.hours(POST_DWELL), self.centre, self.hours(TO_CENTRE)),
                    Hop(self.centre, self.hours(CENTRE_DWELL), department, self.hours(TO_DEPARTMENT)),
                    Hop(department, 0)]  # fmt: skip
        arrived = self.item(tables, dossier_id, "application", pickup, outbound, delivered=False)
        delivered = None
        if arrived is not None:
            issued = arrived + int(procedure.working_days * WORKING_DAY * rng.uniform(0.5, 1.2))
            inbound = [Hop(department, self.hours(DEPARTMENT_DWELL), self.centre, self.hours(BACK_TO_CENTRE)),
                       Hop(self.centre, self.hours(CENTRE_DWELL), post, self.hours(BACK_TO_POST)),
                       Hop(post, self.hours(DELIVERY_WAIT))]  # fmt: skip
            delivered = self.item(tables, dossier_id, "result", issued, inbound, delivered=True)
        self.journey(tables, dossier_id, post, pickup, delivered)
        code, tracking = f"000.00.{dossier_id:08d}", f"HS{dossier_id:09d}"
        tracking += iso7064_mod37_36(tracking)
        name, phone = self.applicant(), f"09{self.rng.randrange(10**8):08d}"
        tables.dossiers.append({
            "id": dossier_id, "code": code, "tracking_code": tracking, "procedure_code": procedure.code,
            "procedure_name": procedure.name, "applicant_name": name, "applicant_phone": phone,
            "search_text": fold(" ".join((code, tracking, name, procedure.code, procedure.name))),
            "phone_digits": phone,
            "applicant_address": "", "department_id": department, "received_at": received_at,
            "due_at": self.moment(due_clock), "status": "delivered" if delivered else "open",
            "received_clock": pickup, "due_clock": due_clock, "created_at": received_at,
            "created_by_id": self.actors[post], "answered_at": None,  # from the legs once loaded
        })  # fmt: skip

    def applicant(self) -> str:
        rng = self.rng
        return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"

    def item(self, tables: Tables, dossier_id: int, kind: str, start: int, hops: list[Hop], delivered: bool):
        """An item's events and legs along its hops; the reading its chain ended at, if it did."""
        if start > self.now_clock:
            return None
        item_id = next(self.ids["item"])
        body = f"{CodeKind.ITEM.value}{item_id:09d}"
        item = {"id": item_id, "code": body + iso7064_mod37_36(body), "dossier_id": dossier_id, "kind": kind,
                "status": "held", "holder_unit_id": hops[0].unit, "current_transfer_id": None,
                "postal_id": s10(item_id) if kind == "application" else None,
                "created_at": self.moment(start), "label_printed_at": self.moment(start)}  # fmt: skip
        tables.items.append(item)
        self.event(tables, "registered", item_id, hops[0].unit, start)
        reading = start
        for hop in hops[:-1]:
            dwell = self.leg(tables, "dwell", item, hop.unit, None, reading, hop.dwell)
            if dwell["ended_at"] is None:
                return None
            reading += hop.dwell
            dwell["outcome"] = "dispatched"
            self.event(tables, "packed", item_id, hop.unit, max(reading - 600, reading - hop.dwell))
            self.event(tables, "dispatched", item_id, hop.unit, reading)
            item.update(status="in_transit", holder_unit_id=None)
            transit = self.leg(tables, "transit", item, hop.unit, hop.to, reading, hop.transit)
            if transit["ended_at"] is None:
                return None
            reading += hop.transit
            if self.rng.random() < MISSING_RATE:
                transit["outcome"] = "missing"
                item["status"] = "missing"
                self.event(tables, "missing", item_id, hop.to, reading)
                return None
            transit["outcome"] = "received"
            self.event(tables, "received", item_id, hop.to, reading)
            item.update(status="held", holder_unit_id=hop.to)
        return self.last_stop(tables, item, hops[-1], reading, delivered)

    def last_stop(self, tables: Tables, item: dict, hop: Hop, reading: int, delivered: bool) -> int | None:
        """An application stays at its department; a result waits at the post office for its owner.

        Returns when the item arrived there (an application) or was delivered (a result), if so.
        """
        if not delivered:
            self.leg_row(tables, "dwell", item["id"], item["dossier_id"], hop.unit, None, reading, None)
            return reading
        dwell = self.leg(tables, "dwell", item, hop.unit, None, reading, hop.dwell)
        if dwell["ended_at"] is None:
            return None
        dwell["outcome"] = "delivered"
        item.update(status="delivered", holder_unit_id=None)
        self.event(tables, "delivered", item["id"], hop.unit, reading + hop.dwell)
        return reading + hop.dwell

    def leg(self, tables: Tables, kind: str, item: dict, unit: int, to: int | None, start: int, length: int):
        """An item's leg from start lasting length working seconds; left open when that is after now."""
        end = start + length
        return self.leg_row(tables, kind, item["id"], item["dossier_id"], unit, to, start, end)

    def leg_row(self, tables: Tables, kind: str, item_id, dossier_id: int, unit: int, to, start: int, end):
        ended = end is not None and end <= self.now_clock
        started_at, ended_at = self.moment(start), self.moment(end) if ended else None
        leg = {
            "id": next(self.ids["leg"]), "kind": kind, "item_id": item_id, "dossier_id": dossier_id,
            "transfer_id": None, "from_unit_id": unit, "to_unit_id": to, "started_at": started_at,
            "start_clock": start, "ended_at": ended_at, "end_clock": end if ended else None,
            "wall_seconds": int((ended_at - started_at).total_seconds()) if ended else None, "outcome": None,
            "limit_seconds": None,  # set from the route limits once loaded
        }  # fmt: skip
        tables.legs.append(leg)
        return leg

    def journey(self, tables: Tables, dossier_id: int, post: int, pickup: int, delivered: int | None) -> None:
        leg = self.leg_row(tables, "journey", None, dossier_id, post, None, pickup, delivered)
        if leg["ended_at"] is not None:
            leg["outcome"] = "delivered"

    def event(self, tables: Tables, kind: str, item_id: int, unit: int, reading: int) -> None:
        at = self.moment(reading)
        event = {
            "id": next(self.ids["event"]), "kind": kind, "item_id": item_id, "transfer_id": None, "unit_id": unit,
            "actor_id": self.actors[unit], "occurred_at": at, "recorded_at": at, "device_id": None, "note": None,
            "corrects_id": None, "counterpart_unit_id": None, "related_transfer_id": None,
            "previous_hash": self.chain_heads.get(item_id),
        }  # fmt: skip
        event["content_hash"] = self.chain_heads[item_id] = content_hash(event)
        tables.events.append(event)


# Loading


def build_units_and_users(unit_list: list[tuple[str, str, UnitKind]]) -> tuple[dict[str, int], dict[int, int]]:
    """The province's units, a handler per unit (the events' actor) and a supervisor."""
    roles = {UnitKind.POST: Role.POSTAL_STAFF, UnitKind.CENTRE: Role.CENTRE_CLERK,
             UnitKind.DEPARTMENT: Role.DEPARTMENT_CLERK}  # fmt: skip
    units = {code: create_unit(code, name, kind) for code, name, kind in unit_list}
    db.session.flush()
    handlers = {unit.id: create_user(f"u-{code.lower()}", code, PASSWORD, roles[unit.kind], unit)
                for code, unit in units.items()}  # fmt: skip
    create_user("supervisor", "Giám sát", PASSWORD, Role.SUPERVISOR, units["TTHCC"])
    db.session.flush()
    return {code: unit.id for code, unit in units.items()}, {unit: user.id for unit, user in handlers.items()}


# A chunk-copying process's year and connection (set in each process as the pool starts it).
_copier: tuple[ProvinceYear, psycopg.Connection] | None = None


def _start_copier(year: ProvinceYear, conninfo: str) -> None:
    global _copier
    _copier = year, psycopg.connect(conninfo)


def _copy_chunk(number: int) -> int:
    """Make one chunk and COPY it in its own transaction; how many dossiers it held."""
    year, connection = _copier
    tables = year.chunk(number)
    with connection.cursor() as cursor:
        for model, rows in tables.by_model():
            columns = [column.name for column in model.__table__.columns]
            with cursor.copy(f"COPY {model.__tablename__} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[column] for column in columns])
    connection.commit()
    return len(tables.dossiers)


def copy_in_parallel(year: ProvinceYear, progress: Callable[[str], None]) -> None:
    """Every chunk, made and copied by one process per core, each over its own connection."""
    conninfo = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    context = multiprocessing.get_context("fork")
    copied = 0
    initargs = (year, conninfo)
    with context.Pool(os.cpu_count(), initializer=_start_copier, initargs=initargs) as pool:
        for done, dossiers in enumerate(pool.imap_unordered(_copy_chunk, range(year.chunks)), 1):
            copied += dossiers
            if done % 10 == 0:
                progress(f"  {copied:,} / {year.count:,} dossiers")


def insert_one_by_one(year: ProvinceYear, progress: Callable[[str], None]) -> None:
    for number in range(year.chunks):
        for model, rows in year.chunk(number).by_model():
            db.session.execute(insert(model), rows)
        if (number + 1) % 10 == 0:
            progress(f"  {min((number + 1) * CHUNK_DOSSIERS, year.count):,} / {year.count:,} dossiers")


LOADED_TABLES = "ARRAY['dossiers', 'items', 'custody_events', 'legs']::regclass[]"
SECONDARY_INDEXES = f"""
SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid) FROM pg_index i
WHERE i.indrelid = ANY({LOADED_TABLES}) AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
"""
FOREIGN_KEYS = f"""
SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),
       format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY({LOADED_TABLES})
"""


def without_secondary_structures() -> list[str]:
    """Drop the loaded tables' foreign keys and secondary indexes; the statements that bring them back."""
    statements = [*db.session.execute(text(FOREIGN_KEYS)), *db.session.execute(text(SECONDARY_INDEXES))]
    for drop, _ in statements:
        db.session.execute(text(drop))
    db.session.commit()
    return [create for _, create in reversed(statements)]  # indexes first: a foreign key checks through them


def load_year(items: int, now: datetime, progress: Callable[[str], None]) -> None:
    units, actors = build_units_and_users(ProvinceYear.unit_list())
    year = ProvinceYear(current_calendar(), units, actors, now, items // 2)  # an application and a result each
    if db.engine.dialect.name == "postgresql":
        db.session.commit()  # the units and users, for the copying processes to see
        rebuild = without_secondary_structures()
        try:
            copy_in_parallel(year, progress)
            db.session.execute(judge_legs())  # before the indexes: none of them has to follow the update
            db.session.commit()
        finally:
            progress("  building the indexes and checking the foreign keys")
            db.session.execute(text("SET maintenance_work_mem = '1GB'"))
            for statement in rebuild:
                db.session.execute(text(statement))
            db.session.commit()
        for table in (model.__tablename__ for model in LOADED_MODELS):  # COPY gave explicit ids
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"))
        # The service appends events as they are recorded, so a day's events lie together on disk;
        # the copying processes wrote each dossier's year at once. Laid out as the service would.
        db.session.execute(text("CLUSTER custody_events USING ix_custody_events_recorded_at"))
    else:
        insert_one_by_one(year, progress)
        db.session.execute(judge_legs())
    db.session.execute(record_answers())
    rebuild_rollups()
    db.session.commit()
    worker_upkeep(now)
    # The planner's statistics of the new year and, on PostgreSQL, its visibility map (index-only scans).
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"))


def worker_upkeep(now: datetime) -> int:
    """What the worker has done by the year's end: SQLite's planner statistics gathered, every
    closed day and month of the reports folded (how many were left to fold)."""
    refresh_planner_statistics(db.session)
    db.session.commit()
    total = 0
    while done := compact_closed_periods(now):
        total += done
    return total


def counted(model: type) -> int:
    return db.session.scalar(text(f"SELECT count(*) FROM {model.__tablename__}"))
