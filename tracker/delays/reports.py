"""Statistics of finished legs, grouped, computed in SQL; CSV and XLSX streamed row by row.

Percentiles are by nearest rank (the value at rank ceil(p * n) in working-hour order),
computed with window functions that SQLite and PostgreSQL both have, so both databases
give the same figures.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from openpyxl import Workbook
from sqlalchemy import Float, case, cast, func, literal, select

from tracker.delays.models import Leg
from tracker.delays.sla import leg_limit_hours
from tracker.dossiers.models import Dossier
from tracker.extensions import db

GROUPINGS = ("route", "from_unit", "to_unit", "procedure", "week")
LEG_KINDS = ("transit", "dwell", "journey")
FINISHED = {"transit": ("received",), "dwell": ("dispatched", "delivered", "moved"), "journey": ("delivered",)}
COLUMNS = ["group", "count", "median_hours", "p90_hours", "max_hours", "on_time_ratio", "wall_median_hours"]


def _iso_week(moment):
    """The ISO week ('2026-W47') of a stored UTC time, in the province's time zone."""
    zone = current_app.config["TRACKER_TIMEZONE"]
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone(zone, moment), 'IYYY-"W"IW')
    # SQLite has no time zones: shift by the zone's current offset (Vietnam keeps one all year).
    offset = int(datetime.now(ZoneInfo(zone)).utcoffset().total_seconds() // 60)
    thursday = func.date(func.datetime(moment, f"{offset:+d} minutes"), "-3 days", "weekday 4")
    week = (cast(func.strftime("%j", thursday), Float) - 1) / 7 + 1
    return func.strftime("%Y", thursday) + "-W" + func.printf("%02d", cast(week, db.Integer))


def _rank(n, percent: int):
    return (n * percent + 99) // 100  # ceil(n * percent / 100) in integer arithmetic


def transit_report_statement(start: datetime, end: datetime, group_by: str, leg_kind: str = "transit"):
    sender, receiver, joined, limit = leg_limit_hours()
    keys = {
        "route": sender.code + literal(" → ") + func.coalesce(receiver.code, ""),
        "from_unit": sender.code,
        "to_unit": func.coalesce(receiver.code, sender.code),
        "procedure": Dossier.procedure_code,
        "week": _iso_week(Leg.ended_at),
    }
    working = Leg.end_clock - Leg.start_clock
    base = joined(
        select(keys[group_by].label("key"), working.label("w"), Leg.wall_seconds.label("wall"), limit.label("limit"))
        .select_from(Leg)
        .join(Dossier, Dossier.id == Leg.dossier_id)
    ).where(Leg.kind == leg_kind, Leg.outcome.in_(FINISHED[leg_kind]), Leg.ended_at >= start, Leg.ended_at < end)
    base = base.subquery()
    ranked = select(
        base,
        func.row_number().over(partition_by=base.c.key, order_by=base.c.w).label("rank"),
        func.row_number().over(partition_by=base.c.key, order_by=base.c.wall).label("wall_rank"),
        func.count().over(partition_by=base.c.key).label("n"),
    ).subquery()
    hours = 3600.0
    on_time = case((ranked.c.limit.is_(None) | (ranked.c.w <= ranked.c.limit * 3600), 1), else_=0)
    return (
        select(
            ranked.c.key.label("group"),
            func.count().label("count"),
            (func.max(case((ranked.c.rank == _rank(ranked.c.n, 50), ranked.c.w))) / hours).label("median_hours"),
            (func.max(case((ranked.c.rank == _rank(ranked.c.n, 90), ranked.c.w))) / hours).label("p90_hours"),
            (func.max(ranked.c.w) / hours).label("max_hours"),
            (cast(func.sum(on_time), Float) / func.count()).label("on_time_ratio"),
            (func.max(case((ranked.c.wall_rank == _rank(ranked.c.n, 50), ranked.c.wall))) / hours).label(
                "wall_median_hours"
            ),
        )
        .group_by(ranked.c.key)
        .order_by(ranked.c.key)
    )


def report_rows(start: datetime, end: datetime, group_by: str, leg_kind: str = "transit") -> Iterator[dict]:
    """The report's rows, fetched in batches rather than all at once."""
    statement = transit_report_statement(start, end, group_by, leg_kind)
    for row in db.session.execute(statement.execution_options(yield_per=1000)):
        yield {
            "group": row.group,
            "count": row.count,
            "median_hours": round(row.median_hours, 2),
            "p90_hours": round(row.p90_hours, 2),
            "max_hours": round(row.max_hours, 2),
            "on_time_ratio": round(row.on_time_ratio, 4),
            "wall_median_hours": round(row.wall_median_hours, 2),
        }


def csv_chunks(rows: Iterable[dict]) -> Iterator[str]:
    """CSV text, a header then one chunk per row, never the whole file in memory."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(rows: Iterable[dict], target) -> None:
    """The rows as an XLSX workbook written in openpyxl's write-only mode (flat memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Báo cáo")
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row[column] for column in COLUMNS])
    workbook.save(target)


def xlsx_file(rows: Iterable[dict]):
    """A temporary file holding the workbook, rewound, for streaming out."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115  (the response streams it, then closes it)
    write_xlsx(rows, spool)
    spool.seek(0)
    return spool
