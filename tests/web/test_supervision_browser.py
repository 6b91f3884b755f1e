"""A supervisor, in Chromium: picks a period, reads the table, downloads both exports; edits limits on a phone."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.delays.test_delays_and_reports import history  # noqa: F401  (the fixture)


def test_supervisor_picks_a_period_and_downloads_both_exports(browser_as, history, screenshot):  # noqa: F811
    page = browser_as("super1")
    page.goto("/dashboard")
    page.fill("#period-from", "2026-11-16")
    page.fill("#period-to", "2026-11-20")
    page.select_option("#group-by", "procedure")
    page.click("#period button[type=submit]")
    page.wait_for_load_state()
    row = page.locator("#report tr", has_text="1.001.234")
    assert "Cấp Phiếu lý lịch tư pháp" in row.inner_text() and "66.7%" in row.inner_text()
    page.wait_for_function("[...document.querySelectorAll('.charts img')].every(i => i.complete && i.naturalWidth > 0)")
    screenshot(page, "period")
    with page.expect_download() as xlsx:
        page.click("#export-xlsx")
    assert xlsx.value.suggested_filename.startswith("bao-cao-transit-procedure_20261116-20261121_lap-")
    sheet = load_workbook(io.BytesIO(xlsx.value.path().read_bytes())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[5][:3] == ["Mã thủ tục", "Thủ tục", "Số chặng đã xong"] and rows[6][2] == 3
    with page.expect_download() as download:
        page.click("#export-csv")
    data = open(download.value.path(), "rb").read()  # noqa: SIM115
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][:2] == ["Mã thủ tục", "Thủ tục"] and table[1][2] == "3"


def test_route_limits_fit_a_phone_and_keep_a_refused_edit(browser_as, screenshot):
    phone = browser_as("super1", width=360, height=780)
    phone.goto("/route-limits")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    hours = phone.locator("input[name=limit_hours]").first
    assert hours.bounding_box()["height"] >= 44
    hours.fill("nhiều")
    phone.click("main button[type=submit]")
    phone.wait_for_load_state()
    assert phone.locator("#limits-error").is_visible()
    assert phone.locator("input[name=limit_hours]").first.input_value() == "nhiều"
    screenshot(phone, "route-limits-phone")
