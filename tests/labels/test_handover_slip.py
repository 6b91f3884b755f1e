from labels.handover_slip import HandoverSlip, SlipLine, render_handover_slip
from tests.pdf_tools import BASE_14, codes_per_page, pdf_fonts, pdf_text
from tracker.domain.codes import CodeKind, new_code


def a_slip(count: int, **overrides) -> HandoverSlip:
    values = {
        "transfer_code": new_code(CodeKind.TRANSFER),
        "from_unit": "Bưu cục Trung tâm Vinh",
        "to_unit": "Trung tâm Phục vụ hành chính công tỉnh Nghệ An",
        "status": "Đã giao, chờ bên nhận kiểm đếm",
        "dispatched_at": "24/11/2026 15:30",
        "seal_number": "NP-123456",
        "sender_name": "Nguyễn Thị Ngọc Ánh",
        "lines": [
            SlipLine(
                new_code(CodeKind.ITEM),
                f"000.00.18.H40-261124-{n:04d}",
                "Cấp Phiếu lý lịch tư pháp",
                "Trần Văn Bình",
                "application",
            )
            for n in range(count)
        ],
    }
    return HandoverSlip(**{**values, **overrides})


def test_every_page_of_a_three_page_slip_carries_the_transfer_barcode():
    slip = a_slip(80)
    pages = codes_per_page(render_handover_slip(slip))
    assert len(pages) == 3
    assert all(page == [("CODE128", slip.transfer_code)] for page in pages)


def test_slip_lists_every_item_with_the_header_on_each_page_and_page_numbers():
    slip = a_slip(80)
    text = pdf_text(render_handover_slip(slip))
    assert all(line.item_code in text for line in slip.lines)
    assert text.count("Mã bưu gửi") == 3
    assert all(f"Trang {n}/3" in text for n in (1, 2, 3))
    assert "Tổng số: 80 bưu gửi trong phiếu." in text


def test_national_heading_units_and_signatures_in_vietnamese():
    pdf = render_handover_slip(a_slip(2, receiver_name="Lê Thị Mai"))
    text = pdf_text(pdf)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHIẾU BÀN GIAO HỒ SƠ",
        "Trung tâm Phục vụ hành chính công tỉnh Nghệ An",
        "Bưu cục Trung tâm Vinh",
        "NP-123456",
        "BÊN GIAO",
        "BÊN NHẬN",
        "Nguyễn Thị Ngọc Ánh",
        "Lê Thị Mai",
    ):
        assert expected in text, expected
    fonts = pdf_fonts(pdf)
    assert fonts and all(embedded for _, embedded in fonts)
    assert not {name for name, _ in fonts} & BASE_14


def test_after_receipt_the_slip_shows_what_was_wrong():
    lines = [
        SlipLine("IT0000000001", "D-1", "Thủ tục", "A", "application", outcome="received", damaged=True),
        SlipLine("IT0000000002", "D-2", "Thủ tục", "B", "application", outcome="missing"),
        SlipLine("IT0000000003", "D-3", "Thủ tục", "C", "result", outcome="unexpected"),
    ]
    slip = a_slip(0, lines=lines, received_at="25/11/2026 08:00", receiver_name="Lê Thị Mai", seal_intact=False)
    text = pdf_text(render_handover_slip(slip))
    assert "Hư hỏng" in text and "Thiếu" in text and "Thừa (không có trong phiếu)" in text
    assert "Nhận đủ: 1; thiếu: 1; thừa: 1; hư hỏng: 1." in text
    assert "Niêm phong khi nhận: bị rách, hỏng" in text


def test_hostile_text_in_a_slip():
    line = SlipLine(new_code(CodeKind.ITEM), "<b>x</b>", "^XA ~JR " * 200, "\u202eA" * 50, "weird")
    slip = a_slip(0, lines=[line], from_unit="Sở " * 2000, seal_number="<script>", sender_name="X" * 5000)
    pages = codes_per_page(render_handover_slip(slip))
    assert pages and all(page == [("CODE128", slip.transfer_code)] for page in pages)


def test_a_wide_code_is_never_split_across_lines():
    lines = [SlipLine("ITWWWWWWWWWW", "000.00.18.H40-261124-0001", "Thủ tục", "A", "application")]
    text = pdf_text(render_handover_slip(a_slip(0, lines=lines)))
    assert "ITWWWWWWWWWW" in text


def test_each_item_shows_its_s10_number_and_a_long_dossier_code_stays_on_one_line():
    dossier = "000.00.18.H40-261124-0001"
    lines = [SlipLine("ITWWWWWWWWWW", dossier, "Thủ tục", "A", "application", postal_id="RR473124829VN")]
    text = pdf_text(render_handover_slip(a_slip(0, lines=lines, bag_count=3)))
    assert "RR473124829VN" in text
    assert dossier in text, "the dossier code is not split across lines"
    assert "Số túi niêm phong: 3" in text
