"""One-stop exports written the way the province's system writes them, of any length.

Shared by the import tests and bench/imports.py. Every BAD_EVERY-th row is broken in one of
a few ways a real export is, so the refused count of a file is known in advance.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

HEADERS = [
    "STT", "Mã hồ sơ", "Mã thủ tục", "Tên thủ tục", "Chủ hồ sơ", "Số điện thoại", "Địa chỉ",
    "Ngày tiếp nhận", "Ngày hẹn trả", "Cơ quan giải quyết",
]  # fmt: skip
PROCEDURES = [
    ("2.001.008", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "STP"),
    ("1.002.804", "Đổi giấy phép lái xe do ngành Công an cấp", "Công an tỉnh"),
]
NAMES = ["Nguyễn Thị Ngọc Ánh", "Trần Văn Bình", "Lê Thị Hồng Nhung", "Phạm Đức Thắng", "Hồ Thị Thu Hà"]
BAD_EVERY = 50
BREAKAGES = [
    ("Chủ hồ sơ", ""),
    ("Ngày tiếp nhận", "31/02/2026 08:00"),
    ("Cơ quan giải quyết", "Sở Không Có"),
    ("Ngày hẹn trả", "01/01/2020"),
    ("Mã hồ sơ", "mã có dấu cách"),
]
START = datetime(2026, 11, 2, 7, 30)


def dossier_code(number: int) -> str:
    return f"000.00.18.H40-{(START + timedelta(minutes=number)):%y%m%d}-{number:06d}"


def export_rows(count: int, *, first: int = 1, due_shift_days: int = 0) -> Iterator[dict[str, str]]:
    """count rows of an export from dossier number `first`; due dates moved by due_shift_days."""
    for number in range(first, first + count):
        procedure_code, procedure_name, department = PROCEDURES[number % len(PROCEDURES)]
        received = START + timedelta(minutes=number)
        due = received + timedelta(days=10 + due_shift_days)
        row = {
            "STT": str(number),
            "Mã hồ sơ": dossier_code(number),
            "Mã thủ tục": procedure_code,
            "Tên thủ tục": procedure_name,
            "Chủ hồ sơ": NAMES[number % len(NAMES)],
            "Số điện thoại": f"09{number:08d}",
            "Địa chỉ": f"Số {number % 200 + 1}, đường Lê Lợi, phường Hưng Bình, TP Vinh",
            "Ngày tiếp nhận": f"{received:%d/%m/%Y %H:%M}",
            "Ngày hẹn trả": f"{due:%d/%m/%Y}",
            "Cơ quan giải quyết": department,
        }
        if number % BAD_EVERY == 0:
            column, value = BREAKAGES[(number // BAD_EVERY) % len(BREAKAGES)]
            row[column] = value
        yield row


def write_csv(
    path: Path, rows: Iterator[dict[str, str]], *, delimiter: str = ",", bom: bool = True, headers: list = HEADERS
) -> Path:
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=headers, delimiter=delimiter, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: Iterator[dict[str, str]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Hồ sơ")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row[header] for header in HEADERS])
    workbook.save(path)
    return path


def refused_among(count: int) -> int:
    return count // BAD_EVERY
