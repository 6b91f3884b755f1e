"""Webhooks end to end: the API, a real receiver on 127.0.0.1, the worker run by its CLI."""

import json
import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update
from standardwebhooks import Webhook

from tests.receivers import at_once, run_worker, subscribe
from tracker.extensions import db
from tracker.outbox.worker import run_pass
from tracker.webhooks.delivery import MAX_ATTEMPTS, retry_delay
from tracker.webhooks.models import WebhookDelivery


def test_only_an_admin_subscribes_and_the_secret_is_shown_once(as_user, receiver):
    admin = as_user("admin1")
    created = subscribe(admin, receiver.url, ["item.dispatched"])
    assert created["secret"].startswith("whsec_")
    Webhook(created["secret"])  # a secret the standardwebhooks package accepts
    listed = admin.ok(admin.get("/api/v1/webhooks"))["items"]
    assert [s["url"] for s in listed] == [receiver.url] and "secret" not in listed[0]
    assert "secret" not in admin.ok(admin.get(f"/api/v1/webhooks/{created['id']}"))
    supervisor = as_user("super1")
    assert supervisor.get("/api/v1/webhooks").status_code == 403
    refused = supervisor.post("/api/v1/webhooks", {"url": receiver.url, "events": ["item.dispatched"]})
    assert refused.status_code == 403 and refused.json["error"]["code"] == "role_not_allowed"
    bad = admin.post("/api/v1/webhooks", {"url": "ftp://x", "events": ["item.teleported"]})
    assert bad.status_code == 422 and set(bad.json["error"]["details"]) == {"url", "events"}
    assert admin.delete(f"/api/v1/webhooks/{created['id']}").status_code == 204
    assert admin.ok(admin.get("/api/v1/webhooks"))["items"] == []
    assert admin.delete(f"/api/v1/webhooks/{created['id']}").status_code == 404


def test_a_dispatch_sends_one_signed_event_per_item(as_user, receiver, runner):
    secret = subscribe(as_user("admin1"), receiver.url, ["item.dispatched"])["secret"]
    post = as_user("post1")
    items = [post.new_item(post.register_dossier()["code"]) for _ in range(3)]
    transfer = post.send("TTHCC", items)
    run_worker(runner)
    run_worker(runner)  # a second pass sends nothing again
    assert len(receiver.requests) == 3
    payloads = [Webhook(secret).verify(r.body, r.headers) for r in receiver.requests]
    assert sorted(p["data"]["item"] for p in payloads) == sorted(items)
    for payload, request in zip(payloads, receiver.requests, strict=True):
        assert payload["type"] == "item.dispatched" and payload["id"] == request.headers["webhook-id"]
        assert payload["data"]["transfer"] == transfer
        assert payload["data"]["from_unit"] == "BC-VINH" and payload["data"]["to_unit"] == "TTHCC"
        assert payload["data"]["dossier"].startswith("000.00.18.H40-")
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 3


def test_a_failing_receiver_gets_the_event_on_the_fourth_try_and_in_order(as_user, receiver, runner, now):
    secret = subscribe(as_user("admin1"), receiver.url, ["item.registered"])["secret"]
    post = as_user("post1")
    dossier = post.register_dossier()["code"]
    first, second = post.new_item(dossier), post.new_item(dossier)
    receiver.statuses = [500, 500, 500]
    run_worker(runner, now.isoformat())
    run_worker(runner, now.isoformat())  # not due yet: no new attempt
    assert len(receiver.requests) == 1
    for hours in (1, 2, 3):
        run_worker(runner, (now + timedelta(hours=hours)).isoformat())
    sent = [Webhook(secret).verify(r.body, r.headers)["data"]["item"] for r in receiver.requests]
    assert sent == [first, first, first, first, second]  # the second waited for the first
    ids = [r.headers["webhook-id"] for r in receiver.requests]
    assert len(set(ids[:4])) == 1 and ids[4] != ids[0]
    admin = as_user("admin1")
    subscription = admin.ok(admin.get("/api/v1/webhooks"))["items"][0]["id"]
    deliveries = admin.ok(admin.get(f"/api/v1/webhooks/{subscription}/deliveries"))["items"]
    assert [(d["status"], d["attempts"], d["last_status"]) for d in deliveries] == [
        ("succeeded", 1, 200),
        ("succeeded", 4, 200),
    ]
    resent = admin.ok(admin.post(f"/api/v1/webhooks/{subscription}/deliveries/{deliveries[1]['id']}/resend"))
    assert resent["status"] == "pending"
    run_worker(runner)
    assert receiver.requests[-1].headers["webhook-id"] == ids[0]


def test_a_receiver_down_for_a_day_is_given_up(as_user, receiver, runner, now):
    subscribe(as_user("admin1"), receiver.url, ["item.registered"])
    post = as_user("post1")
    post.new_item(post.register_dossier()["code"])
    receiver.statuses = [503] * MAX_ATTEMPTS
    moment = now
    for _ in range(MAX_ATTEMPTS):
        run_worker(runner, moment.isoformat())
        moment += timedelta(hours=5)
    delivery = db.session.scalar(select(WebhookDelivery))
    assert (delivery.status, delivery.attempts, delivery.last_status) == ("failed", MAX_ATTEMPTS, 503)
    assert delivery.last_error.startswith("HTTP 503")
    # Retried for at least 24 hours before giving up.
    assert sum((retry_delay(n) for n in range(1, MAX_ATTEMPTS)), timedelta()) >= timedelta(hours=24)


def test_a_refused_change_sends_nothing(as_user, receiver, runner):
    subscribe(as_user("admin1"), receiver.url, ["item.dispatched", "item.registered"])
    post, other = as_user("post1"), as_user("post2")
    item = post.new_item(post.register_dossier()["code"])
    run_worker(runner)
    before = len(receiver.requests)
    empty = post.open_transfer("TTHCC")
    assert post.post(f"/api/v1/transfers/{empty}/dispatch").status_code == 409
    transfer = post.open_transfer("TTHCC")
    post.add(transfer, item)
    assert other.post(f"/api/v1/transfers/{transfer}/dispatch").status_code == 403
    too_late = {"idempotency_key": "k1", "code": transfer, "action": "dispatch", "occurred_at": "2099-01-01T00:00:00Z"}
    assert other.ok(other.post("/api/v1/scans/batch", [too_late]))["refused"] == 1
    run_worker(runner)
    assert len(receiver.requests) == before


def test_several_workers_at_once_never_send_an_event_twice(app, as_user, receiver):
    subscribe(as_user("admin1"), receiver.url, ["item.registered", "item.dispatched"])
    post = as_user("post1")
    items = [post.new_item(post.register_dossier()["code"]) for _ in range(12)]
    post.send("TTHCC", items)
    receiver.delay = 0.02
    assert at_once(app, 3, run_pass) == []
    ids = [r.headers["webhook-id"] for r in receiver.requests]
    assert len(ids) == 24 and len(set(ids)) == 24
    states = db.session.scalars(select(WebhookDelivery.status)).all()
    assert states == ["succeeded"] * 24


def test_deleting_a_subscription_drops_its_pending_deliveries(as_user, receiver, runner):
    admin = as_user("admin1")
    subscription = subscribe(admin, receiver.url, ["item.registered"])
    post = as_user("post1")
    post.new_item(post.register_dossier()["code"])
    receiver.statuses = [500]
    run_worker(runner)
    db.session.execute(update(WebhookDelivery).values(next_attempt_at=WebhookDelivery.created_at))
    db.session.commit()
    assert admin.delete(f"/api/v1/webhooks/{subscription['id']}").status_code == 204
    run_worker(runner)
    assert len(receiver.requests) == 1
    assert json.loads(receiver.requests[0].body)["type"] == "item.registered"


def test_the_receiver_in_the_documentation_verifies_what_the_worker_sends(as_user, receiver, runner):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "connections.md").read_text()
    snippet = next(block for block in re.findall(r"```python\n(.*?)```", doc, re.S) if "def tracker_event" in block)
    secret = subscribe(as_user("admin1"), receiver.url, ["item.registered"])["secret"]
    namespace: dict = {"__name__": "__main__"}
    exec(snippet.replace('"whsec_..."', repr(secret)), namespace)
    documented = namespace["app"].test_client()
    post = as_user("post1")
    post.new_item(post.register_dossier()["code"])
    run_worker(runner)
    sent = receiver.requests[0]
    assert documented.post("/hooks/tracker", data=sent.body, headers=sent.headers).status_code == 204
    forged = {**sent.headers, "webhook-id": "evt_forged"}
    assert documented.post("/hooks/tracker", data=sent.body, headers=forged).status_code == 400
