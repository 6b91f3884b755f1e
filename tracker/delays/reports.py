"""Statistics of finished legs, grouped, computed in SQL; CSV and XLSX streamed row by row.

Percentiles are by nearest rank (the value at rank ceil(p * n) in working-hour order):
PostgreSQL's percentile_disc computes exactly that, SQLite numbers the rows of each group,
so both databases give the same figures. Legs are grouped on ids, codes or a week's Monday,
and labelled once per group afterwards, which keeps string work off the million-row path.
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
from sqlalchemy import Float, Integer, case, cast, func, literal, select
from sqlalchemy.orm import aliased

from tracker.delays.models import Leg
from tracker.delays.sla import leg_limit_hours
from tracker.dossiers.models import Dossier
from tracker.extensions import db
from tracker.units.models import Unit

GROUPINGS = ("route", "from_unit", "to_unit", "procedure", "week")
LEG_KINDS = ("transit", "dwell", "journey")
FINISHED = {"transit": ("received",), "dwell": ("dispatched", "delivered", "moved"), "journey": ("delivered",)}
COLUMNS = ["group", "count", "median_hours", "p90_hours", "max_hours", "on_time_ratio", "wall_median_hours"]


def _offset_minutes() -> int:
    """The province's UTC offset (Vietnam keeps one all year), for SQLite, which has no time zones."""
    zone = ZoneInfo(current_app.config["TRACKER_TIMEZONE"])
    return int(datetime.now(zone).utcoffset().total_seconds() // 60)


def week_start(moment, postgresql: bool):
    """The local Monday starting the week of a stored UTC time: cheap to group on."""
    if postgresql:
        return func.date_trunc("week", func.timezone(current_app.config["TRACKER_TIMEZONE"], moment))
    return func.date(moment, f"{_offset_minutes():+d} minutes", "weekday 0", "-6 days")


def iso_week_label(monday, postgresql: bool):
    """'2026-W47' for the week starting on monday: the ISO year and week of its Thursday."""
    if postgresql:
        return func.to_char(monday, 'IYYY-"W"IW')
    thursday = func.date(monday, "+3 days")
    week = (cast(func.strftime("%j", thursday), Integer) - 1) / 7 + 1
    return func.strftime("%Y", thursday) + "-W" + func.printf("%02d", week)


def _rank(n, percent: int):
    return (n * percent + 99) // 100  # ceil(n * percent / 100) in integer arithmetic


def _keys(group_by: str, postgresql: bool) -> list:
    """What each finished leg is grouped on: unit ids, a procedure code or a week's Monday."""
    return {
        "route": [Leg.from_unit_id, Leg.to_unit_id],
        "from_unit": [Leg.from_unit_id],
        "to_unit": [func.coalesce(Leg.to_unit_id, Leg.from_unit_id)],
        "procedure": [Dossier.procedure_code],
        "week": [week_start(Leg.ended_at, postgresql)],
    }[group_by]


def _labelled(group_by: str, grouped, postgresql: bool):
    """The grouped figures with each group's label, ordered by it."""
    first, second = aliased(Unit), aliased(Unit)
    labels = {
        "route": first.code + literal(" → ") + func.coalesce(second.code, ""),
        "from_unit": first.code,
        "to_unit": first.code,
        "procedure": grouped.c.k0,
        "week": iso_week_label(grouped.c.k0, postgresql) if group_by == "week" else None,
    }
    label = labels[group_by].label("group")
    statement = select(label, *[c for c in grouped.c if not c.name.startswith("k")]).select_from(grouped)
    if group_by in ("route", "from_unit", "to_unit"):
        statement = statement.join(first, first.id == grouped.c.k0)
    if group_by == "route":
        statement = statement.outerjoin(second, second.id == grouped.c.k1)
    return statement.order_by(label)


def _finished_legs(start: datetime, end: datetime, group_by: str, leg_kind: str, postgresql: bool):
    """One row per finished leg in the period: its group keys, working and wall seconds, limit."""
    _, _, joined, limit = leg_limit_hours()
    keys = [key.label(f"k{n}") for n, key in enumerate(_keys(group_by, postgresql))]
    working = (Leg.end_clock - Leg.start_clock).label("w")
    statement = joined(
        select(*keys, working, Leg.wall_seconds.label("wall"), limit.label("limit")).select_from(Leg)
    ).where(Leg.kind == leg_kind, Leg.outcome.in_(FINISHED[leg_kind]), Leg.ended_at >= start, Leg.ended_at < end)
    if group_by == "procedure":
        statement = statement.join(Dossier, Dossier.id == Leg.dossier_id)
    return statement.subquery("finished")


def _figures(rows, median, p90, wall_median):
    hours = 3600.0
    on_time = case((rows.c.limit.is_(None) | (rows.c.w <= rows.c.limit * 3600), 1), else_=0)
    return [
        func.count().label("count"),
        (median / hours).label("median_hours"),
        (p90 / hours).label("p90_hours"),
        (func.max(rows.c.w) / hours).label("max_hours"),
        (cast(func.sum(on_time), Float) / func.count()).label("on_time_ratio"),
        (wall_median / hours).label("wall_median_hours"),
    ]


def transit_report_statement(start: datetime, end: datetime, group_by: str, leg_kind: str = "transit"):
    """The report's SELECT. Nearest-rank percentiles: percentile_disc on PostgreSQL (an
    ordered-set aggregate, the fast way there), row numbers over each group on SQLite."""
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    rows = _finished_legs(start, end, group_by, leg_kind, postgresql)
    keys = [c for c in rows.c if c.name.startswith("k")]
    if postgresql:
        figures = _figures(
            rows,
            func.percentile_disc(0.5).within_group(rows.c.w),
            func.percentile_disc(0.9).within_group(rows.c.w),
            func.percentile_disc(0.5).within_group(rows.c.wall),
        )
        grouped = select(*keys, *figures).group_by(*keys).subquery("grouped")
        return _labelled(group_by, grouped, postgresql)
    ranked = select(
        rows,
        func.row_number().over(partition_by=keys, order_by=rows.c.w).label("rank"),
        func.row_number().over(partition_by=keys, order_by=rows.c.wall).label("wall_rank"),
        func.count().over(partition_by=keys).label("n"),
    ).subquery("ranked")
    at_rank = lambda rank, percent, value: func.max(case((rank == _rank(ranked.c.n, percent), value)))  # noqa: E731
    figures = _figures(
        ranked,
        at_rank(ranked.c.rank, 50, ranked.c.w),
        at_rank(ranked.c.rank, 90, ranked.c.w),
        at_rank(ranked.c.wall_rank, 50, ranked.c.wall),
    )
    ranked_keys = [c for c in ranked.c if c.name.startswith("k")]
    grouped = select(*ranked_keys, *figures).group_by(*ranked_keys).subquery("grouped")
    return _labelled(group_by, grouped, postgresql)


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
