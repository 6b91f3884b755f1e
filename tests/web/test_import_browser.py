"""The import page in Debian's Chromium on a 360 px phone: choose the file, check it, import."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.imports.exports import export_rows, write_csv
from tracker.dossiers.models import Dossier
from tracker.extensions import db


def committed_dossiers() -> int:
    try:
        return db.session.scalar(select(func.count()).select_from(Dossier))
    finally:
        db.session.rollback()  # never hold SQLite's write lock while the server works


def test_a_centre_clerk_previews_and_imports_a_file_on_a_phone(browser_as, screenshot, tmp_path):
    path = write_csv(tmp_path / "mot-cua.csv", export_rows(60))
    page = browser_as("centre1", width=360, height=740)
    page.goto("/imports")
    page.set_input_files("#file", str(path))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    page.wait_for_selector("#refusals")
    assert "Kiểm tra trước khi nhập" in page.inner_text("h1")
    assert page.locator("#refusals tr.bad").count() == 1
    assert "Ngày tiếp nhận '31/02/2026 08:00'" in page.inner_text("#refusals")
    button = page.get_by_role("button", name="Nhập", exact=True)
    assert button.bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "preview")
    assert committed_dossiers() == 0

    button.click()
    page.wait_for_selector("text=Đã nhập xong")
    assert "59" in page.inner_text("#counts")
    assert committed_dossiers() == 59
