from sqlalchemy import func, select

from tracker.custody.models import CustodyEvent
from tracker.dossiers.models import Dossier
from tracker.extensions import db


def count(model) -> int:
    value = db.session.scalar(select(func.count()).select_from(model))
    db.session.rollback()
    return value


def test_a_repeated_post_replays_the_first_answer(as_user):
    post = as_user("post1")
    dossier = post.register_dossier()["code"]
    headers = {"Idempotency-Key": "c0ffee-1"}
    first = post.post(f"/api/v1/dossiers/{dossier}/items", {"kind": "application"}, headers=headers)
    events = count(CustodyEvent)
    again = post.post(f"/api/v1/dossiers/{dossier}/items", {"kind": "application"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert count(CustodyEvent) == events


def test_a_repeated_scan_records_one_event(as_user):
    post = as_user("post1")
    item = post.new_item(post.register_dossier()["code"])
    transfer = post.open_transfer("TTHCC")
    headers = {"Idempotency-Key": "scan-42"}
    answers = [post.post(f"/api/v1/transfers/{transfer}/items", {"item_code": item}, headers=headers) for _ in range(3)]
    assert {a.status_code for a in answers} == {201}
    kinds = [e["kind"] for e in post.item(item)["events"]]
    assert kinds == ["registered", "packed"]


def test_a_key_reused_for_another_request_is_refused(as_user):
    post = as_user("post1")
    headers = {"Idempotency-Key": "same-key"}
    post.ok(post.post("/api/v1/transfers", {"to_unit": "TTHCC"}, headers=headers), 201)
    other = post.post("/api/v1/transfers", {"to_unit": "STP"}, headers=headers)
    assert other.status_code == 422 and other.json["error"]["code"] == "idempotency_key_reused"


def test_a_refused_request_is_not_remembered(as_user):
    post = as_user("post1")
    headers = {"Idempotency-Key": "dossier-1"}
    refused = post.post("/api/v1/dossiers", {"code": "X"}, headers=headers)
    assert refused.status_code == 422
    from tests.support import dossier_payload

    accepted = post.post("/api/v1/dossiers", dossier_payload(code="X-1"), headers={"Idempotency-Key": "dossier-2"})
    assert accepted.status_code == 201
    assert count(Dossier) == 1
