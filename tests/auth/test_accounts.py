"""Accounts over the API: what an admin may do to them, and what each user may do to their own."""

import pytest
from sqlalchemy import select

from tests.support import PASSWORD, ApiClient
from tracker.audit.models import AuditEntry
from tracker.extensions import db

NEW_CLERK = {"username": "dept9", "full_name": "Lê Văn Chín", "role": "department_clerk", "unit": "STP"}
GOOD_PASSWORD = "Giay-to-an-toan-9"


def audit_trail(target_type: str) -> list[tuple]:
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.target_type == target_type).order_by(AuditEntry.id)
    )
    return [(e.actor.username if e.actor else None, e.action, e.target_key, e.before, e.after) for e in entries]


def test_admin_lists_users_by_unit_and_role(as_user):
    admin = as_user("admin1")
    assert admin.ok(admin.get("/api/v1/users"))["total"] == 8
    at_centre = admin.ok(admin.get("/api/v1/users?unit=TTHCC"))["items"]
    assert [u["username"] for u in at_centre] == ["admin1", "centre1", "centre2", "super1"]
    clerks = admin.ok(admin.get("/api/v1/users?role=department_clerk"))["items"]
    assert [(u["username"], u["active"], u["must_change_password"]) for u in clerks] == [
        ("dept1", True, False),
        ("dept2", True, False),
    ]
    assert admin.get("/api/v1/users?unit=NOWHERE").status_code == 404


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short-9", "10"), ("xx-dept9-xx-long", "username"), ("password123", "common"), ("Matkhau@123", "common")],
)
def test_weak_passwords_are_refused(as_user, password, reason):
    refused = as_user("admin1").post("/api/v1/users", {**NEW_CLERK, "password": password})
    assert refused.status_code == 422 and refused.json["error"]["code"] == "weak_password"
    message = refused.json["error"]["details"]["password"][0]
    assert {"10": "10 ký tự", "username": "tên đăng nhập", "common": "phổ biến"}[reason] in message


def test_admin_creates_edits_disables_and_enables_a_user(as_user, client):
    admin = as_user("admin1")
    created = admin.post("/api/v1/users", {**NEW_CLERK, "password": GOOD_PASSWORD})
    assert created.status_code == 201 and created.json["active"] is True
    assert created.json["must_change_password"] is True  # the admin chose it: the owner replaces it
    assert admin.post("/api/v1/users", {**NEW_CLERK, "password": GOOD_PASSWORD}).status_code == 409
    mismatch = admin.post(
        "/api/v1/users", {**NEW_CLERK, "username": "dept10", "unit": "BC-VINH", "password": GOOD_PASSWORD}
    )
    assert mismatch.json["error"]["code"] == "role_unit_mismatch"

    clerk = ApiClient(
        client, client.post("/api/v1/auth/token", json={"username": "dept9", "password": GOOD_PASSWORD}).json["token"]
    )
    assert clerk.get("/api/v1/users/me").status_code == 200

    assert admin.patch("/api/v1/users/dept9", {"unit": "TTHCC"}).json["error"]["code"] == "role_unit_mismatch"
    moved = admin.patch("/api/v1/users/dept9", {"full_name": "Lê Văn Mười", "unit": "CA"})
    assert moved.status_code == 200 and (moved.json["full_name"], moved.json["unit"]) == ("Lê Văn Mười", "CA")
    promoted = admin.patch("/api/v1/users/dept9", {"role": "supervisor", "unit": "TTHCC"})
    assert promoted.json["role"] == "supervisor"

    assert admin.patch("/api/v1/users/dept9", {"active": False}).json["active"] is False
    assert clerk.get("/api/v1/users/me").status_code == 401  # at once
    again = client.post("/api/v1/auth/token", json={"username": "dept9", "password": GOOD_PASSWORD})
    assert again.status_code == 401
    assert admin.patch("/api/v1/users/dept9", {"active": True}).status_code == 200
    assert clerk.get("/api/v1/users/me").status_code == 401  # old tokens stay dead
    assert client.post("/api/v1/auth/token", json={"username": "dept9", "password": GOOD_PASSWORD}).status_code == 200

    assert [(who, action) for who, action, *_ in audit_trail("user")] == [
        ("admin1", "create"),
        ("admin1", "edit"),
        ("admin1", "edit"),
        ("admin1", "disable"),
        ("admin1", "enable"),
    ]
    first_edit = audit_trail("user")[1]
    assert first_edit[3]["unit"] == "STP" and first_edit[4] == {
        "full_name": "Lê Văn Mười",
        "role": "department_clerk",
        "unit": "CA",
        "active": True,
    }


def test_an_admin_cannot_lock_themselves_out(as_user):
    admin = as_user("admin1")
    for change in ({"active": False}, {"role": "supervisor"}):
        assert admin.patch("/api/v1/users/admin1", change).json["error"]["code"] == "cannot_lock_yourself_out"
    assert admin.patch("/api/v1/users/nobody", {"active": False}).status_code == 404


def test_a_reset_password_must_be_changed_before_anything_else(as_user, client):
    admin, clerk = as_user("admin1"), as_user("dept1")
    reset = admin.post("/api/v1/users/dept1/password-reset")
    assert reset.status_code == 200 and reset.json["username"] == "dept1"
    one_time = reset.json["one_time_password"]
    assert clerk.get("/api/v1/users/me").status_code == 401  # the old token ends
    old = client.post("/api/v1/auth/token", json={"username": "dept1", "password": PASSWORD})
    assert old.status_code == 401

    signed = client.post("/api/v1/auth/token", json={"username": "dept1", "password": one_time})
    fresh = ApiClient(client, signed.json["token"])
    refused = fresh.get("/api/v1/dossiers")
    assert refused.status_code == 403 and refused.json["error"]["code"] == "password_change_required"
    assert fresh.get("/api/v1/users/me").status_code == 200
    weak = fresh.post("/api/v1/users/me/password", {"current_password": one_time, "new_password": "12345678"})
    assert weak.status_code == 422 and "new_password" in weak.json["error"]["details"]
    wrong = fresh.post("/api/v1/users/me/password", {"current_password": "nope", "new_password": GOOD_PASSWORD})
    assert wrong.json["error"]["code"] == "wrong_current_password"
    changed = fresh.post("/api/v1/users/me/password", {"current_password": one_time, "new_password": GOOD_PASSWORD})
    assert changed.status_code == 204
    assert fresh.get("/api/v1/users/me").status_code == 401  # a new password ends every token
    renewed = client.post("/api/v1/auth/token", json={"username": "dept1", "password": GOOD_PASSWORD})
    assert ApiClient(client, renewed.json["token"]).get("/api/v1/dossiers").status_code == 200
    assert [(who, action, key) for who, action, key, *_ in audit_trail("user")] == [
        ("admin1", "reset_password", "dept1")
    ]


@pytest.mark.parametrize("username", ["post1", "centre1", "dept1", "super1", "admin1"])
def test_every_user_changes_their_own_password(as_user, client, username):
    me = as_user(username)
    changed = me.post("/api/v1/users/me/password", {"current_password": PASSWORD, "new_password": GOOD_PASSWORD})
    assert changed.status_code == 204
    assert client.post("/api/v1/auth/token", json={"username": username, "password": GOOD_PASSWORD}).status_code == 200


@pytest.mark.parametrize("username", ["post1", "centre1", "dept1", "super1"])
def test_only_an_admin_administers_accounts(as_user, username):
    user = as_user(username)
    attempts = [
        user.get("/api/v1/users"),
        user.post("/api/v1/users", {**NEW_CLERK, "password": GOOD_PASSWORD}),
        user.patch("/api/v1/users/dept2", {"active": False}),
        user.post("/api/v1/users/dept2/password-reset"),
    ]
    assert [(r.status_code, r.json["error"]["code"]) for r in attempts] == [(403, "role_not_allowed")] * 4


def test_units_route_limits_and_calendar_days_are_audited(as_user):
    admin = as_user("admin1")
    assert (
        admin.post("/api/v1/units", {"code": "BC-CUALO", "name": "Bưu cục Cửa Lò", "kind": "post"}).status_code == 201
    )
    assert audit_trail("unit") == [
        ("admin1", "create", "BC-CUALO", None, {"name": "Bưu cục Cửa Lò", "kind": "post", "active": True})
    ]
    rules = admin.get("/api/v1/sla-rules").json["rules"]
    assert admin.put("/api/v1/sla-rules", json={"rules": rules[:1]}).status_code == 200
    [(who, action, key, before, after)] = audit_trail("route_limits")
    assert (who, action, key) == ("admin1", "replace", "all")
    assert len(before["rules"]) == len(rules) and len(after["rules"]) == 1
    admin.put("/api/v1/calendar/days", json={"day": "2026-12-26", "working": True, "note": "Làm bù"})
    admin.put("/api/v1/calendar/days", json={"day": "2026-12-26", "working": None})
    assert audit_trail("calendar_day") == [
        ("admin1", "set", "2026-12-26", None, {"working": True, "note": "Làm bù"}),
        ("admin1", "set", "2026-12-26", {"working": True, "note": "Làm bù"}, None),
    ]


def test_the_audit_log_over_the_api_is_for_admins(as_user):
    admin = as_user("admin1")
    admin.post("/api/v1/units", {"code": "BC-CUALO", "name": "Bưu cục Cửa Lò", "kind": "post"})
    admin.post("/api/v1/users/dept2/password-reset")
    log = admin.ok(admin.get("/api/v1/audit"))
    assert [(e["actor"], e["action"], e["target_type"], e["target_key"]) for e in log["items"]] == [
        ("admin1", "reset_password", "user", "dept2"),
        ("admin1", "create", "unit", "BC-CUALO"),
    ]
    assert log["items"][1]["after"] == {"name": "Bưu cục Cửa Lò", "kind": "post", "active": True}
    assert log["items"][0]["occurred_at"].endswith("+07:00")
    assert admin.ok(admin.get("/api/v1/audit?target_type=unit"))["total"] == 1
    assert admin.ok(admin.get("/api/v1/audit?actor=super1"))["total"] == 0
    assert admin.ok(admin.get("/api/v1/audit", query_string={"to": "2020-01-01T00:00:00+07:00"}))["total"] == 0
    assert admin.get("/api/v1/audit?from=yesterday").status_code == 422
    for username in ("post1", "centre1", "dept1", "super1"):
        assert as_user(username).get("/api/v1/audit").status_code == 403
