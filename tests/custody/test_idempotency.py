from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tracker.api.models import IdempotencyRecord
from tracker.custody.models import CustodyEvent
from tracker.database import utcnow
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


def test_another_users_key_makes_their_own_request(as_user):
    """A key is the user's own: the same key and body from someone else is not a replay."""
    post1, post2 = as_user("post1"), as_user("post2")
    headers = {"Idempotency-Key": "shared-key-1"}
    first = post1.ok(post1.post("/api/v1/transfers", {"to_unit": "TTHCC"}, headers=headers), 201)
    second = post2.post("/api/v1/transfers", {"to_unit": "TTHCC"}, headers=headers)
    assert second.status_code == 201 and "Idempotent-Replayed" not in second.headers
    assert second.json["code"] != first["code"]
    assert (first["from_unit"], second.json["from_unit"]) == ("BC-VINH", "BC-DIENCHAU")
    again = post2.post("/api/v1/transfers", {"to_unit": "TTHCC"}, headers=headers)
    assert again.headers["Idempotent-Replayed"] == "true" and again.json == second.json


def test_a_key_is_scoped_to_its_endpoint(as_user):
    post = as_user("post1")
    dossier = post.register_dossier()["code"]
    headers = {"Idempotency-Key": "per-endpoint"}
    post.ok(post.post("/api/v1/transfers", {"to_unit": "TTHCC"}, headers=headers), 201)
    item = post.post(f"/api/v1/dossiers/{dossier}/items", {"kind": "application"}, headers=headers)
    assert item.status_code == 201 and "Idempotent-Replayed" not in item.headers


def test_scan_entry_keys_belong_to_their_user(as_user, now):
    post1, post2 = as_user("post1"), as_user("post2")
    for user in (post1, post2):
        item = user.new_item(user.register_dossier()["code"])
        transfer = user.open_transfer("TTHCC")
        entry = {"idempotency_key": "pda-1", "code": item, "action": "add", "transfer_code": transfer}
        answer = user.ok(user.post("/api/v1/scans/batch", [{**entry, "occurred_at": now.isoformat()}]))
        assert answer["applied"] == 1, answer
        assert [line["item_code"] for line in user.ok(user.get(f"/api/v1/transfers/{transfer}"))["items"]] == [item]


@pytest.mark.parametrize("key", ["k" * 129, "has space", "tab\tkey", "khoá"])
def test_a_malformed_key_is_refused_naming_it(as_user, key):
    post = as_user("post1")
    response = post.post("/api/v1/transfers", {"to_unit": "TTHCC"}, headers={"Idempotency-Key": key})
    assert response.status_code == 422, response.json
    assert "Idempotency-Key" in response.json["error"]["details"]
    assert post.ok(post.get("/api/v1/transfers"))["total"] == 0


def test_the_longest_key_is_accepted(as_user):
    post = as_user("post1")
    headers = {"Idempotency-Key": "k" * 128}
    first = post.ok(post.post("/api/v1/transfers", {"to_unit": "TTHCC"}, headers=headers), 201)
    assert post.ok(post.post("/api/v1/transfers", {"to_unit": "TTHCC"}, headers=headers), 201) == first


def test_a_malformed_entry_key_is_refused_naming_it(as_user, now):
    post = as_user("post1")
    entry = {"idempotency_key": "k" * 129, "code": "X", "action": "add", "occurred_at": now.isoformat()}
    response = post.post("/api/v1/scans/batch", [entry])
    assert response.status_code == 422
    assert "idempotency_key" in response.json["error"]["details"]["scans"]["0"]


def test_purge_forgets_keys_older_than_the_retention(app, runner, as_user):
    post = as_user("post1")
    old = post.ok(post.post("/api/v1/transfers", {"to_unit": "TTHCC"}, headers={"Idempotency-Key": "old"}), 201)
    post.ok(post.post("/api/v1/transfers", {"to_unit": "STP"}, headers={"Idempotency-Key": "recent"}), 201)
    record = db.session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == "old"))
    record.created_at = utcnow() - timedelta(days=31)
    db.session.commit()

    result = runner.invoke(args=["idempotency", "purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 idempotency keys older than 30 days" in result.output
    assert db.session.scalars(select(IdempotencyRecord.key)).all() == ["recent"]
    db.session.rollback()
    replay = post.post("/api/v1/transfers", {"to_unit": "STP"}, headers={"Idempotency-Key": "recent"})
    assert replay.headers["Idempotent-Replayed"] == "true"
    made_again = post.ok(post.post("/api/v1/transfers", {"to_unit": "TTHCC"}, headers={"Idempotency-Key": "old"}), 201)
    assert made_again["code"] != old["code"]

    assert runner.invoke(args=["idempotency", "purge", "--older-than-days", "1"]).exit_code == 0
    assert runner.invoke(args=["idempotency", "purge", "--older-than-days", "0"]).exit_code != 0
