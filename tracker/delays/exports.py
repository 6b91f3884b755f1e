"""The transit report as files: CSV and XLSX, streamed row by row with flat memory."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator

from openpyxl import Workbook

from tracker.delays.reports import COLUMNS


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
