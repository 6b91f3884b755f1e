"""The admin's webhook pages and the mail page: what they show, in both languages."""

import re

import pytest
from standardwebhooks import Webhook

from tests.pages_support import csrf_token_of
from tests.receivers import run_worker
from tests.web.test_pages import multi_word_messages, visible_text


def form_token(client, path: str) -> str:
    return csrf_token_of(client.get(path).get_data(as_text=True))


def test_an_admin_adds_a_subscription_sees_the_secret_once_and_resends(page_client, as_user, receiver, runner):
    admin = page_client("admin1")
    token = form_token(admin, "/administration/webhooks")
    refused = admin.post("/administration/webhooks", data={"csrf_token": token, "url": "not a url"})
    assert refused.status_code == 422 and 'value="not a url"' in refused.get_data(as_text=True)
    created = admin.post(
        "/administration/webhooks",
        data={
            "csrf_token": token,
            "url": receiver.url,
            "description": "Cổng dịch vụ công",
            "events": ["item.registered"],
        },
    )
    assert created.status_code == 201
    secret = re.search(r'id="secret" value="(whsec_[^"]+)"', created.get_data(as_text=True)).group(1)
    listing = admin.get("/administration/webhooks").get_data(as_text=True)
    assert receiver.url in listing and "Cổng dịch vụ công" in listing and secret not in listing

    post = as_user("post1")
    receiver.statuses = [500]
    post.new_item(post.register_dossier()["code"])
    run_worker(runner)
    subscription_page = re.search(r'href="(/administration/webhooks/\d+)"', listing).group(1)
    page = admin.get(subscription_page).get_data(as_text=True)
    assert "item.registered" in page and "HTTP 500" in page and "chờ gửi" in page
    resend = re.search(r'action="(/administration/webhooks/\d+/deliveries/\d+/resend)"', page).group(1)
    assert admin.post(resend, data={"csrf_token": token}).status_code == 302
    run_worker(runner)
    assert len(receiver.requests) == 2
    Webhook(secret).verify(receiver.requests[1].body, receiver.requests[1].headers)
    assert "đã nhận" in admin.get(subscription_page).get_data(as_text=True)

    delete = re.search(r'action="(/administration/webhooks/\d+/delete)"', listing).group(1)
    assert admin.post(delete, data={"csrf_token": token}).status_code == 302
    assert receiver.url not in admin.get("/administration/webhooks").get_data(as_text=True)


def test_only_admins_open_the_webhook_pages(page_client):
    assert page_client("super1").get("/administration/webhooks").status_code == 403


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_pages_render_in_each_language(page_client, as_user, receiver, runner, language):
    admin = as_user("admin1")
    subscription = admin.ok(admin.post("/api/v1/webhooks", {"url": receiver.url, "events": ["item.registered"]}), 201)[
        "id"
    ]
    post = as_user("post1")
    post.new_item(post.register_dossier()["code"])
    run_worker(runner)
    english_ids = [msgid for msgid, _ in multi_word_messages("vi")]
    vietnamese = [text for _, text in multi_word_messages("vi") if text.count(" ") >= 2]
    pages = [
        ("admin1", "/administration/webhooks"), ("admin1", f"/administration/webhooks/{subscription}"),
        ("post1", "/notifications"), ("super1", "/notifications"),
    ]  # fmt: skip
    for username, path in pages:
        response = page_client(username, language).get(path)
        assert response.status_code == 200, path
        text = visible_text(response.get_data(as_text=True))
        if language == "vi":
            assert [m for m in english_ids if m in text] == [], path
        else:
            assert [m for m in vietnamese if m in text] == [], path
