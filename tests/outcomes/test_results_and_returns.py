"""Results and returns: the department's packet back, the reason kept, the counts the province reports."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tracker.custody.models import CustodyEvent
from tracker.extensions import db
from tracker.outcomes.models import DossierReturn


def refused(response, status: int, code: str) -> None:
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == code


def test_the_department_creates_the_result_packet_with_its_label(as_user, post):
    dossier = post.register_dossier()["code"]
    dept = as_user("dept1")
    result = dept.ok(dept.post(f"/api/v1/dossiers/{dossier}/result"), 201)
    assert result["kind"] == "result" and result["holder"] == "STP" and result["dossier_code"] == dossier
    label = dept.get(result["label_url"])
    assert label.status_code == 200 and label.data.startswith(b"%PDF")
    refused(dept.post(f"/api/v1/dossiers/{dossier}/result"), 409, "result_exists")


@pytest.mark.parametrize(
    ("username", "status", "code"),
    [
        ("dept2", 403, "outside_own_unit"),  # another department
        ("post1", 403, "role_not_allowed"),
        ("centre1", 403, "role_not_allowed"),
        ("super1", 403, "role_not_allowed"),
        ("admin1", 403, "role_not_allowed"),
    ],
)
def test_only_the_dossiers_department_creates_its_result(as_user, post, username, status, code):
    dossier = post.register_dossier()["code"]
    refused(as_user(username).post(f"/api/v1/dossiers/{dossier}/result"), status, code)


def test_a_returned_dossier_gets_a_returned_packet_with_its_reason(as_user, post):
    dossier = post.register_dossier()["code"]
    dept = as_user("dept1")
    body = {"reason_code": "missing_papers", "reason_text": "Thiếu bản sao giấy khai sinh"}
    answer = dept.ok(dept.post(f"/api/v1/dossiers/{dossier}/return", body), 201)
    assert answer["status"] == "returned" and answer["withdrawn"] is False
    assert answer["reason"] == "Trả lại hồ sơ: Thiếu giấy tờ: Thiếu bản sao giấy khai sinh"
    packet = answer["item"]
    assert packet["kind"] == "returned" and packet["holder"] == "STP"
    assert dept.ok(dept.get(f"/api/v1/dossiers/{dossier}"))["status"] == "returned"
    # The facts the outbox needs for dossier.returned: unit, item (hence dossier), reason.
    event = db.session.scalar(select(CustodyEvent).where(CustodyEvent.kind == "dossier_returned"))
    record = db.session.scalar(select(DossierReturn))
    assert record.event_id == event.id and record.reason_code == "missing_papers"
    assert event.unit.code == "STP" and event.item_id == record.item_id
    # It travels back like a result; a closed dossier takes no result nor a second return.
    as_user("centre1").receive(dept.send("TTHCC", [packet["code"]]), [packet["code"]])
    refused(dept.post(f"/api/v1/dossiers/{dossier}/result"), 409, "dossier_closed")
    refused(dept.post(f"/api/v1/dossiers/{dossier}/return", body), 409, "dossier_closed")


def test_a_withdrawal_recorded_by_the_centre(as_user, post):
    dossier = post.register_dossier()["code"]
    centre = as_user("centre1")
    body = {"reason_code": "citizen_withdrew", "withdrawn": True}
    answer = centre.ok(centre.post(f"/api/v1/dossiers/{dossier}/return", body), 201)
    assert answer["status"] == "withdrawn" and answer["item"]["holder"] == "TTHCC"
    assert answer["reason"] == "Rút hồ sơ: Công dân rút hồ sơ"


def test_a_return_refused_writes_nothing(as_user, post):
    dossier = post.register_dossier()["code"]
    dept = as_user("dept1")
    refused(dept.post(f"/api/v1/dossiers/{dossier}/return", {"reason_code": "other"}), 422, "reason_text_required")
    refused(dept.post(f"/api/v1/dossiers/{dossier}/return", {"reason_code": "no-such"}), 422, "validation_error")
    refused(dept.post("/api/v1/dossiers/KHONG-CO/return", {"reason_code": "not_eligible"}), 404, "dossier_not_found")
    result = dept.ok(dept.post(f"/api/v1/dossiers/{dossier}/result"), 201)
    refused(dept.post(f"/api/v1/dossiers/{dossier}/return", {"reason_code": "not_eligible"}), 409, "result_exists")
    assert dept.ok(dept.get(f"/api/v1/dossiers/{dossier}"))["status"] == "open"
    assert [item["code"] for item in dept.ok(dept.get(f"/api/v1/dossiers/{dossier}"))["items"]] == [result["code"]]
    assert db.session.scalar(select(DossierReturn)) is None


@pytest.mark.parametrize(
    ("username", "status", "code"),
    [
        ("dept2", 403, "outside_own_unit"),
        ("post1", 403, "role_not_allowed"),
        ("super1", 403, "role_not_allowed"),
        ("admin1", 403, "role_not_allowed"),
    ],
)
def test_who_may_not_return_a_dossier(as_user, post, username, status, code):
    dossier = post.register_dossier()["code"]
    refused(as_user(username).post(f"/api/v1/dossiers/{dossier}/return", {"reason_code": "not_eligible"}), status, code)


def test_returns_are_counted_by_department_and_by_procedure(as_user, post):
    dept1, dept2, centre = as_user("dept1"), as_user("dept2"), as_user("centre1")
    stp = [post.register_dossier()["code"] for _ in range(3)]
    ca = post.register_dossier(department="CA", procedure_code="2.001.008", procedure_name="Cấp CCCD")["code"]
    dept1.ok(dept1.post(f"/api/v1/dossiers/{stp[0]}/return", {"reason_code": "not_eligible"}), 201)
    dept1.ok(
        dept1.post(f"/api/v1/dossiers/{stp[1]}/return", {"reason_code": "citizen_withdrew", "withdrawn": True}), 201
    )
    centre.ok(centre.post(f"/api/v1/dossiers/{stp[2]}/return", {"reason_code": "missing_papers"}), 201)
    dept2.ok(dept2.post(f"/api/v1/dossiers/{ca}/return", {"reason_code": "wrong_authority"}), 201)
    now = datetime.now(UTC)
    period = {"from": (now - timedelta(days=1)).isoformat(), "to": (now + timedelta(hours=1)).isoformat()}
    supervisor = as_user("super1")
    by_department = supervisor.ok(supervisor.get("/api/v1/reports/returns", query_string=period))
    assert by_department["group_by"] == "department"
    assert [(r["key"], r["returned"], r["withdrawn"], r["total"]) for r in by_department["rows"]] == [
        ("STP", 2, 1, 3),
        ("CA", 1, 0, 1),
    ]
    by_procedure = supervisor.ok(
        supervisor.get("/api/v1/reports/returns", query_string={**period, "group_by": "procedure"})
    )
    assert {(r["key"], r["total"]) for r in by_procedure["rows"]} == {("1.001.234", 3), ("2.001.008", 1)}
    earlier = {"from": (now - timedelta(days=9)).isoformat(), "to": (now - timedelta(days=2)).isoformat()}
    assert supervisor.ok(supervisor.get("/api/v1/reports/returns", query_string=earlier))["rows"] == []
    for username in ("post1", "centre1", "dept1"):
        refused(as_user(username).get("/api/v1/reports/returns", query_string=period), 403, "role_not_allowed")
    assert as_user("admin1").get("/api/v1/reports/returns", query_string=period).status_code == 200
    refused(
        supervisor.get("/api/v1/reports/returns", query_string={**period, "group_by": "week"}), 422, "validation_error"
    )
