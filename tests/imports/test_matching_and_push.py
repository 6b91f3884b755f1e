"""A counter dossier (no mã hồ sơ yet) found by the file, and the one-stop system's PUT."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.imports.exports import HEADERS, write_csv
from tests.support import dossier_payload
from tracker.domain.codes import s10_check_digit
from tracker.dossiers.models import Dossier, DossierRevision
from tracker.extensions import db

S10 = f"EB12345678{s10_check_digit('12345678')}VN"
ROW = {
    "Mã hồ sơ": "000.00.18.H40-261102-7777",
    "Mã thủ tục": "1.001.234",
    "Tên thủ tục": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
    "Chủ hồ sơ": "Nguyễn Thị Ngọc Ánh",
    "Số điện thoại": "0912345678",
    "Địa chỉ": "Số 5, đường Lê Lợi, phường Hưng Bình, TP Vinh",
    "Ngày tiếp nhận": "02/11/2026 15:30",
    "Ngày hẹn trả": "16/11/2026",
    "Cơ quan giải quyết": "Sở Tư pháp",
}


@pytest.fixture
def counter_dossier(post) -> dict:
    """Registered at the post's counter on 2/11 at 08:00, with no mã hồ sơ, its packet's S10 known."""
    dossier = post.register_dossier(code=None, due_at=None)
    post.new_item(dossier["tracking_code"], postal_id=S10)
    return dossier


def export_with(tmp_path, row: dict, *, postal_id: str | None = None):
    headers = [*HEADERS, "Số hiệu bưu gửi"] if postal_id else HEADERS
    return write_csv(tmp_path / "khop.csv", iter([{**row, "Số hiệu bưu gửi": postal_id}]), headers=headers)


def recorded_code(tracking_code: str) -> str | None:
    return db.session.scalar(select(Dossier.code).where(Dossier.tracking_code == tracking_code))


@pytest.mark.parametrize(
    ("row", "postal_id", "rule"),
    [
        # Another phone, even another procedure: the S10 on the packet is enough.
        ({**ROW, "Số điện thoại": "0987000000"}, S10, "postal_id"),
        # No S10 in the file: same phone (written differently), same procedure, within a day.
        ({**ROW, "Số điện thoại": "0912 345 678"}, None, "phone_procedure"),
    ],
)
def test_a_counter_dossier_is_matched_shown_and_attached_once_confirmed(
    upload, counter_dossier, tmp_path, row, postal_id, rule
):
    path = export_with(tmp_path, row, postal_id=postal_id)
    tracking_code = counter_dossier["tracking_code"]

    preview = upload(path, dry_run=True)
    assert preview.json["counts"]["awaiting_confirmation"] == 1
    [match] = preview.json["matches"]
    assert match == {
        "row": 2, "code": ROW["Mã hồ sơ"], "tracking_code": tracking_code, "rule": rule,
        "applicant_name": "Nguyễn Thị Ngọc Ánh", "received_at": "2026-11-02T08:00:00+07:00", "confirmed": False,
    }  # fmt: skip

    unconfirmed = upload(path)
    assert unconfirmed.json["counts"]["awaiting_confirmation"] == 1
    assert recorded_code(tracking_code) is None

    confirmed = upload(path, confirm_matches=True)
    assert confirmed.json["counts"]["matched"] == 1 and confirmed.json["matches"][0]["confirmed"] is True
    assert recorded_code(tracking_code) == ROW["Mã hồ sơ"]
    revisions = {r.field: r for r in db.session.scalars(select(DossierRevision))}
    assert revisions["code"].old_value is None and revisions["code"].new_value == ROW["Mã hồ sơ"]
    assert revisions["due_at"].source == "import" and revisions["due_at"].old_value is None

    again = upload(path, confirm_matches=True)
    assert again.json["counts"]["unchanged"] == 1 and again.json["matches"] == []


def test_no_match_beyond_a_day_or_for_another_procedure(upload, counter_dossier, tmp_path):
    late = export_with(tmp_path, {**ROW, "Ngày tiếp nhận": "03/11/2026 08:01"})
    assert upload(late, dry_run=True).json["counts"]["created"] == 1
    other = export_with(tmp_path, {**ROW, "Mã thủ tục": "2.001.008"})
    assert upload(other, dry_run=True).json["counts"]["created"] == 1


def test_an_s10_of_a_numbered_dossier_refuses_the_row(upload, post, tmp_path):
    numbered = post.register_dossier(code="KHAC-1")
    post.new_item(numbered["code"], postal_id=S10)
    answer = upload(export_with(tmp_path, ROW, postal_id=S10))
    assert answer.json["counts"]["refused"] == 1
    assert answer.json["refusals"][0]["reasons"] == {"postal_id": f"Số hiệu bưu gửi {S10} thuộc hồ sơ khác (KHAC-1)."}


def pushed(**overrides) -> dict:
    payload = dossier_payload(**overrides)
    del payload["code"]
    return payload


def test_put_creates_then_answers_unchanged_then_updates_with_a_revision(admin):
    path = "/api/v1/dossiers/000.00.18.H40-261120-0001"
    created = admin.put(path, pushed())
    assert created.status_code == 201, created.json
    assert created.json["code"] == "000.00.18.H40-261120-0001" and created.json["tracking_code"].startswith("HS")

    same = admin.put(path, pushed())
    assert same.status_code == 200 and same.json["tracking_code"] == created.json["tracking_code"]
    assert db.session.scalars(select(DossierRevision)).all() == []

    moved = admin.put(path, pushed(due_at="2026-11-20T17:00:00+07:00", department="CA"))
    assert moved.status_code == 200
    assert moved.json["due_at"] == "2026-11-20T17:00:00+07:00" and moved.json["department"] == "CA"
    changes = {r.field: (r.old_value, r.new_value) for r in db.session.scalars(select(DossierRevision))}
    assert changes["department"] == ("STP", "CA")
    assert datetime.fromisoformat(changes["due_at"][1]) == datetime(2026, 11, 20, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (pushed(due_at="2026-11-01T08:00:00+07:00"), "due_at"),
        (pushed(department="BC-VINH"), "department"),
        (pushed(applicant_name=" "), "applicant_name"),
        (pushed(postal_id="EB000000000VN"), "postal_id"),
    ],
)
def test_put_refuses_bad_dossiers_and_writes_nothing(admin, payload, field):
    answer = admin.put("/api/v1/dossiers/PUT-1", payload)
    assert answer.status_code == 422 and field in answer.json["error"]["details"]
    assert db.session.scalar(select(Dossier.id)) is None


def test_put_attaches_a_counter_dossier_only_when_told(admin, counter_dossier):
    path = "/api/v1/dossiers/000.00.18.H40-261102-8888"
    asked = admin.put(path, pushed(postal_id=S10, due_at="2026-11-16T17:00:00+07:00"))
    assert asked.status_code == 409 and asked.json["error"]["code"] == "match_needs_confirmation"
    assert asked.json["error"]["details"]["tracking_code"] == counter_dossier["tracking_code"]
    attached = admin.put(path + "?confirm_matches=true", pushed(postal_id=S10, due_at="2026-11-16T17:00:00+07:00"))
    assert attached.status_code == 200
    assert attached.json["tracking_code"] == counter_dossier["tracking_code"]
    assert attached.json["code"] == "000.00.18.H40-261102-8888"


def test_put_is_for_admins_and_centre_clerks(post):
    answer = post.put("/api/v1/dossiers/PUT-2", pushed())
    assert answer.status_code == 403


def test_the_openapi_document_has_get_and_put_on_one_dossier(client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert {"get", "put"} <= set(paths["/api/v1/dossiers/{code}"])
    assert "post" in paths["/api/v1/dossiers/import"]
