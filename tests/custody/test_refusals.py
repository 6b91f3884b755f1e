"""Each custody rule refused with a clear 4xx in the one error shape, and nothing written."""

import pytest
from sqlalchemy import func, select

from tracker.custody.models import CustodyEvent, TransferItem
from tracker.domain.codes import CodeKind, new_code
from tracker.extensions import db


def count_rows() -> tuple[int, int]:
    events = db.session.scalar(select(func.count()).select_from(CustodyEvent))
    lines = db.session.scalar(select(func.count()).select_from(TransferItem))
    db.session.rollback()
    return events, lines


def assert_refused(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.json
    error = response.json["error"]
    assert error["code"] == code
    assert error["message"]
    assert isinstance(error["details"], dict)
    return error


def test_wrong_check_character_is_refused_before_lookup(post, item):
    wrong = item[:-1] + ("0" if item[-1] != "0" else "1")
    before = count_rows()
    transfer = post.open_transfer("TTHCC")
    assert_refused(
        post.post(f"/api/v1/transfers/{transfer}/items", {"item_code": wrong}), 422, "invalid_check_character"
    )
    assert_refused(post.get(f"/api/v1/items/{wrong}"), 422, "invalid_check_character")
    assert_refused(post.get("/api/v1/items/RR473124828VN"), 422, "invalid_check_character")
    assert count_rows() == before


def test_unknown_codes_are_404(post):
    assert_refused(post.get(f"/api/v1/items/{new_code(CodeKind.ITEM)}"), 404, "item_not_found")
    assert_refused(post.get("/api/v1/items/NOT-A-CODE"), 404, "item_not_found")
    assert_refused(post.get(f"/api/v1/transfers/{new_code(CodeKind.TRANSFER)}"), 404, "transfer_not_found")
    assert_refused(post.get("/api/v1/dossiers/NO-SUCH"), 404, "dossier_not_found")
    assert_refused(post.post("/api/v1/transfers", {"to_unit": "NOWHERE"}), 404, "unit_not_found")


def test_only_the_holder_can_pack_an_item(as_user, item):
    other_post = as_user("post2")
    transfer = other_post.open_transfer("TTHCC")
    before = count_rows()
    assert_refused(other_post.post(f"/api/v1/transfers/{transfer}/items", {"item_code": item}), 409, "item_not_held")
    assert count_rows() == before


def test_an_item_is_in_one_open_transfer_at_most(post, item):
    first, second = post.open_transfer("TTHCC"), post.open_transfer("TTHCC")
    post.add(first, item)
    error = assert_refused(
        post.post(f"/api/v1/transfers/{second}/items", {"item_code": item}), 409, "item_in_another_transfer"
    )
    assert error["details"]["other_transfer"] == first
    assert_refused(post.post(f"/api/v1/transfers/{first}/items", {"item_code": item}), 409, "already_in_transfer")


def test_an_item_in_transit_cannot_be_packed_again(post, item):
    post.send("TTHCC", [item])
    assert_refused(
        post.post(f"/api/v1/transfers/{post.open_transfer('STP')}/items", {"item_code": item}), 409, "item_not_held"
    )


def test_a_transfer_is_dispatched_with_items_and_only_once(post, item):
    transfer = post.open_transfer("TTHCC")
    assert_refused(post.post(f"/api/v1/transfers/{transfer}/dispatch"), 409, "transfer_empty")
    post.add(transfer, item)
    post.dispatch(transfer)
    before = count_rows()
    assert_refused(post.post(f"/api/v1/transfers/{transfer}/dispatch"), 409, "transfer_state_conflict")
    other = post.new_item(post.register_dossier()["code"])
    before = count_rows()
    assert_refused(
        post.post(f"/api/v1/transfers/{transfer}/items", {"item_code": other}), 409, "transfer_state_conflict"
    )
    assert_refused(post.delete(f"/api/v1/transfers/{transfer}/items/{item}"), 409, "transfer_state_conflict")
    assert count_rows() == before


def test_only_the_addressee_receives_and_only_once(as_user, post, item):
    transfer = post.send("TTHCC", [item])
    before = count_rows()
    assert_refused(
        as_user("dept1").post(f"/api/v1/transfers/{transfer}/receive", {"scanned": [item]}), 403, "outside_own_unit"
    )
    assert_refused(post.post(f"/api/v1/transfers/{transfer}/receive", {"scanned": [item]}), 403, "outside_own_unit")
    assert count_rows() == before
    centre = as_user("centre1")
    centre.receive(transfer, [item])
    before = count_rows()
    assert_refused(
        centre.post(f"/api/v1/transfers/{transfer}/receive", {"scanned": [item]}), 409, "transfer_state_conflict"
    )
    assert count_rows() == before


def test_a_draft_cannot_be_received(as_user, post, item):
    transfer = post.open_transfer("TTHCC")
    post.add(transfer, item)
    assert_refused(
        as_user("centre1").post(f"/api/v1/transfers/{transfer}/receive", {"scanned": []}),
        409,
        "transfer_state_conflict",
    )


def test_a_receipt_with_one_bad_code_writes_nothing(as_user, post, item):
    transfer = post.send("TTHCC", [item])
    centre = as_user("centre1")
    before = count_rows()
    bad = new_code(CodeKind.ITEM)
    assert_refused(
        centre.post(f"/api/v1/transfers/{transfer}/receive", {"scanned": [item, bad]}), 404, "item_not_found"
    )
    assert count_rows() == before
    assert centre.item(item)["status"] == "in_transit"
    assert centre.ok(centre.get(f"/api/v1/transfers/{transfer}"))["status"] == "dispatched"


def test_removing_and_cancelling_give_the_item_back(post, item):
    transfer = post.open_transfer("TTHCC")
    post.add(transfer, item)
    detail = post.ok(post.delete(f"/api/v1/transfers/{transfer}/items/{item}"))
    assert detail["items"] == []
    assert post.item(item)["status"] == "held"
    assert_refused(post.delete(f"/api/v1/transfers/{transfer}/items/{item}"), 404, "item_not_in_transfer")
    post.add(transfer, item)
    cancelled = post.ok(post.post(f"/api/v1/transfers/{transfer}/cancel"))
    assert cancelled["status"] == "cancelled"
    assert post.item(item)["transfer"] is None
    post.add(post.open_transfer("TTHCC"), item)


def test_cannot_send_to_own_unit(post):
    assert_refused(post.post("/api/v1/transfers", {"to_unit": "BC-VINH"}), 422, "same_unit")


def test_future_device_time_is_refused(post, item, now):
    from datetime import timedelta

    transfer = post.open_transfer("TTHCC")
    late = (now + timedelta(days=1)).isoformat()
    assert_refused(
        post.post(f"/api/v1/transfers/{transfer}/items", {"item_code": item, "occurred_at": late}),
        422,
        "occurred_at_in_future",
    )


def test_naive_times_are_refused(post):
    error = assert_refused(
        post.post("/api/v1/dossiers", {"received_at": "2026-11-02T08:00:00"}), 422, "validation_error"
    )
    assert "received_at" in error["details"] and "procedure_code" in error["details"]


def test_postal_id_rules(post):
    dossier = post.register_dossier()["code"]
    assert_refused(
        post.post(f"/api/v1/dossiers/{dossier}/items", {"kind": "application", "postal_id": "RR473124828VN"}),
        422,
        "invalid_check_character",
    )
    post.new_item(dossier, postal_id="RR473124829VN")
    assert_refused(
        post.post(f"/api/v1/dossiers/{dossier}/items", {"kind": "application", "postal_id": "RR473124829VN"}),
        409,
        "postal_id_in_use",
    )


def test_delivery_needs_the_item_in_hand(as_user, post, item):
    transfer = post.send("TTHCC", [item])
    assert_refused(post.post(f"/api/v1/items/{item}/deliver"), 409, "item_not_deliverable")
    as_user("centre1").receive(transfer, [item])
    assert_refused(post.post(f"/api/v1/items/{item}/deliver"), 409, "item_not_deliverable")


def test_custody_events_cannot_be_changed_or_deleted(app, post, item):
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    for statement in ("UPDATE custody_events SET note = 'x'", "DELETE FROM custody_events"):
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert count_rows()[0] == 1
