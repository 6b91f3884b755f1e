"""Offline uploads: applied in the order scanned, each entry reported, a resend changes nothing."""

from datetime import timedelta

from sqlalchemy import func, select

from tracker.custody.models import CustodyEvent
from tracker.domain.codes import CodeKind, new_code
from tracker.extensions import db


def entry(key, code, action, at, transfer=None):
    return {
        "idempotency_key": key,
        "code": code,
        "action": action,
        "transfer_code": transfer,
        "occurred_at": at.isoformat(),
        "device_id": "PDA-01",
    }


def event_count() -> int:
    value = db.session.scalar(select(func.count()).select_from(CustodyEvent))
    db.session.rollback()
    return value


def test_batch_is_applied_in_time_order_and_resending_changes_nothing(as_user, hours_ago):
    post = as_user("post1")
    items = [post.new_item(post.register_dossier()["code"]) for _ in range(3)]
    transfer = post.open_transfer("TTHCC")
    batch = [  # uploaded out of order: dispatch comes last in time
        entry("k-dispatch", transfer, "dispatch", hours_ago(1)),
        entry("k-add-0", items[0], "add", hours_ago(3), transfer),
        entry("k-add-1", items[1], "add", hours_ago(2.9), transfer),
        entry("k-add-2", items[2], "add", hours_ago(2.8), transfer),
        entry("k-remove-1", items[1], "remove", hours_ago(2), transfer),
    ]
    answer = post.ok(post.post("/api/v1/scans/batch", batch))
    assert [r["outcome"] for r in answer["results"]] == ["applied"] * 5
    assert [r["idempotency_key"] for r in answer["results"]] == [e["idempotency_key"] for e in batch]
    assert answer["applied"] == 5 and answer["refused"] == 0

    detail = post.ok(post.get(f"/api/v1/transfers/{transfer}"))
    assert detail["status"] == "dispatched"
    assert [line["item_code"] for line in detail["items"]] == [items[0], items[2]]
    assert post.item(items[1])["status"] == "held"

    events = event_count()
    again = post.ok(post.post("/api/v1/scans/batch", batch))
    assert [r["outcome"] for r in again["results"]] == ["duplicate"] * 5
    assert event_count() == events


def test_a_refused_entry_does_not_undo_the_others(as_user, hours_ago):
    post = as_user("post1")
    good = post.new_item(post.register_dossier()["code"])
    later = post.new_item(post.register_dossier()["code"])
    transfer = post.open_transfer("TTHCC")
    unknown = new_code(CodeKind.ITEM)
    misread = good[:-1] + ("0" if good[-1] != "0" else "1")
    batch = [
        entry("a", good, "add", hours_ago(3), transfer),
        entry("b", unknown, "add", hours_ago(2), transfer),
        entry("c", misread, "add", hours_ago(1.5), transfer),
        entry("d", later, "add", hours_ago(1), None),
        entry("e", later, "add", hours_ago(0.5), transfer),
    ]
    answer = post.ok(post.post("/api/v1/scans/batch", {"scans": batch}))
    outcomes = {r["idempotency_key"]: r for r in answer["results"]}
    assert outcomes["a"]["outcome"] == "applied"
    assert outcomes["b"]["error"]["code"] == "item_not_found"
    assert outcomes["c"]["error"]["code"] == "invalid_check_character"
    assert outcomes["d"]["error"]["code"] == "transfer_code_required"
    assert outcomes["e"]["outcome"] == "applied"
    assert (answer["applied"], answer["refused"]) == (2, 3)
    lines = post.ok(post.get(f"/api/v1/transfers/{transfer}"))["items"]
    assert [line["item_code"] for line in lines] == [good, later]


def test_receiving_scan_by_scan_then_closing(as_user, hours_ago):
    post, centre = as_user("post1"), as_user("centre1")
    a, b, c = (post.new_item(post.register_dossier()["code"]) for _ in range(3))
    transfer = post.send("TTHCC", [a, b, c])
    batch = [
        entry("r-a", a, "receive", hours_ago(0.5), transfer),
        entry("r-c", c, "damaged", hours_ago(0.4), transfer),
        entry("close", transfer, "close_receipt", hours_ago(0.1)),
    ]
    answer = centre.ok(centre.post("/api/v1/scans/batch", batch))
    assert answer["applied"] == 3
    detail = centre.ok(centre.get(f"/api/v1/transfers/{transfer}"))
    assert detail["status"] == "received_with_discrepancies"
    outcome = {line["item_code"]: (line["outcome"], line["damaged"]) for line in detail["items"]}
    assert outcome == {a: ("received", False), b: ("missing", False), c: ("received", True)}
    assert centre.item(b)["status"] == "missing"


def test_batch_validation_names_the_bad_fields(as_user, now):
    post = as_user("post1")
    response = post.post("/api/v1/scans/batch", [{"code": "X", "action": "fly", "occurred_at": "yesterday"}])
    assert response.status_code == 422
    details = response.json["error"]["details"]
    assert set(details["scans"]["0"]) == {"idempotency_key", "action", "occurred_at"}
    assert post.post("/api/v1/scans/batch", []).status_code == 422
    too_many = [entry(str(i), "X", "add", now - timedelta(minutes=1)) for i in range(1001)]
    assert post.post("/api/v1/scans/batch", too_many).status_code == 422


def test_an_entry_outside_the_supported_days_is_refused_alone(as_user, hours_ago):
    """A scanner whose clock says 1999: those entries are refused, the valid one is applied, resends too."""
    post = as_user("post1")
    good, stale = (post.new_item(post.register_dossier()["code"]) for _ in range(2))
    transfer = post.open_transfer("TTHCC")
    batch = [
        entry("valid", good, "add", hours_ago(1), transfer),
        {**entry("old-add", stale, "add", hours_ago(1), transfer), "occurred_at": "1999-06-01T08:00:00+07:00"},
        {**entry("old-dispatch", transfer, "dispatch", hours_ago(1)), "occurred_at": "1999-06-01T09:00:00+07:00"},
    ]
    for resend in (False, True):
        answer = post.ok(post.post("/api/v1/scans/batch", batch))
        outcomes = {r["idempotency_key"]: r for r in answer["results"]}
        assert outcomes["valid"]["outcome"] == ("duplicate" if resend else "applied")
        for key in ("old-add", "old-dispatch"):
            assert outcomes[key]["outcome"] == "refused"
            assert outcomes[key]["error"]["code"] == "time_out_of_range"
            assert "occurred_at" in outcomes[key]["error"]["details"]
    detail = post.ok(post.get(f"/api/v1/transfers/{transfer}"))
    assert detail["status"] == "draft"
    assert [line["item_code"] for line in detail["items"]] == [good]
