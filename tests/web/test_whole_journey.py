"""The whole journey of a dossier through the pages only, in Chromium: every step a person takes
is a click, a typed field or a scan; the test reads the database and the PDFs only to check.

One dossier goes from the post office's counter to the department and its result back to the
applicant's hands; another is returned unprocessed and its papers travel back to the post.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from tests.pages_support import assert_accessible
from tests.pdf_tools import codes_per_page, pdf_text
from tests.web.test_delivery_browser import draw_signature
from tracker.custody.models import Item
from tracker.dossiers.models import Dossier
from tracker.extensions import db

S10 = "EE123456785VN"
ONE_STOP_CODE = "000.00.18.H40-261125-0042"
DOSSIER_RETURNED = "trả lại, không giải quyết"
APPLICANT, PHONE = "Trần Thị Thu Hà", "0987 654 321"


def packets_of(tracking_code: str) -> dict[str, tuple[str, str | None, str]]:
    """Each packet of the dossier as the server committed it: code -> (kind, holder unit, status)."""
    try:
        dossier = db.session.scalar(select(Dossier).where(Dossier.tracking_code == tracking_code))
        items = db.session.scalars(select(Item).where(Item.dossier_id == dossier.id)).all()
        return {item.code: (item.kind, item.holder.code if item.holder else None, item.status) for item in items}
    finally:
        db.session.rollback()  # end the read at once: SQLite's writer must never wait on the test


def dossier_row(tracking_code: str) -> tuple[str | None, str]:
    try:
        dossier = db.session.scalar(select(Dossier).where(Dossier.tracking_code == tracking_code))
        return dossier.code, dossier.status
    finally:
        db.session.rollback()


def checked(page) -> None:
    """axe finds nothing serious, and on a phone nothing spills off the screen sideways."""
    assert_accessible(page)
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def visit(page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    checked(page)


def scanner_types(page, code: str) -> None:
    """A keyboard-wedge scanner: fast keystrokes and Enter, wherever the focus is."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def register_at_counter(page) -> tuple[str, bytes]:
    """The counter's form, without a mã hồ sơ: (the tracking code the tracker gives, the papers' PDF)."""
    visit(page, "/counter")
    page.fill("#procedure", "ly lich tu phap")
    page.click("text=Chọn thủ tục này")
    page.wait_for_selector("#applicant_name")
    checked(page)
    page.fill("#applicant_name", APPLICANT)
    page.fill("#applicant_phone", PHONE)
    page.fill("#applicant_address", "Số 12, đường Nguyễn Du, TP Vinh")
    page.fill("#originals-1", "1")
    page.fill("#copies-2", "2")
    page.fill("#postal_id", S10)
    assert page.input_value("#code") == ""  # the one-stop system has given no code yet
    page.click("text=Lưu và in")
    page.wait_for_selector("#tracking-code")
    checked(page)
    with page.expect_download() as download:
        page.click("#print-papers")
    return page.inner_text("#tracking-code"), Path(download.value.path()).read_bytes()


def send(page, to_unit: str, code: str, seal: str | None = None) -> str:
    """Open a transfer at /scan, scan the packet in, dispatch it (confirmed, with the seal): its code."""
    visit(page, "/scan")
    page.select_option("#to_unit", to_unit)
    page.click("text=Lập phiếu bàn giao mới")
    page.wait_for_url("**/scan/*")
    transfer = page.url.rsplit("/", 1)[1]
    page.wait_for_load_state("networkidle")
    checked(page)
    scanner_types(page, code)
    page.wait_for_function("document.getElementById('count').textContent === '1'")
    page.click("#dispatch")
    if seal:
        page.fill("#seal-number", seal)
        page.fill("#bag-count", "1")
    checked(page)  # the confirmation dialog
    page.click("#confirm-dispatch-button")
    page.wait_for_selector("#slip")
    checked(page)
    return transfer


def receive(page, transfer: str, code: str) -> None:
    """The checklist at /receive/<transfer>: scan the packet, say the seal is intact, confirm."""
    visit(page, "/receive")
    visit(page, f"/receive/{transfer}")
    scanner_types(page, code)
    page.wait_for_selector(f'#expected tr.ok[data-code="{code}"]')
    page.check('input[name="seal"][value="true"]')  # a named seal is never preselected
    page.click("#confirm")
    page.wait_for_selector("#summary")
    assert page.inner_text("#received-count") == "1" and page.inner_text("#missing-count") == "0"
    checked(page)


def application_packet(tracking: str) -> str:
    return next(code for code, (kind, _, _) in packets_of(tracking).items() if kind == "application")


def test_a_dossier_travels_from_the_counter_to_the_applicants_hands(
    browser, live_server, browser_as, procedure, screenshot
):
    post = browser_as("post1", width=360, height=780)
    tracking, papers = register_at_counter(post)
    assert tracking.startswith("HS")
    text = pdf_text(papers)
    assert "PHIẾU GỬI HỒ SƠ THỦ TỤC HÀNH CHÍNH" in text and S10 in text and APPLICANT in text
    label, receipt = codes_per_page(papers)[:2]
    application = application_packet(tracking)
    assert ("CODE128", application) in label and ("CODE128", tracking) in receipt, (label, receipt)
    assert "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp" in text and "Bản chụp Căn cước công dân" in text
    qr_address = dict(receipt)["QRCODE"]
    assert qr_address == f"{live_server}/tra-cuu/{tracking}"

    to_centre = send(post, "TTHCC", application, seal="NP-VINH-01")
    assert packets_of(tracking)[application][2] == "in_transit"

    centre = browser_as("centre1")
    receive(centre, to_centre, application)
    appointment = date.today() + timedelta(days=21)
    visit(centre, f"/dossiers/{tracking}")
    centre.fill("#attach #code", ONE_STOP_CODE)
    centre.fill("#attach #appointment", appointment.isoformat())
    centre.click("#attach button[type=submit]")
    centre.wait_for_url("**attached=1")
    checked(centre)
    assert ONE_STOP_CODE in centre.inner_text("h1") and ONE_STOP_CODE in centre.inner_text("#revisions")
    assert dossier_row(tracking)[0] == ONE_STOP_CODE
    to_department = send(centre, "STP", application, seal="NP-TT-07")

    dept = browser_as("dept1")
    receive(dept, to_department, application)
    visit(dept, f"/dossiers/{ONE_STOP_CODE}")
    dept.click("#create-result")
    dept.wait_for_url("**result=*")
    checked(dept)
    result = dept.url.rsplit("result=", 1)[1]
    assert packets_of(tracking)[result] == ("result", "STP", "held")

    back_to_centre = send(dept, "TTHCC", result)
    receive(centre, back_to_centre, result)
    back_to_post = send(centre, "BC-VINH", result, seal="NP-TT-08")
    receive(post, back_to_post, result)
    assert packets_of(tracking)[result] == ("result", "BC-VINH", "held")

    visit(post, "/delivery")
    post.fill("#code", result)
    post.press("#code", "Enter")
    post.wait_for_url(f"**/delivery/{result}")
    checked(post)
    post.select_option("#attempt-reason_code", "not_home")
    post.click("#record-attempt")
    post.wait_for_url("**?failed=1")
    assert "Không có nhà" in post.inner_text("#attempts")
    checked(post)
    post.check('input[name="recipient_kind"][value="applicant"]')
    draw_signature(post)
    assert post.input_value("#signature").startswith("data:image/png;base64,")
    post.click("#deliver")
    post.wait_for_selector("#delivered")
    assert f"Đã giao cho {APPLICANT}" in post.inner_text("#delivered")
    checked(post)
    assert packets_of(tracking)[result][2] == "delivered" and dossier_row(tracking)[1] == "delivered"

    visit(post, f"/dossiers/{tracking}")
    packet_steps = post.inner_text(f'[data-item="{application}"] .timeline')
    for step in ("Tiếp nhận", "Bàn giao", "Đã nhận", "Bưu cục Vinh", "Trung tâm Phục vụ", "Sở Tư pháp"):
        assert step in packet_steps, step
    result_steps = post.inner_text(f'[data-item="{result}"] .timeline')
    assert "Phát không thành công" in result_steps and "Không có nhà" in result_steps
    assert "Đã trả cho người nộp" in result_steps
    screenshot(post, "dossier-page")

    citizen = browser.new_context(viewport={"width": 360, "height": 780})  # signed out, on a phone
    try:
        lookup = citizen.new_page()
        lookup.goto(qr_address)
        checked(lookup)
        assert lookup.input_value("#code") == tracking
        lookup.fill("#phone_digits", "4321")
        lookup.click("main button[type=submit]")
        lookup.wait_for_selector("#journey")
        checked(lookup)
        steps = lookup.inner_text("#steps")
        for step in ("Bưu điện đã tiếp nhận", "Đã bàn giao đến Trung tâm", "Đang ở sở, ngành giải quyết",
                     "Đã có kết quả", "Kết quả đang được chuyển trả", "Đã trả kết quả"):  # fmt: skip
            assert step in steps, step
        assert "Kết quả đã được trả." in lookup.inner_text("#result-state")
        assert appointment.strftime("%d/%m/%Y") in lookup.inner_text("#journey")
        shown = lookup.content()
        assert "Trần" not in shown and "654" not in shown and "Nguyễn Du" not in shown
        assert "User " not in shown  # nor who handled it
        screenshot(lookup, "lookup")
    finally:
        citizen.close()


def test_a_dossier_returned_unprocessed_travels_back_to_the_post(browser_as, procedure):
    post = browser_as("post1", width=360, height=780)
    tracking, _ = register_at_counter(post)
    application = application_packet(tracking)
    centre, dept = browser_as("centre1"), browser_as("dept1")
    receive(centre, send(post, "TTHCC", application, seal="NP-VINH-02"), application)
    receive(dept, send(centre, "STP", application), application)

    visit(dept, f"/dossiers/{tracking}")
    assert dept.inner_text("#return-dossier") == "Trả lại / rút hồ sơ"
    dept.click("#return-dossier")
    dept.wait_for_selector("#return-form")
    checked(dept)
    dept.check('input[name="ending"][value="returned"]')
    dept.select_option("#reason_code", "missing_papers")
    dept.fill("#reason_text", "Thiếu bản chụp Căn cước công dân")
    dept.click("#record-return")
    dept.wait_for_url("**returned=*")
    checked(dept)
    returned = dept.url.rsplit("returned=", 1)[1]
    assert dept.inner_text("#dossier-status") == DOSSIER_RETURNED
    assert not dept.locator("#create-result").count()  # a returned dossier gets no result
    assert packets_of(tracking)[returned] == ("returned", "STP", "held")

    receive(centre, send(dept, "TTHCC", returned), returned)
    receive(post, send(centre, "BC-VINH", returned), returned)
    assert packets_of(tracking)[returned] == ("returned", "BC-VINH", "held")
    assert dossier_row(tracking)[1] == "returned"

    visit(post, "/delivery")  # the papers wait at the post to be handed back
    assert returned in post.inner_text("#waiting")
    visit(post, f"/dossiers/{tracking}")
    steps = post.inner_text(f'[data-item="{returned}"] .timeline')
    assert "Thiếu bản chụp Căn cước công dân" in steps or "Thiếu giấy tờ" in steps
