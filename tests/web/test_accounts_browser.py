"""Accounts in Chromium: an admin adds a clerk, the clerk must choose a password, then is disabled."""

from __future__ import annotations

FIRST_PASSWORD = "Lan-dau-dang-nhap-7"
OWN_PASSWORD = "Cua-rieng-toi-2026"


def test_admin_adds_a_clerk_who_must_change_the_password_then_disables_them(
    browser, browser_as, live_server, screenshot
):
    admin = browser_as("admin1")
    admin.click("nav >> text=Quản trị")
    admin.click("#admin-sections >> text=Tài khoản")
    admin.click("text=Thêm tài khoản")
    admin.fill("#username", "dept9")
    admin.fill("#full_name", "Lê Văn Chín")
    admin.select_option("#role", "department_clerk")
    admin.select_option("#unit", "STP")
    admin.fill("#password", FIRST_PASSWORD)
    admin.click("main button[type=submit]")
    admin.wait_for_url("**/admin/users/dept9/edit?saved=1")

    context = browser.new_context(base_url=live_server, viewport={"width": 360, "height": 740})
    context.set_default_timeout(10_000)
    try:
        clerk = context.new_page()
        clerk.goto("/sign-in")
        clerk.fill("#username", "dept9")
        clerk.fill("#password", FIRST_PASSWORD)
        clerk.click("main button[type=submit]")
        clerk.wait_for_url("**/account/password")
        assert "Mật khẩu của bạn do quản trị viên đặt" in clerk.inner_text("main")
        clerk.fill("#current_password", FIRST_PASSWORD)
        clerk.fill("#new_password", OWN_PASSWORD)
        clerk.click("main button[type=submit]")
        assert "Đã đổi mật khẩu" in clerk.inner_text("main")
        screenshot(clerk, "password-changed")
        clerk.goto("/dossiers")
        assert clerk.url.endswith("/dossiers")

        answer = context.request.post("/api/v1/auth/token", data={"username": "dept9", "password": OWN_PASSWORD})
        token = answer.json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert context.request.get("/api/v1/dossiers", headers=headers).status == 200

        admin.click("#disable")
        admin.wait_for_url("**/admin/users/dept9/edit?saved=1")
        assert "Tài khoản này đã bị khoá" in admin.inner_text("main")

        clerk.reload()
        assert "/sign-in" in clerk.url
        refused = context.request.get("/api/v1/dossiers", headers=headers)
        assert refused.status == 401 and refused.json()["error"]["code"] == "invalid_token"
    finally:
        context.close()
