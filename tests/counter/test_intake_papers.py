"""The one PDF printed after an intake, read back as a printer and a scanner would."""

from __future__ import annotations

from sqlalchemy import select

from tests.counter.test_intake_page import S10, submit
from tests.pages_support import csrf_token_of
from tests.pdf_tools import codes_per_page, pdf_fonts, pdf_text
from tracker.custody.models import Item
from tracker.extensions import db


def test_label_and_both_receipts_print_in_one_pdf_with_the_lookup_qr(page_client, procedure):
    client = page_client("post1")
    done = client.get(submit(client).headers["Location"])
    item = db.session.scalar(select(Item).where(Item.postal_id == S10))
    item_id, item_code, tracking = item.id, item.code, item.dossier.tracking_code
    token = csrf_token_of(done.get_data(as_text=True))
    pdf = client.post(f"/counter/registered/{item_code}/papers.pdf", data={"csrf_token": token})
    assert pdf.mimetype == "application/pdf" and "attachment" in pdf.headers["Content-Disposition"]
    text = pdf_text(pdf.data)
    assert text.count("PHIẾU GỬI HỒ SƠ THỦ TỤC HÀNH CHÍNH") == 2
    assert "Liên 1: giao người nộp hồ sơ" in text and "Liên 2: lưu tại bưu điện" in text
    assert "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp" in text and "Giấy ủy quyền" in text
    assert f"Số hiệu bưu gửi: {S10}" in text and "Ngày hẹn trả dự kiến: 07/12/2026" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NHÂN VIÊN BƯU ĐIỆN" in text and "User post1" in text
    lookup_url = f"http://localhost/tra-cuu/{tracking}"
    pages = codes_per_page(pdf.data)
    assert pages[0] == [("CODE128", item_code), ("QRCODE", item_code)]  # the packet's label
    assert pages[1] == pages[2] == [("CODE128", tracking), ("QRCODE", lookup_url)]
    assert all(embedded for _, embedded in pdf_fonts(pdf.data))
    db.session.expire_all()
    assert db.session.get(Item, item_id).label_printed_at is not None  # the label counts as printed


def test_another_post_office_cannot_print_them(page_client, procedure):
    client = page_client("post1")
    submit(client)
    item_code = db.session.scalar(select(Item.code).where(Item.postal_id == S10))
    other = page_client("post2")
    token = csrf_token_of(other.get("/counter").get_data(as_text=True))
    assert other.post(f"/counter/registered/{item_code}/papers.pdf", data={"csrf_token": token}).status_code == 403


def test_the_qr_code_uses_the_public_address_when_one_is_configured(app, page_client, procedure):
    app.config["TRACKER_PUBLIC_URL"] = "https://tracuu.example.gov.vn"
    client = page_client("post1")
    done = client.get(submit(client).headers["Location"])
    item_code = db.session.scalar(select(Item.code).where(Item.postal_id == S10))
    token = csrf_token_of(done.get_data(as_text=True))
    pdf = client.post(f"/counter/registered/{item_code}/papers.pdf", data={"csrf_token": token}).data
    qr = dict(codes_per_page(pdf)[1])["QRCODE"]
    assert qr.startswith("https://tracuu.example.gov.vn/tra-cuu/HS")
