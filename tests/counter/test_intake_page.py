"""Intake at the counter through the page: one save registers dossier, papers and packet, or nothing."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from tests.pages_support import csrf_token_of
from tracker.counter.models import DossierPaper
from tracker.custody.models import Item
from tracker.dossiers.models import Dossier
from tracker.extensions import db

S10 = "EE123456785VN"
FORM = {
    "applicant_name": "Nguyễn Thị Ngọc Ánh",
    "applicant_phone": "0912 345 678",
    "applicant_address": "Số 5, đường Lê Lợi, phường Hưng Bình, TP Vinh",
    "postal_id": S10,
    "code": "",
    "received_at": "2026-11-20T09:30",  # a Friday
    "appointment": "",
}


def intake_form(client) -> str:
    page = client.get("/counter", query_string={"procedure": "2.001.008 — Cấp Phiếu lý lịch tư pháp"})
    assert page.status_code == 200
    return page.get_data(as_text=True)


def submit(client, **changes):
    page = intake_form(client)
    data = {"csrf_token": csrf_token_of(page), "procedure_code": "2.001.008", **FORM, **changes}
    data |= {
        "paper": ["Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Bản chụp Căn cước công dân", "Giấy ủy quyền"],
        "originals": ["1", "0", "1"],
        "copies": ["0", "2", "0"],
    }
    return client.post("/counter", data=data)


def counts() -> tuple[int, int, int]:
    db.session.expire_all()
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Dossier, DossierPaper, Item))


def test_the_procedure_is_found_by_words_without_accents(page_client, procedure):
    client = page_client("post1")
    chooser = client.get("/counter").get_data(as_text=True)
    assert 'list="procedures"' in chooser and "2.001.008 — Cấp Phiếu lý lịch tư pháp" in chooser
    form = client.get("/counter?procedure=ly+lich+tu+phap").get_data(as_text=True)
    assert "Bản chụp Căn cước công dân" in form and 'name="postal_id"' in form
    proposal = re.search(r'name="appointment" type="date" value="([^"]+)"', form).group(1)
    assert datetime.fromisoformat(proposal).weekday() < 5
    nothing = client.get("/counter?procedure=khong+co+thu+tuc").get_data(as_text=True)
    assert "Không có thủ tục nào khớp" in nothing


def test_a_postal_worker_registers_a_dossier_without_a_dossier_code(page_client, procedure):
    client = page_client("post1")
    response = submit(client)
    assert response.status_code == 302, response.get_data(as_text=True)
    item = db.session.scalar(select(Item).where(Item.postal_id == S10))
    dossier = item.dossier
    assert dossier.code is None and dossier.tracking_code.startswith("HS")
    assert dossier.department.code == "STP" and item.holder.code == "BC-VINH"
    # Friday 20/11 + 10 working days, 24/11 (Ngày Văn hóa Việt Nam) off: Monday 7/12 at 17:00.
    assert dossier.due_at.isoformat() == "2026-12-07T10:00:00+00:00"
    papers = db.session.scalars(select(DossierPaper).where(DossierPaper.dossier_id == dossier.id)).all()
    assert [(p.name, p.originals, p.copies) for p in papers] == [
        ("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", 1, 0), ("Bản chụp Căn cước công dân", 0, 2),
        ("Giấy ủy quyền", 1, 0),
    ]  # fmt: skip
    shown = page_client("centre1").get(f"/dossiers/{dossier.tracking_code}").get_data(as_text=True)
    assert re.search(r"<td>Bản chụp Căn cước công dân</td><td>0</td><td>2</td>", shown)  # the centre checks them
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert dossier.tracking_code in done and "In nhãn và biên nhận" in done
    for code in (dossier.tracking_code, S10):
        found = page_client("centre1").get("/dossiers", query_string={"q": code}).get_data(as_text=True)
        assert f"/dossiers/{dossier.tracking_code}" in found


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"postal_id": "EE123456786VN"}, "postal_id", "không phải số hiệu S10 hợp lệ"),
        ({"postal_id": ""}, "postal_id", "Quét hoặc nhập số hiệu S10"),
        ({"applicant_name": ""}, "applicant_name", "Nhập họ và tên"),
        ({"applicant_phone": "12"}, "applicant_phone", "ít nhất 8 chữ số"),
        ({"appointment": "2026-11-01"}, "appointment", "không được trước thời điểm tiếp nhận"),
    ],
)
def test_a_refusal_is_shown_next_to_its_field_keeping_what_was_typed(page_client, procedure, changes, field, message):
    client = page_client("post1")
    before = counts()
    response = submit(client, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error">[^<]*{message}', page), page
    assert 'value="Số 5, đường Lê Lợi, phường Hưng Bình, TP Vinh"' in page or field == "applicant_address"
    assert 'value="Giấy ủy quyền"' in page and 'value="2"' in page  # the papers' counts too
    assert counts() == before


def test_duplicate_s10_and_dossier_code_are_refused_with_nothing_written(page_client, procedure):
    client = page_client("post1")
    assert submit(client, code="000.00.18.H40-261120-0001").status_code == 302
    before = counts()
    again = submit(client, postal_id=S10, code="")
    assert again.status_code == 422 and "đã gắn với bưu gửi khác" in again.get_data(as_text=True)
    taken = submit(client, postal_id="EE000000005VN", code="000.00.18.H40-261120-0001")
    page = taken.get_data(as_text=True)
    assert taken.status_code == 422 and re.search(r'id="code-error">[^<]*Đã có hồ sơ mang mã này', page)
    assert 'value="EE000000005VN"' in page
    assert counts() == before


def test_a_department_clerk_has_no_counter(page_client, procedure):
    assert page_client("dept1").get("/counter").status_code == 403
