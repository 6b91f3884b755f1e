"""Labels, slips and barcodes through the API: real PDFs read back by zbar and pdftotext."""

import subprocess

from PIL import Image
from sqlalchemy import select

from tests.pdf_tools import codes_per_page, decode_image, pdf_text
from tracker.custody.models import Item
from tracker.domain.codes import CodeKind, new_code
from tracker.extensions import db


def test_item_label_pdf(post, item):
    response = post.get(f"/api/v1/items/{item}/label.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert f'filename="nhan-{item}.pdf"' in response.headers["Content-Disposition"]
    assert codes_per_page(response.data) == [[("CODE128", item), ("QRCODE", item)]]
    text = pdf_text(response.data)
    assert "Sở Tư pháp" in text and "Nguyễn T. N. Ánh" in text and "0912" not in text
    a4 = post.get(f"/api/v1/items/{item}/label.pdf?size=a4")
    assert codes_per_page(a4.data) == [[("CODE128", item), ("QRCODE", item)]]
    assert post.get(f"/api/v1/items/{item}/label.pdf?size=huge").status_code == 422


def test_item_label_by_postal_id(post):
    item = post.new_item(post.register_dossier()["code"], postal_id="RR473124829VN")
    response = post.get("/api/v1/items/RR473124829VN/label.pdf")
    assert codes_per_page(response.data)[0][0] == ("CODE128", item)


def test_item_label_zpl(post, item):
    response = post.get(f"/api/v1/items/{item}/label.zpl")
    assert response.status_code == 200 and response.mimetype == "application/zpl"
    assert f"^FD{item}^FS" in response.get_data(as_text=True)
    assert "attachment" in response.headers["Content-Disposition"]


def test_many_labels_in_one_pdf_in_the_order_given_and_recorded_as_printed(post):
    dossier = post.register_dossier()["code"]
    items = [post.new_item(dossier) for _ in range(3)]
    order = [items[2], items[0], items[1]]
    response = post.post("/api/v1/labels", {"item_codes": order, "size": "thermal"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert [page[0][1] for page in codes_per_page(response.data)] == order
    printed = db.session.scalars(select(Item.label_printed_at).where(Item.code.in_(items))).all()
    assert all(printed)


def test_too_many_labels_is_413(post, item):
    response = post.post("/api/v1/labels", {"item_codes": [item] * 501})
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_many_labels"
    assert response.json["error"]["details"]["limit"] == 500


def test_unknown_and_misread_codes(post, item):
    assert post.get(f"/api/v1/items/{new_code(CodeKind.ITEM)}/label.pdf").json["error"]["code"] == "item_not_found"
    misread = item[:-1] + ("0" if item[-1] != "0" else "1")
    assert post.get(f"/api/v1/items/{misread}/label.zpl").status_code == 422
    missing = post.get(f"/api/v1/transfers/{new_code(CodeKind.TRANSFER)}/manifest.pdf")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "transfer_not_found"


def test_only_the_holder_or_sender_prints_a_label(as_user, post, item):
    for outsider in ("post2", "centre1", "super1"):
        assert as_user(outsider).get(f"/api/v1/items/{item}/label.pdf").status_code == 403
    post.send("TTHCC", [item])
    assert post.get(f"/api/v1/items/{item}/label.pdf").status_code == 200  # the sender, while in transit
    assert as_user("post2").post("/api/v1/labels", {"item_codes": [item]}).status_code == 403


def test_manifest_pdf_before_and_after_receipt(as_user, post):
    dossier = post.register_dossier()["code"]
    items = [post.new_item(dossier) for _ in range(3)]
    transfer = post.send("TTHCC", items, seal_number="NP-777")
    slip = post.get(f"/api/v1/transfers/{transfer}/manifest.pdf")
    assert slip.status_code == 200 and slip.mimetype == "application/pdf"
    assert f'filename="phieu-ban-giao-{transfer}.pdf"' in slip.headers["Content-Disposition"]
    assert codes_per_page(slip.data) == [[("CODE128", transfer)]]
    text = pdf_text(slip.data)
    assert all(code in text for code in items) and "NP-777" in text and "User post1" in text

    centre = as_user("centre1")
    centre.receive(transfer, items[:2], damaged=[items[0]])
    after = pdf_text(centre.get(f"/api/v1/transfers/{transfer}/manifest.pdf").data)
    assert "Đã nhận, có sai lệch" in after and "Thiếu" in after and "Hư hỏng" in after
    assert "Nhận đủ: 2; thiếu: 1; thừa: 0; hư hỏng: 1." in after
    assert as_user("dept1").get(f"/api/v1/transfers/{transfer}/manifest.pdf").status_code == 403


def test_barcode_svg_is_cached_and_decodes(post, item, tmp_path):
    response = post.get(f"/api/v1/barcodes/{item}.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "max-age" in response.headers["Cache-Control"]
    again = post.get(f"/api/v1/barcodes/{item}.svg", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    (tmp_path / "b.svg").write_bytes(response.data)
    subprocess.run(["rsvg-convert", "--dpi-x", "200", "--dpi-y", "200", "-b", "white", "-o",
                    str(tmp_path / "b.png"), str(tmp_path / "b.svg")], check=True)  # fmt: skip
    assert ("CODE128", item) in decode_image(Image.open(tmp_path / "b.png"))
    assert post.get("/api/v1/barcodes/%3Cscript%3E.svg").status_code == 422


def test_print_pending_cli_writes_the_unprinted_labels_once(app, runner, post, tmp_path):
    dossier = post.register_dossier()["code"]
    items = [post.new_item(dossier) for _ in range(2)]
    post.post("/api/v1/labels", {"item_codes": [items[0]]})
    later = post.new_item(dossier)
    output = tmp_path / "pending.pdf"
    result = runner.invoke(args=["labels", "print-pending", "--unit", "BC-VINH", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "Đã ghi 2 nhãn" in result.output
    assert [page[0][1] for page in codes_per_page(output.read_bytes())] == [items[1], later]
    again = runner.invoke(args=["labels", "print-pending", "--unit", "BC-VINH", "--output", str(output)])
    assert "không có bưu gửi nào chờ in nhãn" in again.output
