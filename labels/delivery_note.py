"""The delivery note (phiếu giao kết quả): A5, who received the packet, when, and their signature."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from labels.barcodes import code128_width, draw_code128, module_width_to_fit
from labels.fonts import BOLD, REGULAR, register_fonts
from labels.text import markup

MARGIN = 12 * mm
BARCODE_HEIGHT = 10 * mm
SIGNATURE_BOX = (55 * mm, 22 * mm)  # width, height the drawn signature is fitted into
KIND_TEXT = {"result": "Kết quả giải quyết", "returned": "Hồ sơ trả lại / rút hồ sơ"}


@dataclass(frozen=True)
class DeliveryNote:
    item_code: str
    dossier_code: str
    procedure_name: str
    kind: str  # result or returned
    applicant_name: str
    applicant_address: str
    unit_name: str  # who handed it over
    delivered_at: str  # as printed, local time
    recipient_name: str
    recipient_role: str  # "Người nộp hồ sơ" or "Người được uỷ quyền"
    id_last_digits: str = ""
    staff_name: str = ""
    signature_png: bytes | None = None


def _style(size: float, font: str = REGULAR, **extra) -> ParagraphStyle:
    return ParagraphStyle("note", fontName=font, fontSize=size, leading=size * 1.3, **extra)


BODY = _style(9.5)
CENTRED_BOLD = _style(10, BOLD, alignment=TA_CENTER)
PLAIN = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), REGULAR)])


def _signature(png: bytes | None):
    """The drawn signature scaled into its box, keeping its proportions; blank space without one."""
    if not png:
        return Spacer(1, SIGNATURE_BOX[1])
    width, height = ImageReader(io.BytesIO(png)).getSize()
    scale = min(SIGNATURE_BOX[0] / width, SIGNATURE_BOX[1] / height)
    return Image(io.BytesIO(png), width=width * scale, height=height * scale)


def _story(note: DeliveryNote) -> list:
    title = Paragraph(
        "<b>PHIẾU GIAO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH</b>", _style(11.5, BOLD, alignment=TA_CENTER)
    )
    facts = [
        ("Đơn vị giao", note.unit_name),
        ("Mã hồ sơ", note.dossier_code),
        ("Mã bưu gửi", note.item_code),
        ("Thủ tục", note.procedure_name),
        ("Loại", KIND_TEXT.get(note.kind, note.kind)),
        ("Người nộp hồ sơ", note.applicant_name),
        ("Địa chỉ", note.applicant_address),
        ("Người nhận", f"{note.recipient_name} ({note.recipient_role})"),
    ]
    if note.id_last_digits:
        facts.append(("Giấy tờ tuỳ thân (số cuối)", f"…{note.id_last_digits}"))
    facts.append(("Thời điểm giao", note.delivered_at))
    paragraphs = [Paragraph(f"<b>{name}:</b> {markup(value, 300)}", BODY) for name, value in facts]

    def block(role: str, name: str, signature) -> list:
        return [
            Paragraph(f"<b>{role}</b>", CENTRED_BOLD),
            Paragraph("(Ký, ghi rõ họ tên)", _style(8, alignment=TA_CENTER)),
            signature,
            Paragraph(markup(name, 80), _style(9.5, BOLD, alignment=TA_CENTER)),
        ]

    signatures = Table(
        [[block("NGƯỜI NHẬN", note.recipient_name, _signature(note.signature_png)),
          block("NGƯỜI GIAO", note.staff_name, Spacer(1, SIGNATURE_BOX[1]))]],
        colWidths=[(A5[0] - 2 * MARGIN) / 2] * 2,
        style=PLAIN,
    )  # fmt: skip
    return [title, Spacer(1, 4 * mm), *paragraphs, Spacer(1, 6 * mm), signatures]


def render_delivery_note(note: DeliveryNote) -> bytes:
    """The note as a one-page A5 PDF with the packet's barcode at the top."""
    register_fonts()
    buffer = io.BytesIO()

    def barcode(canvas, _document) -> None:
        width, height = A5
        module = module_width_to_fit(note.item_code, 60 * mm, 0.33 * mm)
        bars = code128_width(note.item_code, module)
        draw_code128(
            canvas, note.item_code, width - MARGIN - bars, height - MARGIN - BARCODE_HEIGHT, module, BARCODE_HEIGHT
        )
        canvas.setFont(REGULAR, 8)
        canvas.drawCentredString(width - MARGIN - bars / 2, height - MARGIN - BARCODE_HEIGHT - 3.5 * mm, note.item_code)

    document = SimpleDocTemplate(
        buffer, pagesize=A5, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + BARCODE_HEIGHT + 6 * mm,
        bottomMargin=MARGIN, title=f"Phiếu giao kết quả {note.dossier_code}",
        initialFontName=REGULAR,  # else the canvas starts in Helvetica, a font never embedded
    )  # fmt: skip
    document.build(_story(note), onFirstPage=barcode)
    return buffer.getvalue()
