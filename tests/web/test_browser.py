"""The pages in Debian's Chromium, headless, against the app served over real HTTP.

Each test types codes and Enter into the scan input as a keyboard-wedge scanner does, and
saves screenshots under test-output/screenshots.
"""

from __future__ import annotations

import subprocess

from sqlalchemy import func, select

from tests.pages_support import sign_in_page
from tracker.auth.models import User
from tracker.custody.models import CustodyEvent, Transfer, TransferItem
from tracker.extensions import db


def new_items(api, count: int) -> list[str]:
    return [api.new_item(api.register_dossier()["code"]) for _ in range(count)]


def scan(page, code: str) -> None:
    page.fill("#scan", code)
    page.press("#scan", "Enter")


def committed_count(transfer_code: str, model, *conditions) -> int:
    """Rows the server has committed for a transfer; the read ends at once, so that SQLite's
    write lock (every transaction here begins IMMEDIATE) never blocks the server."""
    try:
        transfer = db.session.scalar(select(Transfer).where(Transfer.code == transfer_code))
        statement = select(func.count()).select_from(model).where(model.transfer_id == transfer.id, *conditions)
        return db.session.scalar(statement)
    finally:
        db.session.rollback()


def packed_by(transfer_code: str) -> list[str]:
    """Who packed each item into the transfer, by the server's record."""
    try:
        statement = (
            select(User.username)
            .join(CustodyEvent, CustodyEvent.actor_id == User.id)
            .join(Transfer, Transfer.id == CustodyEvent.transfer_id)
            .where(Transfer.code == transfer_code, CustodyEvent.kind == "packed")
        )
        return list(db.session.scalars(statement))
    finally:
        db.session.rollback()


def lines_of(transfer_code: str) -> int:
    return committed_count(transfer_code, TransferItem)


def packed_events(transfer_code: str) -> int:
    return committed_count(transfer_code, CustodyEvent, CustodyEvent.kind == "packed")


def open_station(page, to_unit: str) -> str:
    page.goto("/scan")
    page.select_option("#to_unit", to_unit)
    page.click("text=Lập phiếu bàn giao mới")
    page.wait_for_url("**/scan/*")
    # Chromium applies autofocus at a later frame; a scan typed before it lands only through
    # the burst detection, which a loaded machine's slow keystrokes can defeat.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'scan'")
    return page.url.rsplit("/", 1)[1]


def test_postal_staff_builds_a_transfer_by_scanner_and_dispatches_it(browser_as, post, screenshot, tmp_path):
    first, second, wrong = new_items(post, 3)
    page = browser_as("post1", width=360, height=780)
    transfer = open_station(page, "TTHCC")
    feedback = page.locator("#feedback")

    scan(page, first)
    page.wait_for_selector(f'#lines tr.ok[data-code="{first}"]')
    assert "Đã thêm" in feedback.inner_text() and "feedback ok" in feedback.get_attribute("class")
    assert "Cấp Phiếu lý lịch tư pháp" in feedback.inner_text()  # the procedure, for the clerk to check

    scan(page, "ZZ-NOT-A-CODE")
    page.wait_for_selector("#lines tr.bad")
    assert "feedback bad" in feedback.get_attribute("class")

    scan(page, first)  # the same packet scanned twice
    page.wait_for_function("document.querySelectorAll('#lines tr.bad').length === 2")
    assert "Đã có trong phiếu này" in feedback.inner_text() or "đã có trong phiếu" in feedback.inner_text()

    scan(page, wrong)
    page.wait_for_selector(f'#lines tr.ok[data-code="{wrong}"]')
    page.click(f'button[data-remove="{wrong}"]')  # scanned by mistake: taken out again
    page.wait_for_selector(f'#lines tr[data-code="{wrong}"]', state="detached")

    scan(page, second)
    page.wait_for_function("document.getElementById('count').textContent === '2'")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing spills off a phone
    screenshot(page, "station-phone")

    page.click("#dispatch")  # asks first, with the seal number
    page.fill("#seal-number", "NP-001")
    page.click("#confirm-dispatch-button")
    page.wait_for_selector("#slip")
    with page.expect_download() as download:
        page.click("#slip")
    slip = tmp_path / "slip.pdf"
    download.value.save_as(slip)
    text = subprocess.run(["pdftotext", str(slip), "-"], capture_output=True, text=True, check=True).stdout
    assert transfer in text and first in text and second in text and wrong not in text
    assert "NP-001" in text
    screenshot(page, "dispatched")
    assert lines_of(transfer) == 2


def test_centre_clerk_receives_with_one_missing_and_one_unexpected(browser_as, post, screenshot):
    arrived, lost, stray = new_items(post, 3)
    transfer = post.send("TTHCC", [arrived, lost])
    post.send("TTHCC", [stray])  # travelled in another bag, turns up in this one
    page = browser_as("centre1")
    page.goto("/receive")
    page.click(f"text={transfer}")
    page.wait_for_url(f"**/receive/{transfer}")

    scan(page, arrived)
    page.wait_for_selector(f'#expected tr.ok[data-code="{arrived}"]')
    scan(page, stray)
    page.wait_for_selector(f'#unexpected tr.bad[data-code="{stray}"]')
    assert "Không có trong danh sách phiếu này" in page.inner_text("#feedback")
    page.check('input[name="seal"][value="true"]')
    screenshot(page, "checklist")

    page.reload()  # nothing ticked is lost on a reload
    page.wait_for_selector(f'#expected tr.ok[data-code="{arrived}"]')
    page.click("#confirm")
    page.wait_for_selector("#summary")
    assert page.inner_text("#missing").strip() == lost
    assert page.inner_text("#unexpected").strip() == stray
    assert "Đã nhận, có sai lệch" in page.content()
    screenshot(page, "receipt")


def test_scans_made_offline_are_kept_and_applied_exactly_once(browser_as, post, screenshot):
    items = new_items(post, 3)
    page = browser_as("post1")
    transfer = open_station(page, "TTHCC")
    page.context.set_offline(True)
    for item in items:
        scan(page, item)
    page.wait_for_function("document.getElementById('pending').textContent === '3'")
    assert page.locator("#connection.offline").is_visible()
    assert page.locator("#lines tr.wait").count() == 3
    screenshot(page, "offline")
    assert lines_of(transfer) == 0

    page.close()  # the tab is closed while offline: the scans are kept on the device
    page.context.set_offline(False)
    page = page.context.new_page()
    page.goto(f"/scan/{transfer}")
    page.wait_for_function("document.getElementById('pending').textContent === '0'")
    page.wait_for_function("document.querySelectorAll('#lines tr.ok').length === 3")
    page.reload()  # nothing is sent twice
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#count") == "3"
    assert lines_of(transfer) == 3 and packed_events(transfer) == 3


def one_scan_offline(browser_as, post) -> tuple:
    """post1 scans one item into a new transfer while the connection is down: (page, transfer, item)."""
    item = new_items(post, 1)[0]
    page = browser_as("post1")
    transfer = open_station(page, "TTHCC")
    page.context.set_offline(True)
    scan(page, item)
    page.wait_for_function("document.getElementById('pending').textContent === '1'")
    page.wait_for_selector("#connection.offline")
    return page, transfer, item


def test_connection_back_on_the_same_page_sends_the_waiting_scans(browser_as, post):
    page, transfer, item = one_scan_offline(browser_as, post)
    page.context.set_offline(False)
    page.wait_for_selector(f'#lines tr.ok[data-code="{item}"]')
    assert page.inner_text("#pending") == "0" and lines_of(transfer) == 1


def test_a_scan_waiting_on_a_shared_device_is_sent_only_as_the_person_who_made_it(browser_as, post):
    page, transfer, item = one_scan_offline(browser_as, post)
    page.goto("about:blank")
    page.context.set_offline(False)

    page.goto("/scan")
    page.click("header button[type=submit]")  # sign out; a colleague signs in on the same phone
    sign_in_page(page, "centre1")
    open_station(page, "STP")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#pending") == "0"  # post1's scan is not theirs to send
    assert "centre1" not in packed_by(transfer)

    page.click("header button[type=submit]")
    sign_in_page(page, "post1")
    page.goto(f"/scan/{transfer}")
    page.wait_for_selector(f'#lines tr.ok[data-code="{item}"]')
    page.wait_for_function("document.getElementById('pending').textContent === '0'")
    # Chromium sometimes lets the request held while offline through as post1 leaves the
    # page; either way the scan is recorded once, as post1's.
    assert packed_by(transfer) == ["post1"]


def test_supervisor_sees_the_late_leg_on_the_dashboard(browser_as, late_transfer, screenshot):
    _, item = late_transfer
    page = browser_as("super1")
    page.goto("/dashboard")
    assert page.locator("#delays").get_by_text(item).is_visible()
    page.wait_for_function("[...document.querySelectorAll('.charts img')].every(i => i.complete && i.naturalWidth > 0)")
    screenshot(page, "dashboard")
    page.goto("/language/en?next=/dashboard")
    assert page.locator("h1").inner_text() == "Dashboard"
    phone = browser_as("super1", width=360, height=780)
    phone.goto("/dashboard")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "dashboard-phone")
