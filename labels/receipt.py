"""The citizen's receipt (phiếu gửi hồ sơ / biên nhận): A5, one copy for the citizen, one for the post.

`render_intake_papers` puts the packet's label and both copies of the receipt in one PDF, so
the counter prints everything the intake needs with one click.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, Paragraph, Spacer, Table, TableStyle

from labels.barcodes import draw_code128, draw_qr, module_width_to_fit
from labels.fonts import BOLD, REGULAR, register_fonts
from labels.item_labels import THERMAL, ItemLabel, draw_item_label
from labels.text import markup, printable

COPIES = ("Liên 1: giao người nộp hồ sơ", "Liên 2: lưu tại bưu điện")
MARGIN = 10 * mm
BARCODE_HEIGHT = 11 * mm
QR_SIZE = 26 * mm
MAX_PAPER_ROWS = 14  # at most; fewer when long names wrap. The rest are summed up in one row.


@dataclass(frozen=True)
class ReceiptPaper:
    name: str
    originals: int  # bản chính
    copies: int  # bản sao


@dataclass(frozen=True)
class Receipt:
    tracking_code: str  # the tracker's code: the barcode
    dossier_code: str  # mã hồ sơ, "" until the one-stop system gives one
    postal_id: str  # the S10 number of the packet
    procedure_code: str
    procedure_name: str
    department: str
    applicant_name: str
    applicant_phone: str
    applicant_address: str
    received_at: str  # as printed
    appointment: str  # the expected appointment date, as printed
    post_office: str
    postal_worker: str
    lookup_url: str  # the public lookup page for this dossier: the QR code
    papers: list[ReceiptPaper] = field(default_factory=list)


def _style(size: float, font: str = REGULAR, **extra) -> ParagraphStyle:
    return ParagraphStyle("receipt", fontName=font, fontSize=size, leading=size * 1.25, **extra)


BODY = _style(8.5)
CELL = _style(8)
CENTRED = _style(8, alignment=TA_CENTER)
TITLE = _style(12, BOLD, alignment=TA_CENTER)


def _facts(receipt: Receipt) -> list[Paragraph]:
    facts = [
        ("Mã hồ sơ", receipt.dossier_code or "chưa có (Trung tâm cấp khi tiếp nhận)"),
        ("Số hiệu bưu gửi", receipt.postal_id),
        ("Thủ tục", f"{receipt.procedure_name} ({receipt.procedure_code})"),
        ("Cơ quan giải quyết", receipt.department),
        ("Người nộp", receipt.applicant_name),
        ("Điện thoại", receipt.applicant_phone),
        ("Địa chỉ", receipt.applicant_address),
        ("Thời điểm nhận", receipt.received_at),
        ("Ngày hẹn trả dự kiến", receipt.appointment or "Trung tâm sẽ báo"),
    ]
    return [Paragraph(f"<b>{name}:</b> {markup(value, 300)}", BODY) for name, value in facts]


def _paper_table(papers: list[ReceiptPaper], limit: int) -> Table:
    shown = papers[:limit]
    rows = [[Paragraph(f"<b>{title}</b>", CENTRED) for title in ("STT", "Thành phần hồ sơ", "Bản chính", "Bản sao")]]
    rows += [
        [str(number), Paragraph(markup(paper.name, 160), CELL), str(paper.originals), str(paper.copies)]
        for number, paper in enumerate(shown, start=1)
    ]
    if len(papers) > len(shown):
        rest = papers[len(shown) :]
        rows.append(["", Paragraph(f"và {len(rest)} giấy tờ khác", CELL), str(sum(p.originals for p in rest)),
                     str(sum(p.copies for p in rest))])  # fmt: skip
    table = Table(rows, colWidths=[11 * mm, 85 * mm, 16 * mm, 16 * mm], repeatRows=1)
    table.setStyle(
        TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("FONTSIZE", (0, 0), (-1, -1), 8), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (2, 1), (-1, -1), "CENTER"), ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ])
    )  # fmt: skip
    return table


def _signatures(receipt: Receipt) -> Table:
    def block(role: str, name: str) -> list:
        return [Paragraph(f"<b>{role}</b>", _style(8.5, BOLD, alignment=TA_CENTER)),
                Paragraph("(Ký, ghi rõ họ tên)", CENTRED), Spacer(1, 13 * mm),
                Paragraph(markup(name, 60), _style(8.5, BOLD, alignment=TA_CENTER))]  # fmt: skip

    blocks = [[block("NGƯỜI NỘP HỒ SƠ", receipt.applicant_name), block("NHÂN VIÊN BƯU ĐIỆN", receipt.postal_worker)]]
    return Table(
        blocks,
        colWidths=[64 * mm] * 2,
        style=[("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), REGULAR)],
    )


def draw_receipt(canvas: Canvas, receipt: Receipt, copy: str) -> None:
    """One copy of the receipt on the current A5 page."""
    width, height = A5
    top = height - MARGIN
    canvas.setFont(BOLD, 8.5)
    canvas.drawString(MARGIN, top - 8, printable(receipt.post_office)[:60])
    canvas.setFont(REGULAR, 7.5)
    canvas.drawString(MARGIN, top - 18, copy)
    module = module_width_to_fit(receipt.tracking_code, 62 * mm, 0.33 * mm)
    bars = draw_code128(canvas, receipt.tracking_code, 0, -10_000, module, 0)
    draw_code128(canvas, receipt.tracking_code, width - MARGIN - bars, top - BARCODE_HEIGHT, module, BARCODE_HEIGHT)
    canvas.setFont(BOLD, 9)
    canvas.drawCentredString(width - MARGIN - bars / 2, top - BARCODE_HEIGHT - 9, receipt.tracking_code)

    qr_top = MARGIN + QR_SIZE
    draw_qr(canvas, receipt.lookup_url, MARGIN, MARGIN, QR_SIZE)
    note = Paragraph(
        "<b>Tra cứu tình trạng hồ sơ:</b> quét mã QR hoặc mở địa chỉ dưới đây, nhập 4 số cuối điện thoại "
        f"đã khai khi nộp.<br/>{markup(receipt.lookup_url, 300)}",
        _style(7.5),
    )
    Frame(MARGIN + QR_SIZE + 2 * mm, MARGIN, width - 2 * MARGIN - QR_SIZE - 2 * mm, QR_SIZE, showBoundary=0,
          leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0).addFromList([note], canvas)  # fmt: skip

    body_top = top - BARCODE_HEIGHT - 13
    frame_height = body_top - qr_top - 2 * mm
    story = _fitting_story(receipt, width - 2 * MARGIN, frame_height)
    Frame(MARGIN, qr_top + 2 * mm, width - 2 * MARGIN, frame_height, showBoundary=0,
          leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0).addFromList(story, canvas)  # fmt: skip


def _fitting_story(receipt: Receipt, width: float, height: float) -> list:
    """The receipt's body with as many paper rows as fit: a frame silently drops what overflows,
    and the signature blocks must never be what is dropped."""
    for limit in range(min(len(receipt.papers), MAX_PAPER_ROWS), -1, -1):
        story = [
            Paragraph("PHIẾU GỬI HỒ SƠ THỦ TỤC HÀNH CHÍNH<br/>(BIÊN NHẬN)", TITLE),
            Spacer(1, 2 * mm),
            *_facts(receipt),
            Spacer(1, 2 * mm),
            _paper_table(receipt.papers, limit),
            Spacer(1, 2 * mm),
            _signatures(receipt),
        ]
        if sum(flowable.wrap(width, height)[1] for flowable in story) <= height:
            break
    return story


def _new_canvas(buffer: io.BytesIO, title: str) -> Canvas:
    register_fonts()
    canvas = Canvas(buffer, pagesize=A5, pageCompression=1, initialFontName=REGULAR)
    canvas.setTitle(title)
    return canvas


def _draw_receipts(canvas: Canvas, receipt: Receipt) -> None:
    for copy in COPIES:
        canvas.setPageSize(A5)
        draw_receipt(canvas, receipt, copy)
        canvas.showPage()


def render_receipt(receipt: Receipt) -> bytes:
    """Both copies of the receipt, one A5 page each."""
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer, f"Biên nhận {receipt.tracking_code}")
    _draw_receipts(canvas, receipt)
    canvas.save()
    return buffer.getvalue()


def render_intake_papers(label: ItemLabel, receipt: Receipt) -> bytes:
    """The packet's 100 x 150 mm label, then both copies of the receipt: one PDF, one print."""
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer, f"Nhãn và biên nhận {receipt.tracking_code}")
    canvas.setPageSize((THERMAL.width, THERMAL.height))
    draw_item_label(canvas, label, 0, 0, THERMAL)
    canvas.showPage()
    _draw_receipts(canvas, receipt)
    canvas.save()
    return buffer.getvalue()
