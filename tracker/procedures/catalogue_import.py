"""Importing the procedure catalogue from CSV or XLSX: every row checked before anything is written.

The columns are those of the national public service portal's export: Mã thủ tục, Tên thủ tục,
Cơ quan giải quyết (the unit's code here), Thời hạn giải quyết (ngày làm việc) and Thành phần hồ
sơ (papers separated by ';' or new lines). Headers are matched without diacritics or case.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from openpyxl import load_workbook
from sqlalchemy import select

from tracker.auth.models import User
from tracker.dossiers.models import Procedure
from tracker.errors import Unprocessable
from tracker.extensions import db
from tracker.procedures.services import ProcedureDetails, folded, save_procedure
from tracker.units.models import Unit

COLUMNS = {
    "code": "ma thu tuc",
    "name": "ten thu tuc",
    "department": "co quan giai quyet",
    "processing_days": "thoi han giai quyet",
    "papers": "thanh phan ho so",
}
CODE_PATTERN = re.compile(r"^[0-9A-Za-z.\-_]{1,64}$")
PAPER_SEPARATORS = re.compile(r"[;\n]+")
MAX_ROWS = 5000


@dataclass
class RowCheck:
    """One data row of the file (numbered as a spreadsheet shows it) and what is wrong with it."""

    number: int
    values: dict[str, str]
    details: ProcedureDetails | None = None
    errors: list[str] = field(default_factory=list)
    exists: bool = False  # the code is already in the catalogue: the row updates it


def read_catalogue(filename: str, content: bytes) -> list[dict[str, str]]:
    """The file's rows as {column: text}, whichever of CSV or XLSX it is."""
    if filename.lower().endswith(".xlsx"):
        table = _xlsx_rows(content)
    elif filename.lower().endswith(".csv"):
        table = list(csv.reader(io.StringIO(content.decode("utf-8-sig", errors="replace"))))
    else:
        raise Unprocessable("Chỉ nhận tệp .csv hoặc .xlsx.", code="unsupported_file", details={"file": filename})
    if not table:
        raise Unprocessable("Tệp không có dòng nào.", code="empty_file", details={"file": filename})
    positions = _column_positions(table[0])
    rows = [
        {name: _cell(row, index) for name, index in positions.items()}
        for row in table[1 : MAX_ROWS + 1]
    ]  # fmt: skip
    return rows


def _xlsx_rows(content: bytes) -> list[list[str]]:
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise Unprocessable("Không đọc được tệp Excel (.xlsx).", code="unreadable_file") from error
    return [["" if value is None else _text(value) for value in row] for row in sheet.iter_rows(values_only=True)]


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column_positions(header: list[str]) -> dict[str, int]:
    found = {}
    for index, title in enumerate(header):
        for name, prefix in COLUMNS.items():
            if folded(title).strip().startswith(prefix) and name not in found:
                found[name] = index
    missing = [name for name in COLUMNS if name not in found]
    if missing:
        raise Unprocessable(
            "Thiếu cột: " + ", ".join(COLUMNS[name] for name in missing) + ".",
            code="missing_columns",
            details={"columns": missing},
        )
    return found


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) and row[index] else ""


def check_catalogue(rows: list[dict[str, str]], progress: Callable[[Iterable], Iterable] = iter) -> list[RowCheck]:
    """Each row checked against the units and the catalogue, and against the rows above it."""
    departments = {unit.code: unit for unit in db.session.scalars(select(Unit))}
    existing = set(db.session.scalars(select(Procedure.code)))
    seen: dict[str, int] = {}
    checks = []
    for offset, values in enumerate(progress(rows)):
        check = RowCheck(number=offset + 2, values=values)
        code, name, department = values["code"], values["name"], values["department"].upper()
        if not CODE_PATTERN.match(code):
            check.errors.append("Mã thủ tục trống hoặc có ký tự không hợp lệ.")
        elif code in seen:
            check.errors.append(f"Mã thủ tục {code} trùng với dòng {seen[code]}.")
        seen.setdefault(code, check.number)
        if not name or len(name) > 500:
            check.errors.append("Tên thủ tục trống hoặc dài quá 500 ký tự.")
        unit = departments.get(department)
        if unit is None or unit.kind != "department":
            check.errors.append(f"Cơ quan giải quyết '{values['department']}' không phải mã một sở, ngành.")
        days = values["processing_days"]
        if not days.isdigit() or int(days) > 365:
            check.errors.append(f"Thời hạn giải quyết '{days}' phải là số ngày làm việc (0 đến 365).")
        papers = [paper.strip() for paper in PAPER_SEPARATORS.split(values["papers"]) if paper.strip()]
        if any(len(paper) > 500 for paper in papers):
            check.errors.append("Một thành phần hồ sơ dài quá 500 ký tự.")
        if not check.errors:
            check.details = ProcedureDetails(code, name, department, int(days), papers)
            check.exists = code in existing
        checks.append(check)
    return checks


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int


def apply_catalogue(
    checks: list[RowCheck], progress: Callable[[Iterable], Iterable] = iter, actor: User | None = None
) -> ImportSummary:
    """Write every row, or nothing if any row has an error; the caller commits."""
    if any(check.errors for check in checks):
        raise Unprocessable(
            "Tệp còn dòng lỗi: sửa rồi nhập lại.", code="catalogue_has_errors", details={"rows": _error_rows(checks)}
        )
    created = 0
    for check in progress(checks):
        created += save_procedure(check.details, actor)[1]
    return ImportSummary(created=created, updated=len(checks) - created)


def _error_rows(checks: list[RowCheck]) -> dict[str, list[str]]:
    return {str(check.number): check.errors for check in checks if check.errors}
