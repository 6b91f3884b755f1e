"""Handing over properly: seal and bags on dispatch, a dossier's code standing for its packet."""

from datetime import UTC, datetime


def test_dispatch_records_the_seal_number_and_the_bags(as_user):
    post = as_user("post1")
    item = post.new_item(post.register_dossier()["code"])
    transfer = post.send("TTHCC", [item], seal_number="NP-0042", bag_count=2)
    detail = post.ok(post.get(f"/api/v1/transfers/{transfer}"))
    assert (detail["seal_number"], detail["bag_count"]) == ("NP-0042", 2)
    refused = post.post(f"/api/v1/transfers/{post.open_transfer('TTHCC')}/dispatch", {"bag_count": 0})
    assert refused.status_code == 422 and "bag_count" in refused.json["error"]["details"]


def test_an_offline_dispatch_carries_the_seal_and_the_bags(as_user):
    post = as_user("post1")
    item = post.new_item(post.register_dossier()["code"])
    transfer = post.open_transfer("TTHCC")
    post.add(transfer, item)
    scan = {
        "idempotency_key": "dispatch-1", "code": transfer, "action": "dispatch",
        "occurred_at": datetime.now(UTC).isoformat(), "seal_number": "NP-7", "bag_count": 1,
    }  # fmt: skip
    assert post.ok(post.post("/api/v1/scans/batch", [scan]))["applied"] == 1
    assert post.ok(post.get(f"/api/v1/transfers/{transfer}"))["seal_number"] == "NP-7"


def test_a_dossier_code_adds_the_one_packet_the_unit_holds(as_user):
    post = as_user("post1")
    dossier = post.register_dossier()
    item = post.new_item(dossier["code"])
    transfer = post.open_transfer("TTHCC")
    packed = post.add(transfer, dossier["tracking_code"])
    assert packed["item"]["code"] == item
    other = post.register_dossier()
    post.new_item(other["code"])
    post.new_item(other["code"])
    several = post.post(f"/api/v1/transfers/{transfer}/items", {"item_code": other["code"]})
    assert several.status_code == 409 and several.json["error"]["code"] == "several_packets"
    assert len(several.json["error"]["details"]["items"]) == 2
    elsewhere = as_user("post2").post(
        f"/api/v1/transfers/{as_user('post2').open_transfer('TTHCC')}/items", {"item_code": dossier["code"]}
    )
    assert elsewhere.status_code == 409 and elsewhere.json["error"]["code"] == "item_not_held"
