"""The handover slip (phiếu bàn giao): A4, every item listed, signed by both sides."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from labels.barcodes import draw_code128, module_width_to_fit
from labels.fonts import BOLD, REGULAR, register_fonts
from labels.item_labels import KIND_LABELS
from labels.text import markup, printable, shorten_name

OUTCOME_NOTES = {"missing": "Thiếu", "unexpected": "Thừa (không có trong phiếu)"}
MARGIN = 15 * mm
HEADER_HEIGHT = 24 * mm  # the band on every page: transfer barcode and page number
CELL_TEXT_LIMIT = 240
CELL_PADDING = 6  # points, platypus's default left and right cell padding


@dataclass(frozen=True)
class SlipLine:
    item_code: str
    dossier_code: str
    procedure_name: str
    applicant_name: str
    kind: str
    postal_id: str = ""  # the post's S10 number, printed under the item code
    outcome: str | None = None  # after receipt: received, missing or unexpected
    damaged: bool = False
    note: str = ""


@dataclass(frozen=True)
class HandoverSlip:
    transfer_code: str
    from_unit: str
    to_unit: str
    status: str  # as printed, e.g. "Đã giao, chờ nhận"
    dispatched_at: str = ""
    seal_number: str = ""
    bag_count: int | None = None
    sender_name: str = ""
    received_at: str = ""
    receiver_name: str = ""
    seal_intact: bool | None = None
    receipt_note: str = ""
    lines: list[SlipLine] = field(default_factory=list)


def _style(size: float, font: str = REGULAR, **extra) -> ParagraphStyle:
    return ParagraphStyle("slip", fontName=font, fontSize=size, leading=size * 1.25, **extra)


BODY = _style(10)
CELL = _style(8.5)
CENTRED_BOLD = _style(11, BOLD, alignment=TA_CENTER)
# Tables set a cell font even around paragraphs; platypus would default to Helvetica.
PLAIN_TABLE = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), REGULAR)])


def line_note(line: SlipLine) -> str:
    notes = [OUTCOME_NOTES.get(line.outcome or "", ""), "Hư hỏng" if line.damaged else "", printable(line.note)]
    return "; ".join(n for n in notes if n)


def _heading(slip: HandoverSlip) -> list:
    sender = Paragraph(f"<b>{markup(slip.from_unit, 120).upper()}</b>", _style(10, BOLD, alignment=TA_CENTER))
    nation = Paragraph(
        "<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br/><u>Độc lập - Tự do - Hạnh phúc</u>",
        _style(10.5, BOLD, alignment=TA_CENTER),
    )
    heading = Table([[sender, nation]], colWidths=[75 * mm, 105 * mm], style=PLAIN_TABLE)
    title = Paragraph(
        "<b>PHIẾU BÀN GIAO HỒ SƠ, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH</b>", _style(13, BOLD, alignment=TA_CENTER)
    )
    facts = [
        ("Mã phiếu", slip.transfer_code),
        ("Bên giao", slip.from_unit),
        ("Bên nhận", slip.to_unit),
        ("Thời điểm giao", slip.dispatched_at or "Chưa giao"),
        ("Số niêm phong", slip.seal_number or "Không"),
        *([("Số túi niêm phong", str(slip.bag_count))] if slip.bag_count else []),
        ("Trạng thái", slip.status),
    ]
    if slip.received_at:
        seal = {True: "còn nguyên", False: "bị rách, hỏng", None: "không kiểm tra"}[slip.seal_intact]
        facts += [("Thời điểm nhận", slip.received_at), ("Niêm phong khi nhận", seal)]
    if slip.receipt_note:
        facts.append(("Ghi chú khi nhận", slip.receipt_note))
    paragraphs = [Paragraph(f"<b>{name}:</b> {markup(value)}", BODY) for name, value in facts]
    return [heading, Spacer(1, 6 * mm), title, Spacer(1, 4 * mm), *paragraphs, Spacer(1, 4 * mm)]


COLUMNS = [
    ("STT", 11),
    ("Mã bưu gửi", 30),
    ("Mã hồ sơ", 34),
    ("Thủ tục", 44),
    ("Người nộp", 25),
    ("Loại", 13),
    ("Ghi chú", 23),
]


def cell(text: str, limit: int, column_width: float) -> str | Paragraph:
    """Plain text when it fits on one line (fast), a wrapping paragraph when it does not."""
    plain = printable(text)[:limit]
    if stringWidth(plain, REGULAR, CELL.fontSize) <= column_width - 2 * CELL_PADDING:
        return plain
    return Paragraph(markup(text, limit), CELL)


def code_cell(column_width: float, code: str, *under: str) -> str | Paragraph:
    """Codes never wrap (a split code reads as two): wide ones get a smaller font instead.

    Further codes (an item's S10 number) stand each on a line of its own under the first.
    """
    codes = [printable(text)[:64] for text in (code, *under) if text]
    natural = max(stringWidth(text, REGULAR, CELL.fontSize) for text in codes)
    available = column_width - 2 * CELL_PADDING
    if natural <= available and len(codes) == 1:
        return codes[0]
    size = CELL.fontSize * min(1, available / natural)
    return Paragraph(
        "<br/>".join(markup(text) for text in codes),
        ParagraphStyle("code", parent=CELL, fontSize=size, leading=size * 1.25),
    )


def _item_table(slip: HandoverSlip) -> LongTable:
    header = [Paragraph(f"<b>{name}</b>", _style(8.5, BOLD, alignment=TA_CENTER)) for name, _ in COLUMNS]
    rows = [header]
    for number, line in enumerate(slip.lines, start=1):
        # A table row cannot break across pages: each cell is cut to what a row can hold.
        widths = [width * mm for _, width in COLUMNS]
        rows.append(
            [
                cell(str(number), 8, widths[0]),
                code_cell(widths[1], line.item_code, line.postal_id),
                code_cell(widths[2], line.dossier_code),
                cell(line.procedure_name, CELL_TEXT_LIMIT, widths[3]),
                cell(shorten_name(line.applicant_name), 60, widths[4]),
                cell(KIND_LABELS.get(line.kind, line.kind), 20, widths[5]),
                cell(line_note(line), CELL_TEXT_LIMIT, widths[6]),
            ]
        )
    table = LongTable(rows, colWidths=[width * mm for _, width in COLUMNS], repeatRows=1)
    table.setStyle(PLAIN_TABLE)
    table.setStyle(
        TableStyle([("FONTSIZE", (0, 1), (-1, -1), CELL.fontSize), ("LEADING", (0, 1), (-1, -1), CELL.leading)])
    )
    table.setStyle(
        TableStyle(
            [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8"))]
        )
    )
    return table


def _totals(slip: HandoverSlip) -> Paragraph:
    on_manifest = [line for line in slip.lines if line.outcome != "unexpected"]
    text = f"<b>Tổng số:</b> {len(on_manifest)} bưu gửi trong phiếu."
    if slip.received_at:
        count = {key: sum(line.outcome == key for line in slip.lines) for key in ("received", "missing", "unexpected")}
        damaged = sum(line.damaged for line in slip.lines)
        text += (
            f" Nhận đủ: {count['received']}; thiếu: {count['missing']}; "
            f"thừa: {count['unexpected']}; hư hỏng: {damaged}."
        )
    return Paragraph(text, BODY)


def _signatures(slip: HandoverSlip) -> KeepTogether:
    def block(role: str, name: str) -> list:
        return [
            Paragraph(f"<b>{role}</b>", CENTRED_BOLD),
            Paragraph("(Ký, ghi rõ họ tên)", _style(9, alignment=TA_CENTER)),
            Spacer(1, 22 * mm),
            Paragraph(markup(name, 80), _style(10, BOLD, alignment=TA_CENTER)),
        ]

    blocks = [[block("BÊN GIAO", slip.sender_name), block("BÊN NHẬN", slip.receiver_name)]]
    table = Table(blocks, colWidths=[90 * mm] * 2, style=PLAIN_TABLE)
    return KeepTogether([Spacer(1, 8 * mm), table])


class NumberedCanvas(Canvas):
    """Holds pages back until the end, so each can say 'Trang x/y' and carry the barcode."""

    transfer_code = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**kwargs, "initialFontName": REGULAR})
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_page_band(number, len(self._pages))
            super().showPage()
        super().save()

    def _draw_page_band(self, number: int, total: int) -> None:
        width, height = A4
        code = self.transfer_code
        module = module_width_to_fit(code, 70 * mm, 0.42 * mm)
        bars = draw_code128(self, code, 0, -10_000, module, 0)
        draw_code128(self, code, width - MARGIN - bars, height - MARGIN - 12 * mm, module, 12 * mm)
        self.setFont(REGULAR, 8)
        self.drawCentredString(width - MARGIN - bars / 2, height - MARGIN - 16 * mm, code)
        self.setFont(REGULAR, 9)
        self.drawRightString(width - MARGIN, MARGIN / 2, f"Trang {number}/{total}")
        self.drawString(MARGIN, MARGIN / 2, f"Phiếu bàn giao {code}")


def render_handover_slip(slip: HandoverSlip) -> bytes:
    """The slip as a PDF: as many pages as the items need, the table header on each."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_HEIGHT,
        bottomMargin=MARGIN + 4 * mm,
        title=f"Phiếu bàn giao {slip.transfer_code}",
    )
    canvas_class = type("SlipCanvas", (NumberedCanvas,), {"transfer_code": slip.transfer_code})
    story = [*_heading(slip), _item_table(slip), Spacer(1, 3 * mm), _totals(slip), _signatures(slip)]
    document.build(story, canvasmaker=canvas_class)
    return buffer.getvalue()
