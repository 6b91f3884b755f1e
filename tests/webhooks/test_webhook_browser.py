"""The admin's webhook page and the mail page in Chromium on a 360 px phone: usable and accessible."""

from axe_playwright_python.sync_playwright import Axe

PHONE = {"width": 360, "height": 740}


def small_touch_targets(page) -> list[str]:
    """Buttons, links styled as buttons, fields and checkboxes' labels under 44 px high."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
                'main button, main .button, main input[type=text], main label:has(input)')]
            .filter(e => e.getBoundingClientRect().height < 44)
            .map(e => e.outerHTML.slice(0, 80))"""
    )


def test_an_admin_adds_a_subscription_on_a_phone(browser_as, receiver):
    page = browser_as("admin1", **PHONE)
    page.goto("/administration/webhooks")
    assert small_touch_targets(page) == []
    assert Axe().run(page).violations_count == 0
    page.fill("#url", receiver.url)
    page.get_by_label("item.dispatched").check()
    page.get_by_role("button", name="Thêm đăng ký").click()
    secret = page.input_value("#secret")
    assert secret.startswith("whsec_")
    assert Axe().run(page).violations_count == 0
    page.get_by_role("link", name="Quay lại danh sách webhook").click()
    assert receiver.url in page.content() and secret not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_user_chooses_notification_mail_on_a_phone(browser_as):
    page = browser_as("post1", **PHONE)
    page.goto("/notifications")
    assert small_touch_targets(page) == []
    assert Axe().run(page).violations_count == 0
    page.fill("#email", "sai-dia-chi")
    page.get_by_label("Thư tổng hợp hằng ngày", exact=False).check()
    page.get_by_role("button", name="Lưu").click()
    assert page.input_value("#email") == "sai-dia-chi"  # kept after the refusal
    assert page.get_by_label("Thư tổng hợp hằng ngày", exact=False).is_checked()
    assert Axe().run(page).violations_count == 0
    page.fill("#email", "post1@buudien.vn")
    page.get_by_role("button", name="Lưu").click()
    assert "Đã lưu lựa chọn nhận thư của bạn." in page.content()
