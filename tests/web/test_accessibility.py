"""Every page, on a desktop and on a 360 px phone: no serious axe-core finding, thumb-sized
controls on phones, and a scan from a handheld scanner lands wherever the focus is."""

from __future__ import annotations

import pytest

from tests.pages_support import assert_accessible
from tests.web.test_browser import lines_of, new_items, open_station

# Controls a thumb must hit on a phone; links inside running text are exempt, as in WCAG.
CONTROLS = (
    "button:visible, .button:visible, select:visible, input:visible:not([type=hidden]), nav a:visible, td a:visible"
)


def small_controls(page) -> list[str]:
    small = []
    for control in page.locator(CONTROLS).all():
        # A box ticked through its label is as big as the label.
        label = control.locator("xpath=ancestor::label")
        box = (label if label.count() else control).bounding_box()
        if box and box["height"] < 44 - 0.5:
            small.append(f"{control.evaluate('e => e.outerHTML.slice(0, 80)')} is {box['height']:.0f} px high")
    return small


def pages_of(post, centre) -> dict[str, list[str]]:
    """For each user, the pages they use, with real data behind them."""
    packed, sent = new_items(post, 2)
    draft = post.open_transfer("TTHCC")
    post.add(draft, packed)
    coming = post.send("TTHCC", [sent], seal_number="NP-1")
    received = post.send("TTHCC", [post.new_item(post.register_dossier()["code"])])
    centre.receive(received, [])
    dossier = post.item(sent)["dossier_code"]
    return {
        "post1": ["/scan", f"/scan/{draft}", f"/scan/{coming}", "/dossiers", f"/dossiers?q={dossier}",
                  f"/dossiers/{dossier}"],
        "centre1": ["/receive", f"/receive/{coming}", f"/receive/{received}"],
        "super1": ["/dashboard", "/route-limits"],
    }  # fmt: skip


@pytest.mark.parametrize("width", [1280, 360])
def test_every_page_passes_axe_and_has_thumb_sized_controls(browser_as, browser, live_server, as_user, width):
    visits = pages_of(as_user("post1"), as_user("centre1"))
    anonymous = browser.new_context(base_url=live_server, viewport={"width": width, "height": 800}).new_page()
    anonymous.goto("/sign-in")
    assert_accessible(anonymous)
    for username, paths in visits.items():
        page = browser_as(username, width=width, height=800)
        for path in paths:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            assert_accessible(page)
            if width == 360:
                assert small_controls(page) == [], path
                assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    anonymous.context.close()


def test_the_favicon_is_there(client):
    response = client.get("/favicon.ico", follow_redirects=True)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"


def scanner_types(page, code: str) -> None:
    """A keyboard-wedge scanner: fast keystrokes and Enter, into whatever has the focus."""
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def test_after_remove_the_next_scan_lands_without_touching_the_page(browser_as, post):
    first, second = new_items(post, 2)
    page = browser_as("post1", width=360, height=780)
    transfer = open_station(page, "TTHCC")
    scanner_types(page, first)
    page.wait_for_selector(f'#lines tr.ok[data-code="{first}"]')
    page.click(f'button[data-remove="{first}"]')
    page.wait_for_selector(f'#lines tr[data-code="{first}"]', state="detached")
    scanner_types(page, second)
    page.wait_for_selector(f'#lines tr.ok[data-code="{second}"]')
    assert lines_of(transfer) == 1


def test_a_scan_never_presses_the_focused_button(browser_as, post):
    first, second = new_items(post, 2)
    page = browser_as("post1")
    transfer = open_station(page, "TTHCC")
    scanner_types(page, first)
    page.wait_for_selector(f'#lines tr.ok[data-code="{first}"]')
    page.focus("#dispatch")
    scanner_types(page, second)
    page.wait_for_selector(f'#lines tr.ok[data-code="{second}"]')
    assert not page.locator("#confirm-dispatch").is_visible(), "the scan's Enter did not press Dispatch"
    assert post.ok(post.get(f"/api/v1/transfers/{transfer}"))["status"] == "draft"
    assert lines_of(transfer) == 2


def test_a_dispatch_asks_first_and_takes_the_seal(browser_as, post):
    item = new_items(post, 1)[0]
    page = browser_as("post1")
    transfer = open_station(page, "TTHCC")
    scanner_types(page, item)
    page.wait_for_selector(f'#lines tr.ok[data-code="{item}"]')
    page.click("#dispatch")
    page.fill("#seal-number", "NP-2026")
    page.fill("#bag-count", "2")
    page.click("#confirm-dispatch-button")
    page.wait_for_selector("#slip")
    detail = post.ok(post.get(f"/api/v1/transfers/{transfer}"))
    assert (detail["status"], detail["seal_number"], detail["bag_count"]) == ("dispatched", "NP-2026", 2)
