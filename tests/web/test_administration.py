"""The admin's account and audit pages, and everyone's change-password page, through the test client."""

import re

import pytest

from tests.pages_support import csrf_token_of, sign_in
from tests.support import PASSWORD

GOOD_PASSWORD = "Giay-to-an-toan-9"


def submit(client, path: str, **fields):
    """Post a page's form with its CSRF token, as the browser does."""
    token = csrf_token_of(client.get(path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **fields})


def post_button(client, page: str, action: str, **fields):
    token = csrf_token_of(client.get(page).get_data(as_text=True))
    return client.post(action, data={"csrf_token": token, **fields})


NEW_CLERK = {"username": "dept9", "full_name": "Lê Văn Chín", "role": "department_clerk", "unit": "STP"}


def test_admin_lists_accounts_filtered_by_unit_and_role(page_client):
    admin = page_client("admin1")
    everyone = admin.get("/admin/users").get_data(as_text=True)
    assert "8 tài khoản" in everyone and "dept1" in everyone
    at_centre = admin.get("/admin/users?unit=TTHCC&role=centre_clerk").get_data(as_text=True)
    assert re.findall(r"/admin/users/(\w+)/edit", at_centre) == ["centre1", "centre2"]


@pytest.mark.parametrize("username", ["post1", "centre1", "dept1", "super1"])
def test_only_admins_open_the_administration_pages(page_client, username):
    client = page_client(username)
    for path in ("/admin/users", "/admin/users/new", "/admin/users/dept1/edit", "/admin/audit"):
        assert client.get(path).status_code == 403, path
    assert client.get("/account/password").status_code == 200


def test_a_refused_account_keeps_what_was_typed_and_says_why_next_to_the_field(page_client):
    admin = page_client("admin1")
    weak = submit(admin, "/admin/users/new", **NEW_CLERK, password="short")
    html = weak.get_data(as_text=True)
    assert weak.status_code == 422
    assert 'value="Lê Văn Chín"' in html and 'value="dept9"' in html
    assert re.search(r'id="password-error">Mật khẩu cần ít nhất 10 ký tự', html)
    mismatch = submit(admin, "/admin/users/new", **{**NEW_CLERK, "unit": "BC-VINH"}, password=GOOD_PASSWORD)
    assert mismatch.status_code == 422 and 'id="role-error"' in mismatch.get_data(as_text=True)
    created = submit(admin, "/admin/users/new", **NEW_CLERK, password=GOOD_PASSWORD)
    assert created.status_code == 302 and created.headers["Location"].startswith("/admin/users/dept9/edit")
    taken = submit(admin, "/admin/users/new", **NEW_CLERK, password=GOOD_PASSWORD)
    assert taken.status_code == 422 and "dept9 đã có" in taken.get_data(as_text=True)


def test_admin_edits_and_disables_an_account_and_its_open_page_is_refused(page_client):
    admin, clerk = page_client("admin1"), page_client("dept1")
    moved = submit(admin, "/admin/users/dept1/edit", full_name="Trần Thị Một", role="department_clerk", unit="CA")
    assert moved.status_code == 302
    refused = submit(admin, "/admin/users/dept1/edit", full_name="Trần Thị Một", role="department_clerk", unit="TTHCC")
    assert refused.status_code == 422 and 'value="Trần Thị Một"' in refused.get_data(as_text=True)
    assert clerk.get("/dossiers").status_code == 200
    disabled = post_button(admin, "/admin/users/dept1/edit", "/admin/users/dept1/active", active="0")
    assert disabled.status_code == 302
    assert "Tài khoản này đã bị khoá" in admin.get("/admin/users/dept1/edit").get_data(as_text=True)
    assert clerk.get("/dossiers").headers["Location"].startswith("/sign-in")
    assert sign_in(clerk, "dept1").status_code == 401
    post_button(admin, "/admin/users/dept1/edit", "/admin/users/dept1/active", active="1")
    assert sign_in(clerk, "dept1").status_code == 302
    audit = admin.get("/admin/audit?actor=admin1&target_type=user").get_data(as_text=True)
    assert "3 thay đổi" in audit and "đã khoá" in audit and "Trần Thị Một" in audit


def test_a_reset_password_is_shown_once_and_must_be_changed_at_sign_in(page_client, app):
    admin = page_client("admin1")
    page = post_button(admin, "/admin/users/dept1/edit", "/admin/users/dept1/password-reset")
    assert page.headers["Cache-Control"] == "no-store"
    one_time = re.search(r'id="one-time-password">([^<]+)<', page.get_data(as_text=True)).group(1)
    clerk = app.test_client()
    token = csrf_token_of(clerk.get("/sign-in").get_data(as_text=True))
    signed = clerk.post("/sign-in", data={"csrf_token": token, "username": "dept1", "password": one_time})
    assert signed.status_code == 302
    for path in ("/dossiers", "/"):
        assert clerk.get(path, follow_redirects=True).request.path == "/account/password"
    assert clerk.get("/api/v1/dossiers").json["error"]["code"] == "password_change_required"
    same = submit(clerk, "/account/password", current_password=one_time, new_password=one_time)
    assert same.status_code == 422
    wrong = submit(clerk, "/account/password", current_password="nope", new_password=GOOD_PASSWORD)
    assert 'id="current_password-error">Mật khẩu hiện tại không đúng' in wrong.get_data(as_text=True)
    changed = submit(clerk, "/account/password", current_password=one_time, new_password=GOOD_PASSWORD)
    assert changed.status_code == 302
    assert clerk.get("/dossiers").status_code == 200  # this page stays signed in


def test_changing_my_password_signs_out_my_other_pages(page_client):
    here, elsewhere = page_client("post1"), page_client("post1")
    assert 'href="/account/password"' in here.get("/dossiers").get_data(as_text=True)
    changed = submit(here, "/account/password", current_password=PASSWORD, new_password=GOOD_PASSWORD)
    assert changed.status_code == 302
    assert "Đã đổi mật khẩu" in here.get(changed.headers["Location"]).get_data(as_text=True)
    assert elsewhere.get("/dossiers").status_code == 302


def test_the_audit_log_filters_by_who_what_and_period(page_client, as_user):
    admin_api = as_user("admin1")
    admin_api.post("/api/v1/units", {"code": "BC-CUALO", "name": "Bưu cục Cửa Lò", "kind": "post"})
    admin_api.put("/api/v1/calendar/days", json={"day": "2026-12-26", "working": True, "note": "Làm bù"})
    admin = page_client("admin1")
    everything = admin.get("/admin/audit").get_data(as_text=True)
    assert "2 thay đổi" in everything and "BC-CUALO" in everything and "2026-12-26" in everything
    units_only = admin.get("/admin/audit?target_type=unit").get_data(as_text=True)
    assert "1 thay đổi" in units_only and "2026-12-26" not in units_only
    assert "0 thay đổi" in admin.get("/admin/audit?actor=super1").get_data(as_text=True)
    assert "0 thay đổi" in admin.get("/admin/audit?from=2020-01-01&to=2020-01-31").get_data(as_text=True)
    assert "2 thay đổi" in admin.get("/admin/audit?from=2020-01-01&to=2099-01-31").get_data(as_text=True)


def test_admin_adds_renames_and_deactivates_a_unit_that_holds_nothing(page_client, post, as_user):
    admin = page_client("admin1")
    assert page_client("super1").get("/admin/units").status_code == 403
    refused = submit(admin, "/admin/units", code="BC-VINH", name="Bưu cục trùng mã", kind="post")
    assert refused.status_code == 422 and 'value="Bưu cục trùng mã"' in refused.get_data(as_text=True)
    added = submit(admin, "/admin/units", code="bc-cualo", name="Bưu cục Cửa Lò", kind="post")
    assert added.status_code == 302
    renamed = post_button(admin, "/admin/units", "/admin/units/BC-CUALO", name="Bưu cục thị xã Cửa Lò")
    assert renamed.status_code == 302
    assert 'value="Bưu cục thị xã Cửa Lò"' in admin.get("/admin/units").get_data(as_text=True)
    assert post_button(admin, "/admin/units", "/admin/units/BC-CUALO", active="0").status_code == 302
    assert "BC-CUALO" not in [u["code"] for u in post.get("/api/v1/units").json["items"]]

    post.new_item(post.register_dossier()["code"])  # BC-VINH now holds an item, and has post1
    busy = post_button(admin, "/admin/units", "/admin/units/BC-VINH", active="0")
    assert busy.status_code == 422 and "còn 1 gói hồ sơ" in busy.get_data(as_text=True)
    audit = admin.get("/admin/audit?target_type=unit").get_data(as_text=True)
    assert "3 thay đổi" in audit and "đã tạo" in audit and "đã sửa" in audit and "đã khoá" in audit


def test_the_route_limits_page_shows_their_recent_changes(page_client, as_user):
    supervisor_api = as_user("super1")
    rules = supervisor_api.get("/api/v1/sla-rules").json["rules"]
    override = {"leg_kind": "transit", "from_unit": "BC-VINH", "to_unit": "TTHCC", "limit_hours": 20}
    assert supervisor_api.put("/api/v1/sla-rules", json={"rules": [*rules, override]}).status_code == 200
    page = page_client("super1").get("/route-limits").get_data(as_text=True)
    history = page[page.index('id="limit-history"') :]
    assert "super1" in history and "BC-VINH" in history and "20.0 giờ làm việc" in history
    assert "/admin/audit" not in history  # the audit log is for admins
    assert "/admin/audit?target_type=route_limits" in page_client("admin1").get("/route-limits").get_data(as_text=True)


def test_owners_and_admins_revoke_tokens_from_the_pages(page_client, as_user):
    scanner, script = as_user("post1"), as_user("post1")
    mine = page_client("post1")
    page = mine.get("/account/password").get_data(as_text=True)
    revoke_paths = re.findall(r'action="(/account/tokens/\d+/revoke)"', page)
    assert len(revoke_paths) == 2
    assert post_button(mine, "/account/password", revoke_paths[0]).status_code == 302
    assert sorted(api.get("/api/v1/users/me").status_code for api in (scanner, script)) == [200, 401]
    assert post_button(page_client("post2"), "/account/password", revoke_paths[1]).status_code == 404

    admin = page_client("admin1")
    page = admin.get("/admin/users/post1/edit").get_data(as_text=True)
    [admin_path] = re.findall(r'action="(/admin/users/post1/tokens/\d+/revoke)"', page)
    assert post_button(admin, "/admin/users/post1/edit", admin_path).status_code == 302
    assert [api.get("/api/v1/users/me").status_code for api in (scanner, script)] == [401, 401]
    assert "Không có token nào đang dùng." in admin.get("/admin/users/post1/edit").get_data(as_text=True)


ADMIN_PAGES = ["/admin/users", "/admin/units", "/admin/calendar", "/admin/procedures", "/imports",
               "/administration/webhooks", "/admin/audit"]  # fmt: skip


def nav_links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', re.search(r"<nav.*?</nav>", html, re.S).group(0))


def test_the_admin_pages_are_one_entry_of_the_navigation(page_client):
    admin = page_client("admin1")
    home = admin.get("/admin").get_data(as_text=True)
    assert "/admin" in nav_links(home) and not set(ADMIN_PAGES) & set(nav_links(home))
    listed = re.search(r'<ul class="sections" id="admin-sections">.*?</ul>', home, re.S).group(0)
    assert re.findall(r'href="([^"]+)"', listed) == ADMIN_PAGES
    assert "Ngày lễ, ngày nghỉ và ngày làm bù" in listed
    for path in ADMIN_PAGES:  # each says it is part of the administration
        page = admin.get(path).get_data(as_text=True)
        assert re.search(r'<a href="/admin" class="active" aria-current="page">Quản trị</a>', page), path
    assert "/imports" in nav_links(page_client("centre1").get("/dossiers").get_data(as_text=True))
    assert page_client("super1").get("/admin").status_code == 403
