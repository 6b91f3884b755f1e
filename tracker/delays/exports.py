"""The transit report as files people open in Excel: CSV (UTF-8 with a BOM) and XLSX.

Column headers in the reader's language (Vietnamese unless the page is in English), procedure
names beside their codes, the on-time share as a percentage, and the period and the time the
file was made in the file name (both formats) and in the first rows (XLSX). Both stream: CSV
row by row, XLSX through openpyxl's write-only mode into a temporary file (flat memory).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext, lazy_gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlalchemy import select

from tracker.api.fields import local_timezone
from tracker.database import utcnow
from tracker.dossiers.models import Dossier
from tracker.extensions import db

BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with one
GROUP_HEADERS = {
    "route": lazy_gettext("Route"),
    "from_unit": lazy_gettext("Sending unit"),
    "to_unit": lazy_gettext("Receiving unit"),
    "procedure": lazy_gettext("Procedure code"),
    "week": lazy_gettext("Week"),
}
FIGURE_HEADERS = {
    "count": lazy_gettext("Finished legs"),
    "median_hours": lazy_gettext("Median (working hours)"),
    "p90_hours": lazy_gettext("90th percentile (working hours)"),
    "max_hours": lazy_gettext("Longest (working hours)"),
    "on_time_ratio": lazy_gettext("On time"),
    "wall_median_hours": lazy_gettext("Median (clock hours)"),
}
NUMBER_FORMATS = {"on_time_ratio": "0.0%", "median_hours": "0.00", "p90_hours": "0.00", "max_hours": "0.00",
                  "wall_median_hours": "0.00"}  # fmt: skip


@dataclass(frozen=True)
class ReportFile:
    """What a file of the report covers, and when it was made."""

    start: datetime
    end: datetime
    group_by: str
    leg_kind: str
    made_at: datetime

    @classmethod
    def now(cls, start: datetime, end: datetime, group_by: str, leg_kind: str) -> ReportFile:
        return cls(start, end, group_by, leg_kind, utcnow())

    def filename(self, extension: str) -> str:
        """bao-cao-transit-route_20261001-20261101_lap-20261125-1030.csv (local times, ASCII)."""
        zone = local_timezone()
        start, end, made = (moment.astimezone(zone) for moment in (self.start, self.end, self.made_at))
        return f"bao-cao-{self.leg_kind}-{self.group_by}_{start:%Y%m%d}-{end:%Y%m%d}_lap-{made:%Y%m%d-%H%M}.{extension}"

    def headers(self) -> list[str]:
        names = [str(GROUP_HEADERS[self.group_by])]
        if self.group_by == "procedure":
            names.append(gettext("Procedure"))
        return names + [str(header) for header in FIGURE_HEADERS.values()]

    def cells(self, row: dict, names: dict[str, str]) -> list:
        """A report row as the file's columns: the group, the procedure's name, the figures."""
        cells = [row["group"]]
        if self.group_by == "procedure":
            cells.append(names.get(row["group"], ""))
        return cells + [row[column] for column in FIGURE_HEADERS]

    def preamble(self) -> list[list[str]]:
        """The XLSX's first rows: what the report is, its period, when it was made."""
        zone, shown = local_timezone(), "%d/%m/%Y %H:%M"
        return [
            [gettext("Transit report")],
            [gettext("From"), self.start.astimezone(zone).strftime(shown)],
            [gettext("To"), self.end.astimezone(zone).strftime(shown)],
            [gettext("Made at"), self.made_at.astimezone(zone).strftime(shown)],
            [],
        ]


def procedure_names(codes: Iterable[str]) -> dict[str, str]:
    """Each procedure code's name, as on its dossiers (one indexed look-up per code)."""
    statement = select(Dossier.procedure_name).limit(1)
    return {code: db.session.scalar(statement.where(Dossier.procedure_code == code)) or "" for code in codes}


def _named_rows(report: ReportFile, rows: Iterable[dict]) -> Iterator[list]:
    """The rows as cells; names looked up per group as they stream by (few groups, many rows never)."""
    names: dict[str, str] = {}
    for row in rows:
        if report.group_by == "procedure" and row["group"] not in names:
            names.update(procedure_names([row["group"]]))
        yield report.cells(row, names)


def csv_chunks(report: ReportFile, rows: Iterable[dict]) -> Iterator[str]:
    """CSV text, a BOM and the header then one chunk per row; the on-time share in per cent."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    headers = report.headers()
    headers[-2] = f"{headers[-2]} (%)"
    writer.writerow(headers)
    yield BOM + buffer.getvalue()
    for cells in _named_rows(report, rows):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([*cells[:-2], round(cells[-2] * 100, 2), cells[-1]])
        yield buffer.getvalue()


def write_xlsx(report: ReportFile, rows: Iterable[dict], target) -> None:
    """The rows as an XLSX workbook written in openpyxl's write-only mode (flat memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(gettext("Report"))
    sheet.column_dimensions["A"].width = 28
    if report.group_by == "procedure":
        sheet.column_dimensions["B"].width = 60
    for line in report.preamble():
        sheet.append(line)
    bold = Font(bold=True)
    sheet.append([_cell(sheet, header, font=bold) for header in report.headers()])
    formats = [None] * (len(report.headers()) - len(FIGURE_HEADERS)) + [NUMBER_FORMATS.get(c) for c in FIGURE_HEADERS]
    for cells in _named_rows(report, rows):
        sheet.append([_cell(sheet, value, number_format=form) for value, form in zip(cells, formats, strict=True)])
    workbook.save(target)


def _cell(sheet, value, font: Font | None = None, number_format: str | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return cell


def xlsx_file(report: ReportFile, rows: Iterable[dict]):
    """A temporary file holding the workbook, rewound, for streaming out."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115  (the response streams it, then closes it)
    write_xlsx(report, rows, spool)
    spool.seek(0)
    return spool
