"""The import page: upload, a preview of every row that writes nothing, then Nhập."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from tests.imports.exports import HEADERS, export_rows, write_csv
from tests.pages_support import csrf_token_of
from tests.web.test_pages import multi_word_messages, visible_text
from tracker.domain.codes import s10_check_digit
from tracker.dossiers.models import Dossier
from tracker.extensions import db


def dossier_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Dossier))


def upload(client, content: bytes, name: str = "mot-cua.csv"):
    token = csrf_token_of(client.get("/imports").get_data(as_text=True))
    data = {"csrf_token": token, "file": (io.BytesIO(content), name)}
    return client.post("/imports", data=data, content_type="multipart/form-data")


def apply(client, preview_html: str, *, confirm: bool = False):
    form = {
        "csrf_token": csrf_token_of(preview_html),
        "token": re.search(r'name="token" value="([^"]+)"', preview_html).group(1),
        "filename": "mot-cua.csv",
    }
    if confirm:
        form["confirm_matches"] = "1"
    return client.post("/imports/apply", data=form)


def test_the_preview_lists_every_refused_row_writes_nothing_then_imports(page_client, tmp_path):
    centre = page_client("centre1")
    nav = re.search(r'<nav class="main">(.*?)</nav>', centre.get("/imports").get_data(as_text=True), re.S).group(1)
    assert "Nhập hồ sơ" in nav
    content = write_csv(tmp_path / "a.csv", export_rows(120)).read_bytes()

    preview = upload(centre, content)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    text = visible_text(html)
    assert "Chưa có gì được ghi" in text and "118 Hồ sơ mới" in text and "2 Dòng bị từ chối" in text
    refusals = re.findall(r'<tr class="bad"><td>(\d+)</td>', html)
    assert refusals == ["51", "101"]
    assert "Ngày tiếp nhận &#39;31/02/2026 08:00&#39; không đúng dạng" in html
    assert dossier_count() == 0

    done = apply(centre, html)
    assert done.status_code == 200
    assert "Đã nhập xong" in done.get_data(as_text=True)
    assert dossier_count() == 118
    assert apply(centre, html).status_code == 410  # the kept file is gone once imported


def test_a_counter_dossier_is_shown_and_given_its_code_only_when_ticked(page_client, post, tmp_path):
    s10 = f"EB87654321{s10_check_digit('87654321')}VN"
    counter = post.register_dossier(code=None)
    post.new_item(counter["tracking_code"], postal_id=s10)
    row = next(export_rows(1))
    headers = [*HEADERS, "Số hiệu bưu gửi"]
    lines = write_csv(tmp_path / "s10.csv", iter([{**row, "Số hiệu bưu gửi": s10}]), headers=headers).read_bytes()
    centre = page_client("centre1")

    html = upload(centre, lines).get_data(as_text=True)
    assert counter["tracking_code"] in html and "số hiệu bưu gửi S10" in html
    assert 'name="confirm_matches"' in html
    apply(centre, html)  # not ticked: nothing attached
    assert db.session.scalar(select(Dossier.code).where(Dossier.tracking_code == counter["tracking_code"])) is None

    html = upload(centre, lines).get_data(as_text=True)
    assert "Hồ sơ tại quầy được gắn mã" in visible_text(apply(centre, html, confirm=True).get_data(as_text=True))
    code = db.session.scalar(select(Dossier.code).where(Dossier.tracking_code == counter["tracking_code"]))
    assert code == row["Mã hồ sơ"]


def test_a_refused_file_is_said_next_to_the_field(page_client):
    centre = page_client("centre1")
    missing = upload(centre, "Mã hồ sơ,Họ tên\nA-1,An\n".encode())
    assert missing.status_code == 422
    html = missing.get_data(as_text=True)
    assert 'id="file-error"' in html and "Tệp thiếu cột: Mã thủ tục, Chủ hồ sơ, Ngày tiếp nhận" in html
    token = csrf_token_of(centre.get("/imports").get_data(as_text=True))
    empty = centre.post("/imports", data={"csrf_token": token}, content_type="multipart/form-data")
    assert empty.status_code == 422 and "Chọn tệp xuất từ hệ thống một cửa" in empty.get_data(as_text=True)


def test_the_page_takes_files_larger_than_other_requests(app, page_client, tmp_path):
    app.config["MAX_CONTENT_LENGTH"] = 2048
    content = write_csv(tmp_path / "a.csv", export_rows(100)).read_bytes()
    assert upload(page_client("admin1"), content).status_code == 200


def test_the_page_is_for_admins_and_centre_clerks(page_client):
    assert page_client("post1").get("/imports").status_code == 403
    assert page_client("super1").get("/imports").status_code == 403


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_import_pages_render_in_each_language(page_client, post, tmp_path, language):
    english_ids = [msgid for msgid, _ in multi_word_messages("vi")]
    vietnamese = [text for _, text in multi_word_messages("vi") if text.count(" ") >= 2]
    counter = post.register_dossier(code=None)
    row = {**next(export_rows(1)), "Số điện thoại": "0912 345 678", "Mã thủ tục": counter["procedure_code"]}
    row["Ngày tiếp nhận"] = "02/11/2026 09:00"
    content = write_csv(tmp_path / "a.csv", iter([row, *export_rows(60, first=2)])).read_bytes()
    client = page_client("admin1", language)
    for response in (client.get("/imports"), upload(client, content)):
        html = response.get_data(as_text=True)
        assert f'<html lang="{language}">' in html
        # The file's column names and the reasons for refusing a row are Vietnamese in both.
        text = visible_text(re.sub(r'<(ul|td) lang="vi">.*?</\1>', " ", html, flags=re.S))
        if language == "vi":
            assert [m for m in english_ids if m in text] == []
        else:
            assert [m for m in vietnamese if m in text] == []
    assert counter["tracking_code"] in html
