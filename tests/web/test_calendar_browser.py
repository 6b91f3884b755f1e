"""In Chromium: the admin adds a make-up Saturday and a leg across it is measured again."""

import pytest

from tests.pages_support import assert_accessible
from tests.web.test_calendar_admin import leg_across_a_weekend, transit_hours


def test_a_make_up_saturday_measures_a_leg_across_it_again(browser_as, as_user, screenshot):
    leg_across_a_weekend(as_user)
    admin_api = as_user("admin1")
    assert transit_hours(admin_api) == 7
    page = browser_as("admin1")
    page.click("nav >> text=Quản trị")
    page.click("#admin-sections >> text=Lịch làm việc")
    page.goto("/admin/calendar?month=2026-11")
    assert page.get_attribute("#day-2026-11-14", "data-kind") == "weekend"
    assert_accessible(page)
    page.fill("#day", "2026-11-14")
    page.select_option("#kind", "make_up")
    page.fill("#note", "Làm bù cho ngày nghỉ lễ")
    page.click("main button[type=submit]")
    assert page.inner_text("#legs-to-measure") == "1 chặng sẽ được đo lại."
    assert_accessible(page)
    assert transit_hours(admin_api) == 7
    page.click("#confirm")
    page.wait_for_load_state()
    assert page.get_attribute("#day-2026-11-14", "data-kind") == "make_up"
    assert "Làm bù cho ngày nghỉ lễ" in page.inner_text("#days-of-note")
    screenshot(page, "desktop")
    assert transit_hours(admin_api) == 15


@pytest.mark.parametrize(("month", "holiday"), [("2026-09", "2026-09-02"), ("2026-11", "2026-11-24")])
def test_the_month_is_readable_on_a_phone(browser_as, month, holiday, screenshot):
    page = browser_as("admin1", width=360, height=780)
    page.goto(f"/admin/calendar?month={month}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for cell in page.query_selector_all("table.month td"):
        box = cell.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
    assert page.get_attribute(f"#day-{holiday}", "data-kind") == "holiday"
    assert_accessible(page)
    screenshot(page, f"phone-{month}")
