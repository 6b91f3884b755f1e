"""Label rendering speed: 1,000 thermal labels, a 500-item slip, and a bare reportlab loop.

The bare loop draws the same Code 128 bars, QR code and text on 1,000 pages with no layout
logic (no fitting, no paragraphs): the floor that the real labels are compared with.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from labels.barcodes import draw_code128, draw_qr
from labels.fonts import BOLD, REGULAR, register_fonts
from labels.handover_slip import HandoverSlip, SlipLine, render_handover_slip
from labels.item_labels import ItemLabel, render_item_labels
from tracker.domain.codes import CodeKind, new_code

PROCEDURE = "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam"


def sample_labels(count: int) -> list[ItemLabel]:
    return [
        ItemLabel(new_code(CodeKind.ITEM), f"000.00.18.H40-261124-{n:04d}", PROCEDURE, "application",
                  "Trung tâm Phục vụ hành chính công tỉnh Nghệ An", "08/12/2026", "Nguyễn Thị Ngọc Ánh")
        for n in range(count)
    ]  # fmt: skip


def bare_loop(labels: list[ItemLabel]) -> bytes:
    """The same bars, QR and text, cut into fixed-length lines: no measuring, no fitting."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(100 * mm, 150 * mm), pageCompression=1, initialFontName=REGULAR)
    for label in labels:
        canvas.setFont(BOLD, 13.5)
        canvas.drawString(5 * mm, 140 * mm, "HỒ SƠ · HỒ SƠ TTHC")
        draw_code128(canvas, label.item_code, 5 * mm, 105 * mm, 0.5 * mm, 30 * mm)
        canvas.setFont(BOLD, 15)
        canvas.drawCentredString(50 * mm, 98 * mm, label.item_code)
        canvas.setFont(REGULAR, 10)
        text = f"Thủ tục: {label.procedure_name} Mã hồ sơ: {label.dossier_code} Nơi nhận: {label.destination} "
        text += f"Hẹn trả: {label.due_date} Người nộp: {label.applicant_name}"
        for line, start in enumerate(range(0, len(text), 30)):
            canvas.drawString(5 * mm, (88 - line * 4.3) * mm, text[start : start + 30])
        draw_qr(canvas, label.item_code, 61 * mm, 5 * mm, 34 * mm)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def timed(action, repeat: int = 3) -> tuple[float, bytes]:
    """The best of a few runs: the figure least disturbed by the rest of the machine."""
    best, result = float("inf"), b""
    for _ in range(repeat):
        began = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - began)
    return best, result


def main() -> None:
    register_fonts()
    labels = sample_labels(1000)
    render_item_labels(labels[:5])  # warm the caches every real process has after its first label
    label_seconds, pdf = timed(lambda: render_item_labels(labels))
    bare_seconds, _ = timed(lambda: bare_loop(labels))
    lines = [SlipLine(one.item_code, one.dossier_code, PROCEDURE, one.applicant_name, "application")
             for one in labels[:500]]  # fmt: skip
    slip = HandoverSlip(new_code(CodeKind.TRANSFER), "Bưu cục Trung tâm Vinh",
                        "Trung tâm Phục vụ hành chính công tỉnh Nghệ An", "Đã giao", "24/11/2026 15:30",
                        "NP-1", "Nguyễn Thị Hoa", lines=lines)  # fmt: skip
    slip_seconds, slip_pdf = timed(lambda: render_handover_slip(slip))
    slip_pages = slip_pdf.count(b"/Type /Page\n") or slip_pdf.count(b"/Type /Page")
    print("label rendering (best of 3)")
    size = f"({len(pdf) // 1024} KiB)"
    print(f"  1,000 thermal labels   {label_seconds:6.2f} s   {1000 / label_seconds:7.0f} pages/s   {size}")
    print(f"  bare reportlab loop    {bare_seconds:6.2f} s   {1000 / bare_seconds:7.0f} pages/s")
    print(f"  ratio labels/bare      {label_seconds / bare_seconds:6.2f}")
    print(f"  500-item slip          {slip_seconds:6.2f} s   {slip_pages} pages")


if __name__ == "__main__":
    main()
