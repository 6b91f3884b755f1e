"""What my unit holds: the list, its filters and search, working hours against the dwell limit."""

from datetime import timedelta

import pytest

from tests.journey_end import result_at_post
from tests.outcomes.test_results_and_returns import refused
from tests.pages_support import send_at


def holdings(user, **query) -> list[dict]:
    return user.ok(user.get("/api/v1/holdings", query_string=query))["items"]


def test_a_post_office_lists_what_it_holds_with_filters_and_search(as_user):
    post = as_user("post1")
    _, result = result_at_post(as_user)
    _, returned = result_at_post(as_user, "returned")
    dossier = post.register_dossier(applicant_name="Phan Văn Khải")["code"]
    application = post.new_item(dossier, postal_id="RR473124829VN")
    assert {h["item"] for h in holdings(post)} == {result, returned, application}
    mine = {h["item"]: h for h in holdings(post)}[application]
    assert mine["dossier"] == dossier and mine["kind"] == "application" and mine["status"] == "held"
    assert mine["procedure"]["code"] == "1.001.234" and mine["held_since"] and mine["over_limit"] is False
    assert {h["item"] for h in holdings(post, status="awaiting_delivery")} == {result, returned}
    assert [h["item"] for h in holdings(post, status="to_send")] == [application]
    assert [h["item"] for h in holdings(post, status="returned")] == [returned]
    assert [h["item"] for h in holdings(post, kind="result")] == [result]
    for query in ("Khải", "RR473124829VN", dossier, application.lower()):
        assert [h["item"] for h in holdings(post, q=query)] == [application], query
    assert holdings(as_user("post2")) == []
    page = post.ok(post.get("/api/v1/holdings", query_string={"per_page": 2, "page": 2}))
    assert page["total"] == 3 and len(page["items"]) == 1


def test_held_too_long_is_over_the_limit(as_user, now):
    post, centre = as_user("post1"), as_user("centre1")
    item = post.new_item(post.register_dossier()["code"])
    transfer = send_at(post, "TTHCC", [item], now - timedelta(days=10))
    # Received ten days ago too: the centre's dwell limit (working hours) is long past.
    received = {"idempotency_key": "r1", "code": item, "action": "receive", "transfer_code": transfer}
    centre.ok(centre.post("/api/v1/scans/batch", [{**received, "occurred_at": (now - timedelta(days=10)).isoformat()}]))
    (held,) = holdings(centre)
    assert held["item"] == item and held["working_hours_held"] > held["limit_hours"]
    assert held["over_limit"] is True


def test_a_packed_item_shows_its_draft(as_user, post, item):
    transfer = post.open_transfer("TTHCC")
    post.add(transfer, item)
    (held,) = holdings(post)
    assert held["status"] == "packed" and held["transfer"] == transfer


@pytest.mark.parametrize("username", ["post1", "centre1", "dept1"])
def test_every_handler_may_list_its_holdings(as_user, username):
    assert as_user(username).get("/api/v1/holdings").status_code == 200


@pytest.mark.parametrize("username", ["super1", "admin1"])
def test_those_who_hold_nothing_are_refused(as_user, username):
    refused(as_user(username).get("/api/v1/holdings"), 403, "role_not_allowed")


def test_bad_filters_are_refused(post):
    refused(post.get("/api/v1/holdings", query_string={"status": "lost"}), 422, "validation_error")
    refused(post.get("/api/v1/holdings", query_string={"kind": "parcel"}), 422, "validation_error")
