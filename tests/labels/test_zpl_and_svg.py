import re
import subprocess

import pytest
from PIL import Image

from labels.barcodes import code128_svg
from labels.item_labels import ItemLabel
from labels.zpl import field_data, render_item_label_zpl
from tests.pdf_tools import decode_image


def label(**overrides) -> ItemLabel:
    values = dict(item_code="IT7K3M9Q2X4B", dossier_code="000.00.18.H40-261124-0001",
                  procedure_name="Cấp Phiếu lý lịch tư pháp", kind="result", destination="Sở Tư pháp",
                  due_date="08/12/2026", applicant_name="Nguyễn Thị Ngọc Ánh")  # fmt: skip
    return ItemLabel(**{**values, **overrides})


def test_zpl_is_utf8_with_the_exact_code_in_a_code128_field():
    zpl = render_item_label_zpl(label())
    assert zpl.startswith("^XA\n^CI28\n") and zpl.rstrip().endswith("^XZ")
    assert re.search(r"\^BCN,\d+,Y,N,N\^FDIT7K3M9Q2X4B\^FS", zpl)
    assert "Sở Tư pháp" in zpl and "Nguyễn T. N. Ánh" in zpl
    assert "^PW800" in zpl and "^LL1200" in zpl  # 100 x 150 mm at 8 dots/mm


@pytest.mark.parametrize("hostile", ["^XA^FDx^FS^XZ", "~JR~DG", "a_b", "x\n^XZ", "\u202eabc"])
def test_no_input_can_inject_zpl_commands(hostile):
    zpl = render_item_label_zpl(label(procedure_name=hostile, applicant_name=hostile, destination=hostile))
    assert zpl.count("^XA") == 1 and zpl.count("^XZ") == 1
    for field in re.findall(r"\^FD(.*?)\^FS", zpl):
        assert "~" not in field
    assert "~" not in zpl
    fields = re.findall(r"\^FH\^FD(.*?)\^FS", zpl)
    assert all("^" not in field for field in fields)


def test_field_data_escapes_to_hex():
    assert field_data("a^b~c_d") == "a_5Eb_7Ec_5Fd"


def test_svg_barcode_decodes_after_rasterising(tmp_path):
    svg = tmp_path / "code.svg"
    svg.write_bytes(code128_svg("TR7K3M9Q2X4C"))
    png = tmp_path / "code.png"
    subprocess.run(
        ["rsvg-convert", "--dpi-x", "200", "--dpi-y", "200", "-b", "white", "-o", str(png), str(svg)], check=True
    )
    assert ("CODE128", "TR7K3M9Q2X4C") in decode_image(Image.open(png))


def test_unprintable_text_is_refused():
    with pytest.raises(ValueError):
        code128_svg("<svg onload=x>")
