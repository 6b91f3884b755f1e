"""Delivery on a 360 px phone in Chromium: one attempt fails, the next succeeds with a drawn signature."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from tests.journey_end import result_at_post
from tests.pdf_tools import pdf_text


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now, touch targets included."""
    options = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
    results = Axe().run(page, options=options).response["violations"]
    serious = [v for v in results if v["impact"] in ("serious", "critical")]
    return [f"{v['id']}: {[node['target'] for node in v['nodes']]}" for v in serious]


def draw_signature(page) -> None:
    """A signature drawn with the mouse: press, a few strokes, release."""
    pad = page.locator("#signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    left, top = box["x"], box["y"]
    page.mouse.move(left + 20, top + 120)
    page.mouse.down()
    for x, y in ((60, 40), (100, 130), (140, 50), (190, 120), (230, 60), (280, 100)):
        page.mouse.move(left + x, top + y, steps=6)
    page.mouse.up()


def test_post_office_delivers_after_a_failed_attempt_with_a_drawn_signature(browser_as, as_user, screenshot):
    dossier, result = result_at_post(as_user)
    page = browser_as("post1", width=360, height=780)
    page.goto("/delivery")
    page.fill("#code", result)
    page.press("#code", "Enter")
    page.wait_for_url(f"**/delivery/{result}")

    page.select_option("#attempt-reason_code", "not_home")
    page.click("#record-attempt")
    page.wait_for_url("**?failed=1")
    assert "Không có nhà" in page.inner_text("#attempts")

    assert serious_violations(page) == []
    page.check('input[name="recipient_kind"][value="applicant"]')
    draw_signature(page)
    assert page.input_value("#signature").startswith("data:image/png;base64,")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "delivery-phone")
    page.click("#deliver")
    page.wait_for_selector("#delivered")
    assert "Đã giao cho Nguyễn Thị Ngọc Ánh" in page.inner_text("#delivered")

    note = page.request.get(page.get_attribute("#delivery-note", "href"))
    assert note.ok and "Nguyễn Thị Ngọc Ánh" in pdf_text(note.body())

    page.goto(f"/dossiers/{dossier}")
    timeline = page.inner_text(f'[data-item="{result}"] .timeline')
    assert "Phát không thành công" in timeline and "Không có nhà" in timeline
    assert "Đã trả cho người nộp" in timeline
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_violations(page) == []
    screenshot(page, "dossier-after-delivery-phone")
