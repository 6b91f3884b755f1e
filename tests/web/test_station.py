"""The scan station's pages: where transfers go, and cancelling an empty one."""

from tests.pages_support import csrf_token_of
from tests.pdf_tools import codes_per_page
from tests.web.test_browser import open_station, scan


def test_the_usual_destinations_come_first(as_user, page_client):
    post = as_user("post1")
    post.send("CA", [post.new_item(post.register_dossier()["code"])])
    page = page_client("post1").get("/scan").get_data(as_text=True)
    options = [code for code in ("TTHCC", "CA", "STP", "BC-DIENCHAU") if f'value="{code}"' in page]
    assert sorted(options, key=lambda code: page.index(f'value="{code}"')) == ["TTHCC", "CA", "BC-DIENCHAU", "STP"]


def test_an_empty_draft_is_cancelled_from_the_page(as_user, page_client):
    transfer = as_user("post1").open_transfer("TTHCC")
    client = page_client("post1")
    page = client.get(f"/scan/{transfer}").get_data(as_text=True)
    assert 'id="cancel-form" hidden' not in page
    response = client.post(f"/scan/{transfer}/cancel", data={"csrf_token": csrf_token_of(page)})
    assert response.status_code == 302
    assert as_user("post1").ok(as_user("post1").get(f"/api/v1/transfers/{transfer}"))["status"] == "cancelled"


def test_the_department_scans_a_dossier_code_and_creates_its_result_there(as_user, browser_as, tmp_path):
    post, centre, dept = as_user("post1"), as_user("centre1"), as_user("dept1")
    dossier = post.register_dossier()["code"]
    packet = post.new_item(dossier)
    centre.receive(post.send("TTHCC", [packet]), [packet])
    dept.receive(centre.send("STP", [packet]), [packet])
    page = browser_as("dept1", width=360, height=780)
    transfer = open_station(page, "TTHCC")
    scan(page, dossier)
    page.wait_for_selector(f'#lines button[data-result="{dossier}"]')
    assert "chưa có bì kết quả" in page.inner_text("#lines") and "Bị từ chối" not in page.inner_text("#lines")
    assert page.locator(f'#lines button[data-choose="{packet}"]').count() == 1  # or send the packet itself
    page.click(f'button[data-result="{dossier}"]')
    row = page.wait_for_selector("#lines tr.ok")
    result = row.get_attribute("data-code")
    assert result != packet and dept.ok(dept.get(f"/api/v1/items/{result}"))["kind"] == "result"
    assert page.evaluate("document.activeElement.id") == "scan"  # ready for the next scan
    with page.expect_download() as download:
        page.click("#lines a:text('In nhãn')")
    label = tmp_path / "label.pdf"
    download.value.save_as(label)
    assert result in [code for page_codes in codes_per_page(label.read_bytes()) for _, code in page_codes]
    assert [line["item_code"] for line in dept.ok(dept.get(f"/api/v1/transfers/{transfer}"))["items"]] == [result]
