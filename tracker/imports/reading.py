"""Reading the one-stop system's export: CSV or XLSX, Vietnamese headers, one row at a time.

Rows are streamed (csv reader over the file, openpyxl in read-only mode), so a file of any
length is read in constant memory. Nothing here knows the database.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from tracker.errors import Unprocessable

# Header as the one-stop system writes it -> our field name; matched without case or diacritics.
COLUMNS = {
    "Mã hồ sơ": "code",
    "Mã thủ tục": "procedure_code",
    "Tên thủ tục": "procedure_name",
    "Chủ hồ sơ": "applicant_name",
    "Số điện thoại": "applicant_phone",
    "Địa chỉ": "applicant_address",
    "Ngày tiếp nhận": "received_at",
    "Ngày hẹn trả": "due_at",
    "Cơ quan giải quyết": "department",
    "Số hiệu bưu gửi": "postal_id",
}
REQUIRED_COLUMNS = ("Mã hồ sơ", "Mã thủ tục", "Chủ hồ sơ", "Ngày tiếp nhận")
ZIP_MAGIC = b"PK\x03\x04"
SNIFF_CHARACTERS = 16384
DECODE_CHUNK_BYTES = 1 << 16


def folded(text: str) -> str:
    """Lowercase, without diacritics or extra spaces: 'Ngày  hẹn trả' and 'NGAY HEN TRA' agree."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.lower().split())


FOLDED_COLUMNS = {folded(header): field for header, field in COLUMNS.items()}


@dataclass(frozen=True)
class SourceRow:
    """One data row: its line (or sheet row) number as a person sees it, and its cells by field."""

    number: int
    cells: dict[str, object]


def read_rows(stream: IO[bytes]) -> Iterator[SourceRow]:
    """The rows of a CSV or XLSX file (told apart by content, not by name), header checked first."""
    start = stream.read(len(ZIP_MAGIC))
    stream.seek(0)
    lines = _xlsx_lines(stream) if start == ZIP_MAGIC else _csv_lines(stream)
    try:
        header = next(lines, None)
        if header is None:
            raise Unprocessable("Tệp trống: không có dòng tiêu đề.", code="empty_file")
        fields = _fields_of(header)
        for number, values in enumerate(lines, start=2):
            if not any(value not in (None, "") for value in values):
                continue
            yield SourceRow(number, {field: value for field, value in zip(fields, values, strict=False) if field})
    finally:
        lines.close()  # while the stream is still open: the reader lets go of it


def _fields_of(header: list) -> list[str | None]:
    fields = [FOLDED_COLUMNS.get(folded(str(cell or ""))) for cell in header]
    missing = [name for name in REQUIRED_COLUMNS if COLUMNS[name] not in fields]
    if missing:
        raise Unprocessable(
            "Tệp thiếu cột: " + ", ".join(missing) + ". Dòng đầu tiên phải là tiêu đề các cột.",
            code="missing_columns",
            details={"columns": missing},
        )
    return fields


def _csv_lines(stream: IO[bytes]) -> Iterator[list]:
    _refuse_unless_utf8(stream)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    sample = text.read(SNIFF_CHARACTERS)
    text.seek(0)
    first_line = sample.splitlines()[0] if sample else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(text, delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:  # e.g. a quote never closed, running past the field size limit
        raise Unprocessable(
            f"Tệp CSV hỏng ở dòng {reader.line_num}: sửa hoặc xuất lại tệp rồi nhập lại.",
            code="unreadable_csv",
            details={"line": reader.line_num},
        ) from error
    finally:
        text.detach()  # the caller's stream stays open (a wrapper closes it when collected)


def _refuse_unless_utf8(stream: IO[bytes]) -> None:
    """The whole file is decoded once, a chunk at a time, before any row is read: a file that
    is not UTF-8 is refused whole rather than halfway through an import."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(DECODE_CHUNK_BYTES):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise Unprocessable(
            "Tệp CSV phải mã hoá UTF-8: lưu lại tệp với mã hoá UTF-8 rồi nhập lại.", code="not_utf8"
        ) from error
    finally:
        stream.seek(0)


def _xlsx_lines(stream: IO[bytes]) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign zip
        raise _unreadable_xlsx() from error
    try:
        for row in workbook.active.iter_rows(values_only=True):
            yield list(row)
    except Exception as error:  # a sheet damaged further in
        raise _unreadable_xlsx() from error
    finally:
        workbook.close()


def _unreadable_xlsx() -> Unprocessable:
    return Unprocessable(
        "Không đọc được tệp Excel (.xlsx): mở tệp bằng Excel, lưu lại rồi nhập lại.", code="unreadable_xlsx"
    )
