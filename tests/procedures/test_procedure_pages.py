"""The admin's catalogue pages: a form that keeps what was typed, and an import previewed first."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from tests.pages_support import csrf_token_of
from tests.procedures.test_catalogue_import import BAD, GOOD, HEADER
from tracker.dossiers.models import Procedure
from tracker.extensions import db


def catalogue_size() -> int:
    return db.session.scalar(select(func.count()).select_from(Procedure))


def test_only_the_admin_has_the_catalogue_pages(page_client):
    assert "Thủ tục" in page_client("admin1").get("/admin/procedures").get_data(as_text=True)
    for username in ("post1", "centre1", "super1"):
        assert page_client(username).get("/admin/procedures").status_code == 403


def test_a_new_procedure_is_refused_field_by_field_then_saved(page_client):
    admin = page_client("admin1")
    token = csrf_token_of(admin.get("/admin/procedures/new").get_data(as_text=True))
    form = {"csrf_token": token, "code": "2.001.008", "name": "Cấp Phiếu lý lịch tư pháp", "department": "",
            "processing_days": "mười", "papers": "Tờ khai\nBản chụp CCCD", "active": "1"}  # fmt: skip
    refused = admin.post("/admin/procedures/new", data=form)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="department-error"' in page and 'id="processing_days-error"' in page
    assert 'value="Cấp Phiếu lý lịch tư pháp"' in page and "Tờ khai\nBản chụp CCCD</textarea>" in page
    assert catalogue_size() == 0
    saved = admin.post("/admin/procedures/new", data=form | {"department": "STP", "processing_days": "10"})
    assert saved.status_code == 302
    edited = admin.post("/admin/procedures/2.001.008", data=form | {"department": "STP", "processing_days": "7"})
    assert edited.status_code == 302
    db.session.expire_all()
    procedure = db.session.scalar(select(Procedure))
    assert procedure.processing_days == 7 and procedure.papers == ["Tờ khai", "Bản chụp CCCD"]


def test_an_upload_is_previewed_with_every_rows_errors_before_anything_is_written(page_client, world):
    admin = page_client("admin1")
    token = csrf_token_of(admin.get("/admin/procedures").get_data(as_text=True))
    upload = {"csrf_token": token, "file": (io.BytesIO((HEADER + GOOD + BAD).encode()), "thu-tuc.csv")}
    preview = admin.post("/admin/procedures/import", data=upload, content_type="multipart/form-data")
    page = preview.get_data(as_text=True)
    assert len(re.findall(r'<tr class="bad">', page)) == 3 and len(re.findall(r'<tr class="ok">', page)) == 2
    assert "BC-VINH" in page and "Xác nhận nhập danh mục" not in page
    assert catalogue_size() == 0
    upload = {"csrf_token": token, "file": (io.BytesIO((HEADER + GOOD).encode()), "thu-tuc.csv")}
    page = admin.post("/admin/procedures/import", data=upload, content_type="multipart/form-data").get_data(
        as_text=True
    )
    assert "Xác nhận nhập danh mục" in page and catalogue_size() == 0
    content = re.search(r'name="content" value="([^"]+)"', page).group(1)
    confirmed = admin.post("/admin/procedures/import/confirm",
                           data={"csrf_token": token, "filename": "thu-tuc.csv", "content": content})  # fmt: skip
    assert confirmed.status_code == 302 and catalogue_size() == 2


def test_the_sample_file_passes_its_own_check(page_client, world):
    admin = page_client("admin1")
    sample = admin.get("/admin/procedures/sample.csv")
    assert sample.mimetype == "text/csv"
    token = csrf_token_of(admin.get("/admin/procedures").get_data(as_text=True))
    upload = {"csrf_token": token, "file": (io.BytesIO(sample.data), "mau.csv")}
    page = admin.post("/admin/procedures/import", data=upload, content_type="multipart/form-data").get_data(
        as_text=True
    )
    assert '<tr class="ok">' in page and '<tr class="bad">' not in page
