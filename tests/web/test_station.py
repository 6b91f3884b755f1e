"""The scan station's pages: where transfers go, and cancelling an empty one."""

from tests.pages_support import csrf_token_of


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
