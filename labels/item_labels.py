"""Item labels: 100 x 150 mm for thermal printers, or an A4 sheet of eight for office printers."""

from __future__ import annotations

import io
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from labels.barcodes import code128_width, draw_code128, draw_qr, module_width_to_fit
from labels.fonts import BOLD, REGULAR, register_fonts
from labels.text import printable, shorten_name, wrap

KIND_LABELS = {"application": "Hồ sơ", "result": "Kết quả", "returned": "Trả lại"}


@dataclass(frozen=True)
class ItemLabel:
    """What an item's label shows. The applicant's name is shortened here, for privacy."""

    item_code: str
    dossier_code: str
    procedure_name: str
    kind: str  # application, result or returned
    destination: str  # the unit it goes to
    due_date: str  # the appointment date, as it should be printed
    applicant_name: str


class LabelSize(StrEnum):
    THERMAL = "thermal"
    A4 = "a4"


@dataclass(frozen=True)
class Geometry:
    width: float
    height: float
    margin: float
    module: float
    bar_height: float
    code_font: float
    text_font: float
    qr: float


THERMAL = Geometry(100 * mm, 150 * mm, 5 * mm, 0.5 * mm, 30 * mm, 15, 10, 34 * mm)
SHEET_CELL = Geometry(105 * mm, A4[1] / 4, 4 * mm, 0.34 * mm, 14 * mm, 10, 7.5, 22 * mm)
SHEET_COLUMNS, SHEET_ROWS = 2, 4
SMALLEST_FONT = 5.5
LEADING = 1.2


@dataclass(frozen=True)
class Field:
    """A bold name and its value, wrapped within width and at most max_lines lines."""

    name: str
    value: str
    size: float
    max_lines: int


@lru_cache(maxsize=4096)
def fit(field: Field, width: float) -> tuple[float, tuple[str, ...]]:
    """The font size and lines of a field: wrapped, then shrunk, then cut with an ellipsis.

    Remembered: a batch of labels repeats its procedures, destinations and dates, and fitting
    (measuring every word at every size tried) is most of a label's own cost.
    """
    size = field.size
    if field.max_lines == 1:  # one line: the size that fits is a proportion, no search needed
        natural = stringWidth(f"{field.name}: {printable(field.value)}", BOLD, size)
        size = max(SMALLEST_FONT, min(size, size * width / natural)) if natural else size
    while True:
        prefix = stringWidth(f"{field.name}: ", BOLD, size)
        lines = wrap(field.value, REGULAR, size, width - prefix, width)
        if len(lines) <= field.max_lines or size <= SMALLEST_FONT:
            break
        size = max(SMALLEST_FONT, size - 0.5)
    if len(lines) > field.max_lines:
        lines = lines[: field.max_lines]
        lines[-1] = lines[-1][: max(0, len(lines[-1]) - 2)].rstrip() + "…"
    return size, tuple(lines)


def draw_field(text: PDFTextObject, field: Field, x: float, top: float, width: float) -> float:
    """Write the field from top downwards into the label's text object; the height it took."""
    size, lines = fit(field, width)
    baseline = top - size
    text.setTextOrigin(x, baseline)
    text.setFont(BOLD, size)
    text.textOut(f"{field.name}: ")  # the value starts where the bold name ends
    text.setFont(REGULAR, size)
    for number, line in enumerate(lines):
        if number:
            text.setTextOrigin(x, baseline - number * size * LEADING)
        text.textOut(line)
    return max(1, len(lines)) * size * LEADING


def draw_item_label(canvas: Canvas, label: ItemLabel, x: float, y: float, g: Geometry) -> None:
    """One label in the box whose bottom-left corner is (x, y)."""
    inner = g.width - 2 * g.margin
    left, top, bottom = x + g.margin, y + g.height - g.margin, y + g.margin

    kind = KIND_LABELS.get(label.kind, printable(label.kind)[:20])
    canvas.setFont(BOLD, g.code_font * 0.9)
    canvas.drawString(left, top - g.code_font * 0.9, f"{kind.upper()} · HỒ SƠ TTHC")
    top -= g.code_font * 0.9 * LEADING + 1.5 * mm

    module = module_width_to_fit(label.item_code, inner, g.module)
    bars_left = x + (g.width - code128_width(label.item_code, module)) / 2
    draw_code128(canvas, label.item_code, bars_left, top - g.bar_height, module, g.bar_height)
    top -= g.bar_height + 1 * mm + g.code_font
    canvas.setFont(BOLD, g.code_font)
    canvas.drawCentredString(x + g.width / 2, top, label.item_code)
    top -= 3 * mm

    draw_qr(canvas, label.item_code, x + g.width - g.margin - g.qr, bottom, g.qr)
    text_width = inner - g.qr - 2 * mm
    line = g.text_font * LEADING
    fixed = [
        Field("Mã hồ sơ", label.dossier_code, g.text_font * 1.1, 1),  # a code never wraps: it shrinks
        Field("Nơi nhận", label.destination, g.text_font * 1.2, 2),
        Field("Hẹn trả", label.due_date, g.text_font, 1),
        Field("Người nộp", shorten_name(label.applicant_name), g.text_font, 1),
    ]
    # The procedure name gets whatever height the other fields leave; long names shrink.
    reserved = sum(f.max_lines * f.size * LEADING + 0.6 * mm for f in fixed)
    procedure_lines = max(1, int((top - bottom - reserved) / line))
    text = canvas.beginText()  # one text object for every field: far fewer PDF operators than a string each
    for field in [Field("Thủ tục", label.procedure_name, g.text_font, procedure_lines), *fixed]:
        top -= draw_field(text, field, left, top, text_width) + 0.6 * mm
    canvas.drawText(text)


def render_item_labels(labels: list[ItemLabel], size: LabelSize = LabelSize.THERMAL) -> bytes:
    """A PDF of the labels, in the order given: one per page, or eight per A4 sheet."""
    register_fonts()
    buffer = io.BytesIO()
    page = (THERMAL.width, THERMAL.height) if size is LabelSize.THERMAL else A4
    canvas = Canvas(buffer, pagesize=page, pageCompression=1, initialFontName=REGULAR)
    canvas.setTitle("Nhãn bưu gửi")
    per_page = 1 if size is LabelSize.THERMAL else SHEET_COLUMNS * SHEET_ROWS
    for start in range(0, max(len(labels), 1), per_page):
        for slot, label in enumerate(labels[start : start + per_page]):
            if size is LabelSize.THERMAL:
                draw_item_label(canvas, label, 0, 0, THERMAL)
            else:
                column, row = slot % SHEET_COLUMNS, slot // SHEET_COLUMNS
                x, y = column * SHEET_CELL.width, A4[1] - (row + 1) * SHEET_CELL.height
                draw_item_label(canvas, label, x, y, SHEET_CELL)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
