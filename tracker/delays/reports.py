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
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from openpyxl import Workbook
from sqlalchemy import Float, Integer, case, cast, func, literal, select
from sqlalchemy.orm import aliased

from tracker.custody.models import Leg
from tracker.delays.sla import leg_limit_hours
from tracker.dossiers.models import Dossier
from tracker.extensions import db
from tracker.units.models import Unit

GROUPINGS = ("route", "from_unit", "to_unit", "procedure", "week")
LEG_KINDS = ("transit", "dwell", "journey")
FINISHED = {"transit": ("received",), "dwell": ("dispatched", "delivered", "moved"), "journey": ("delivered",)}
COLUMNS = ["group", "count", "median_hours", "p90_hours", "max_hours", "on_time_ratio", "wall_median_hours"]
DIGITS = {"median_hours": 2, "p90_hours": 2, "max_hours": 2, "on_time_ratio": 4, "wall_median_hours": 2}


def finished_between(start: datetime, end: datetime, kinds: tuple[str, ...]) -> tuple:
    """Conditions on legs of these kinds that finished in the period."""
    outcomes = [outcome for kind in kinds for outcome in FINISHED[kind]]
    return Leg.kind.in_(kinds), Leg.outcome.in_(outcomes), Leg.ended_at >= start, Leg.ended_at < end


def kept_limit(working_seconds, limit_hours):
    """A leg is on time if it took no longer than its limit, or has no limit."""
    return limit_hours.is_(None) | (working_seconds <= limit_hours * 3600)


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


def _key_columns(rows) -> list:
    """The group keys (k0, k1...) among a subquery's columns."""
    return [c for c in rows.c if c.name.startswith("k")]


def _label(group_by: str, grouped, first, second, postgresql: bool):
    if group_by == "route":
        return first.code + literal(" → ") + func.coalesce(second.code, "")
    if group_by in ("from_unit", "to_unit"):
        return first.code
    if group_by == "week":
        return iso_week_label(grouped.c.k0, postgresql)
    return grouped.c.k0  # the procedure code


def _labelled(group_by: str, grouped, postgresql: bool):
    """The grouped figures with each group's label, ordered by it."""
    first, second = aliased(Unit), aliased(Unit)
    label = _label(group_by, grouped, first, second, postgresql).label("group")
    keys = {c.name for c in _key_columns(grouped)}
    figures = [c for c in grouped.c if c.name not in keys]
    statement = select(label, *figures).select_from(grouped)
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
    ).where(*finished_between(start, end, (leg_kind,)))
    if group_by == "procedure":
        statement = statement.join(Dossier, Dossier.id == Leg.dossier_id)
    return statement.subquery("finished")


def _figures(rows, median, p90, wall_median):
    hours = 3600.0
    on_time = case((kept_limit(rows.c.w, rows.c.limit), 1), else_=0)
    return [
        func.count().label("count"),
        (median / hours).label("median_hours"),
        (p90 / hours).label("p90_hours"),
        (func.max(rows.c.w) / hours).label("max_hours"),
        (cast(func.sum(on_time), Float) / func.count()).label("on_time_ratio"),
        (wall_median / hours).label("wall_median_hours"),
    ]


def _ranked(rows):
    """SQLite: each leg numbered within its group by working and by wall time."""
    keys = _key_columns(rows)
    return select(
        rows,
        func.row_number().over(partition_by=keys, order_by=rows.c.w).label("rank"),
        func.row_number().over(partition_by=keys, order_by=rows.c.wall).label("wall_rank"),
        func.count().over(partition_by=keys).label("n"),
    ).subquery("ranked")


def transit_report_statement(start: datetime, end: datetime, group_by: str, leg_kind: str = "transit"):
    """The report's SELECT. Nearest-rank percentiles: percentile_disc on PostgreSQL (an
    ordered-set aggregate, the fast way there), row numbers over each group on SQLite."""
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    rows = _finished_legs(start, end, group_by, leg_kind, postgresql)
    if postgresql:
        at = lambda fraction, value: func.percentile_disc(fraction).within_group(value)  # noqa: E731
        figures = _figures(rows, at(0.5, rows.c.w), at(0.9, rows.c.w), at(0.5, rows.c.wall))
    else:
        rows = _ranked(rows)
        at = lambda rank, percent, value: func.max(case((rank == _rank(rows.c.n, percent), value)))  # noqa: E731
        figures = _figures(
            rows, at(rows.c.rank, 50, rows.c.w), at(rows.c.rank, 90, rows.c.w), at(rows.c.wall_rank, 50, rows.c.wall)
        )
    keys = _key_columns(rows)
    grouped = select(*keys, *figures).group_by(*keys).subquery("grouped")
    return _labelled(group_by, grouped, postgresql)


def report_rows(start: datetime, end: datetime, group_by: str, leg_kind: str = "transit") -> Iterator[dict]:
    """The report's rows, fetched in batches rather than all at once."""
    statement = transit_report_statement(start, end, group_by, leg_kind)
    for row in db.session.execute(statement.execution_options(yield_per=1000)):
        yield rounded(row._mapping)


def rounded(figures: Mapping) -> dict:
    """A report row as served: hours to 0.01, the on-time share to 0.0001."""
    return {
        column: round(figures[column], DIGITS[column]) if column in DIGITS else figures[column] for column in COLUMNS
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
