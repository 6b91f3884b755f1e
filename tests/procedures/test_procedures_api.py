"""The procedure catalogue through the API: reading for everyone signed in, writing for admins."""

from __future__ import annotations

import pytest

PROCEDURE = {
    "code": "2.001.008",
    "name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
    "department": "STP",
    "processing_days": 10,
    "papers": ["Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Bản chụp CCCD"],
}


@pytest.mark.parametrize(
    ("username", "status"),
    [("post1", 403), ("centre1", 403), ("dept1", 403), ("super1", 403), ("admin1", 201)],
)
def test_only_an_admin_adds_a_procedure(as_user, username, status):
    response = as_user(username).post("/api/v1/procedures", PROCEDURE)
    assert response.status_code == status, response.json
    listed = as_user("post1").get("/api/v1/procedures").json
    assert listed["total"] == (1 if status == 201 else 0)


@pytest.mark.parametrize(("username", "status"), [("post1", 403), ("super1", 403), ("admin1", 200)])
def test_only_an_admin_changes_a_procedure(as_user, username, status):
    as_user("admin1").ok(as_user("admin1").post("/api/v1/procedures", PROCEDURE), 201)
    change = {**PROCEDURE, "processing_days": 7, "papers": ["Tờ khai"]}
    del change["code"]
    response = as_user(username).put("/api/v1/procedures/2.001.008", change)
    assert response.status_code == status, response.json
    shown = as_user("dept1").ok(as_user("dept1").get("/api/v1/procedures/2.001.008"))
    assert shown["processing_days"] == (7 if status == 200 else 10)


def test_catalogue_is_searched_by_code_or_name_without_diacritics(as_user):
    admin = as_user("admin1")
    admin.ok(admin.post("/api/v1/procedures", PROCEDURE), 201)
    admin.ok(admin.post("/api/v1/procedures", {**PROCEDURE, "code": "1.002.804", "name": "Đổi giấy phép lái xe",
                                                "department": "CA", "processing_days": 5}), 201)  # fmt: skip
    post = as_user("post1")
    for query, expected in [("ly lich", ["2.001.008"]), ("Lý LỊCH", ["2.001.008"]), ("doi giay", ["1.002.804"]),
                            ("1.002", ["1.002.804"]), ("", ["1.002.804", "2.001.008"]), ("khong co", [])]:  # fmt: skip
        page = post.ok(post.get("/api/v1/procedures", query_string={"q": query}))
        assert [p["code"] for p in page["items"]] == expected, query
    item = page = post.ok(post.get("/api/v1/procedures", query_string={"q": "lái xe"}))["items"][0]
    assert item == {"code": "1.002.804", "name": "Đổi giấy phép lái xe", "department": "CA", "processing_days": 5,
                    "papers": PROCEDURE["papers"], "active": True}  # fmt: skip


def test_refusals_are_in_the_one_error_shape_and_write_nothing(as_user):
    admin = as_user("admin1")
    admin.ok(admin.post("/api/v1/procedures", PROCEDURE), 201)
    duplicate = admin.post("/api/v1/procedures", PROCEDURE)
    assert duplicate.status_code == 409 and duplicate.json["error"]["code"] == "procedure_exists"
    not_department = admin.post("/api/v1/procedures", {**PROCEDURE, "code": "9.9", "department": "BC-VINH"})
    assert not_department.status_code == 422 and not_department.json["error"]["code"] == "not_a_department"
    bad_days = admin.post("/api/v1/procedures", {**PROCEDURE, "code": "9.8", "processing_days": -1})
    assert bad_days.status_code == 422
    assert admin.get("/api/v1/procedures/9.9").status_code == 404
    assert admin.ok(admin.get("/api/v1/procedures"))["total"] == 1


def test_a_procedure_change_is_in_the_audit_log_with_before_and_after(as_user):
    admin = as_user("admin1")
    admin.ok(admin.post("/api/v1/procedures", PROCEDURE), 201)
    change = {key: value for key, value in PROCEDURE.items() if key != "code"} | {"processing_days": 7}
    admin.ok(admin.put("/api/v1/procedures/2.001.008", change))
    admin.ok(admin.put("/api/v1/procedures/2.001.008", change))  # the same again changes nothing
    entries = admin.ok(admin.get("/api/v1/audit", query_string={"target_type": "procedure"}))["items"]
    assert [entry["action"] for entry in entries] == ["edit", "create"]
    assert entries[0]["before"]["processing_days"] == 10 and entries[0]["after"]["processing_days"] == 7
    assert entries[0]["actor"] == "admin1" and entries[0]["target_key"] == "2.001.008"
