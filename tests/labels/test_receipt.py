"""The receipt renderer on its own: plain values in, a PDF that reads back right."""

from __future__ import annotations

import re

from labels.receipt import MAX_PAPER_ROWS, Receipt, ReceiptPaper, render_receipt
from tests.pdf_tools import codes_per_page, page_count, pdf_text

URL = "https://tracuu.example.gov.vn/tra-cuu/HS7K3M9Q2X4B"


def receipt(**changes) -> Receipt:
    values = dict(
        tracking_code="HS7K3M9Q2X4B", dossier_code="", postal_id="EE123456785VN", procedure_code="2.001.008",
        procedure_name="Cấp Phiếu lý lịch tư pháp", department="Sở Tư pháp", applicant_name="Nguyễn Thị Ngọc Ánh",
        applicant_phone="0912 345 678", applicant_address="Số 5, đường Lê Lợi, TP Vinh",
        received_at="25/11/2026 10:00", appointment="09/12/2026", post_office="Bưu cục Vinh",
        postal_worker="Nguyễn Văn Bưu", lookup_url=URL,
        papers=[ReceiptPaper("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", 1, 0), ReceiptPaper("Bản chụp CCCD", 0, 2)],
    )  # fmt: skip
    values.update(changes)
    return Receipt(**values)


def test_two_a5_copies_with_barcode_qr_and_papers():
    pdf = render_receipt(receipt())
    text = pdf_text(pdf)
    assert page_count(pdf) == 2
    assert "Mã hồ sơ: chưa có" in text and "Bản chụp CCCD 0 2" in text and "Ngày hẹn trả dự kiến: 09/12/2026" in text
    assert codes_per_page(pdf) == [[("CODE128", "HS7K3M9Q2X4B"), ("QRCODE", URL)]] * 2


def test_a_long_list_of_papers_is_summed_up_and_still_fits_one_page_per_copy():
    papers = [ReceiptPaper(f"Giấy tờ số {n} " + "rất dài " * 8, 1, n % 3) for n in range(1, 31)]
    pdf = render_receipt(receipt(papers=papers, dossier_code="000.00.18.H40-261125-0042"))
    text = pdf_text(pdf)
    assert page_count(pdf) == 2
    shown = max(int(n) for n in re.findall(r"Giấy tờ số (\d+) ", text))
    assert shown < MAX_PAPER_ROWS  # long names wrap: fewer rows fit
    rest = papers[shown:]
    assert f"và {len(rest)} giấy tờ khác {len(rest)} {sum(p.copies for p in rest)}" in text
    assert text.count("NHÂN VIÊN BƯU ĐIỆN") == 2 and text.count("Nguyễn Văn Bưu") == 2  # the signatures stay
    assert "Mã hồ sơ: 000.00.18.H40-261125-0042" in text
