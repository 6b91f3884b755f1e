"""A postal worker registers a dossier at a 360 px phone, through the pages only, and prints its papers."""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

from tests.pdf_tools import codes_per_page, pdf_text

S10 = "EE123456785VN"
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in found if v["impact"] in ("serious", "critical")]


def test_a_postal_worker_registers_a_dossier_without_a_code_on_a_phone(browser_as, procedure, screenshot):
    page = browser_as("post1", width=360, height=780)
    assert page.url.endswith("/counter")  # Tiếp nhận is a postal worker's first page
    assert serious_violations(page) == []
    page.fill("#procedure", "ly lich tu phap")
    page.click("text=Chọn thủ tục này")
    page.wait_for_selector("#applicant_name")
    page.fill("#applicant_name", "Trần Thị Thu Hà")
    page.fill("#applicant_phone", "0987 654 321")
    page.fill("#applicant_address", "Số 12, đường Nguyễn Du, TP Vinh")
    page.fill("#copies-2", "2")
    page.fill("#postal_id", "EE123456786VN")  # a misread check digit
    page.press("#postal_id", "Enter")  # the scanner's Enter moves on, it does not save
    assert page.url.endswith("/counter?procedure=ly+lich+tu+phap")
    assert serious_violations(page) == []
    screenshot(page, "intake")
    page.click("text=Lưu và in")
    page.wait_for_selector("#postal_id-error")
    assert "không phải số hiệu S10 hợp lệ" in page.inner_text("#postal_id-error")
    assert page.input_value("#applicant_name") == "Trần Thị Thu Hà" and page.input_value("#copies-2") == "2"
    assert serious_violations(page) == []
    page.fill("#postal_id", S10)
    screenshot(page, "intake-refused")
    page.click("text=Lưu và in")
    page.wait_for_selector("#tracking-code")
    tracking = page.inner_text("#tracking-code")
    assert serious_violations(page) == []
    assert tracking.startswith("HS")
    with page.expect_download() as download:
        page.click("#print-papers")
    pdf = Path(download.value.path()).read_bytes()
    text = pdf_text(pdf)
    assert "PHIẾU GỬI HỒ SƠ THỦ TỤC HÀNH CHÍNH" in text and S10 in text and "Trần Thị Thu Hà" in text
    assert ("CODE128", tracking) in codes_per_page(pdf)[1]
    box = page.locator("#print-papers").bounding_box()
    assert box["height"] >= 44  # a touch target on a phone


def test_the_receipts_qr_address_opens_the_lookup_on_a_phone(browser, live_server, browser_as, procedure, screenshot):
    counter = browser_as("post1", width=360, height=780)
    counter.goto("/counter?procedure=2.001.008")
    counter.fill("#applicant_name", "Trần Thị Thu Hà")
    counter.fill("#applicant_phone", "0987 654 321")
    counter.fill("#applicant_address", "Số 12, đường Nguyễn Du, TP Vinh")
    counter.fill("#postal_id", S10)
    counter.click("text=Lưu và in")
    with counter.expect_download() as download:
        counter.click("#print-papers")
    qr_address = dict(codes_per_page(Path(download.value.path()).read_bytes())[1])["QRCODE"]
    context = browser.new_context(viewport={"width": 360, "height": 780})  # the citizen's phone, not signed in
    try:
        page = context.new_page()
        assert qr_address.startswith(f"{live_server}/tra-cuu/HS")
        page.goto(qr_address)
        assert page.input_value("#code").startswith("HS")
        page.fill("#phone_digits", "4321")
        page.click("main button[type=submit]")
        page.wait_for_selector("#journey")
        assert "Bưu điện đã tiếp nhận" in page.inner_text("#steps") and "Trần" not in page.content()
        assert serious_violations(page) == []
        screenshot(page, "lookup")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing to scroll sideways
    finally:
        context.close()
