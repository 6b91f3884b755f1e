from labels.delivery_note import DeliveryNote, render_delivery_note
from tests.journey_end import signature_data_url
from tests.pdf_tools import BASE_14, codes_per_page, pdf_fonts, pdf_text
from tracker.delivery.services import signature_png
from tracker.domain.codes import CodeKind, new_code


def a_note(**overrides) -> DeliveryNote:
    values = {
        "item_code": new_code(CodeKind.ITEM),
        "dossier_code": "000.00.18.H40-261124-0001",
        "procedure_name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "kind": "result",
        "applicant_name": "Nguyễn Thị Ngọc Ánh",
        "applicant_address": "Số 5, đường Lê Lợi, phường Hưng Bình, TP Vinh",
        "unit_name": "Bưu cục Trung tâm Vinh",
        "delivered_at": "25/11/2026 09:30",
        "recipient_name": "Trần Văn Bình",
        "recipient_role": "Người được uỷ quyền",
        "id_last_digits": "6789",
        "staff_name": "Lê Thị Hương",
    }
    return DeliveryNote(**{**values, **overrides})


def test_the_note_prints_in_vietnamese_with_an_embedded_font_and_a_scannable_barcode(app):
    note = a_note(signature_png=signature_png(signature_data_url()))
    pdf = render_delivery_note(note)
    text = pdf_text(pdf)
    assert "PHIẾU GIAO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text
    assert "Trần Văn Bình (Người được uỷ quyền)" in text and "…6789" in text and "Lê Thị Hương" in text
    assert all(embedded and name not in BASE_14 for name, embedded in pdf_fonts(pdf))
    assert codes_per_page(pdf) == [[("CODE128", note.item_code)]]


def test_a_note_without_a_signature_leaves_the_box_blank():
    assert "Trần Văn Bình" in pdf_text(render_delivery_note(a_note()))
