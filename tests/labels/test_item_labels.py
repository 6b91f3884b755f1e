import pytest

from labels.item_labels import SHEET_COLUMNS, SHEET_ROWS, ItemLabel, LabelSize, render_item_labels
from labels.text import shorten_name
from tests.pdf_tools import BASE_14, codes_per_cell, codes_per_page, pdf_fonts, pdf_text
from tracker.domain.codes import CodeKind, new_code

LONG_PROCEDURE = (
    "Thủ tục cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất "
    "cho hộ gia đình, cá nhân, cộng đồng dân cư đã được giao đất ở trước ngày 01 tháng 7 năm 2004 "
) * 3


def a_label(**overrides) -> ItemLabel:
    values = {
        "item_code": new_code(CodeKind.ITEM),
        "dossier_code": "000.00.18.H40-261124-0001",
        "procedure_name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "kind": "application",
        "destination": "Sở Nông nghiệp và Môi trường",
        "due_date": "08/12/2026",
        "applicant_name": "Nguyễn Thị Ngọc Ánh",
    }
    return ItemLabel(**{**values, **overrides})


def test_thermal_label_scans_as_exactly_its_code():
    label = a_label()
    pages = codes_per_page(render_item_labels([label]))
    assert pages == [[("CODE128", label.item_code), ("QRCODE", label.item_code)]]


def test_every_label_on_a_full_a4_sheet_scans():
    labels = [a_label(procedure_name=LONG_PROCEDURE if i % 2 else "Đổi giấy phép lái xe") for i in range(9)]
    pdf = render_item_labels(labels, LabelSize.A4)
    cells = codes_per_cell(pdf, SHEET_COLUMNS, SHEET_ROWS)
    assert len(cells) == 16  # two sheets
    assert cells[:9] == [[("CODE128", one.item_code), ("QRCODE", one.item_code)] for one in labels]
    assert cells[9:] == [[]] * 7
    whole_pages = codes_per_page(pdf)  # every Code 128 also reads from the whole sheet at once
    assert [[c for c in page if c[0] == "CODE128"] for page in whole_pages] == [
        sorted(("CODE128", one.item_code) for one in group) for group in (labels[:8], labels[8:])
    ]


def test_labels_come_out_in_the_order_given():
    labels = [a_label() for _ in range(3)]
    pages = codes_per_page(render_item_labels(labels))
    assert [page[0][1] for page in pages] == [label.item_code for label in labels]


def test_vietnamese_text_round_trips_and_the_font_is_embedded():
    pdf = render_item_labels([a_label(kind="result")])
    text = pdf_text(pdf)
    for expected in ("Sở Nông nghiệp và Môi trường", "KẾT QUẢ", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
                     "000.00.18.H40-261124-0001", "08/12/2026", "Nguyễn T. N. Ánh"):  # fmt: skip
        assert expected in text
    fonts = pdf_fonts(pdf)
    assert fonts and all(embedded for _, embedded in fonts)
    assert not {name for name, _ in fonts} & BASE_14


def test_privacy_the_label_shows_neither_phone_nor_full_name():
    pdf = render_item_labels([a_label(applicant_name="Nguyễn Văn An")])
    text = pdf_text(pdf)
    assert "Nguyễn V. An" in text and "Nguyễn Văn An" not in text


@pytest.mark.parametrize(
    ("full", "short"),
    [("Nguyễn Văn An", "Nguyễn V. An"), ("Nguyễn Thị Ngọc Ánh", "Nguyễn T. N. Ánh"), ("Lê Lợi", "Lê Lợi"), ("", "")],
)
def test_shorten_name(full, short):
    assert shorten_name(full) == short


HOSTILE = [
    {"procedure_name": LONG_PROCEDURE * 5},
    {"applicant_name": "A" * 500, "destination": "B" * 300, "dossier_code": "9" * 64},
    {"procedure_name": "^XA^FO0,0^FDhacked^FS^XZ ~JR ~DG", "applicant_name": "~~^^"},
    {"procedure_name": "<script>alert(1)</script> <b>bold</b> & <br/> <para>", "applicant_name": "<i>x"},
    {"applicant_name": "\u202eنص عربي\u202c \u200fمرحبا", "destination": "\u2067abc\u2069"},
    {"procedure_name": "", "applicant_name": "", "destination": "", "due_date": "", "dossier_code": ""},
    {"procedure_name": "line\nbreak\ttab\x00nul\x1bescape"},
]


@pytest.mark.parametrize("overrides", HOSTILE)
@pytest.mark.parametrize("size", list(LabelSize))
def test_hostile_text_still_makes_a_label_that_scans(overrides, size):
    label = a_label(**overrides)
    pdf = render_item_labels([label], size)
    assert codes_per_page(pdf)[0] == [("CODE128", label.item_code), ("QRCODE", label.item_code)]


def test_markup_is_printed_as_text_not_obeyed():
    text = pdf_text(render_item_labels([a_label(procedure_name="<b>A</b> & <script>x</script>")]))
    assert "<b>A</b> & <script>x</script>" in text


def test_invisible_direction_marks_are_not_printed():
    text = pdf_text(
        render_item_labels([a_label(applicant_name="Lê \u202eVăn\u202c Tám", destination="\u2067STP\u2069")])
    )
    assert "Lê V. Tám" in text and "STP" in text
    assert not any(mark in text for mark in "\u202e\u202c\u2067\u2069")


def test_a_long_procedure_name_never_runs_over_the_barcode():
    label = a_label(procedure_name=LONG_PROCEDURE * 3)
    text = pdf_text(render_item_labels([label]))
    assert text.index(label.item_code) < text.index("Thủ tục")
    assert "…" in text  # cut with an ellipsis once shrinking was not enough
