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


def test_at_its_department_a_dossier_code_asks_for_the_result_first(as_user):
    post, centre, dept = as_user("post1"), as_user("centre1"), as_user("dept1")
    dossier = post.register_dossier()
    packet = post.new_item(dossier["code"])
    centre.receive(post.send("TTHCC", [packet]), [packet])
    dept.receive(centre.send("STP", [packet]), [packet])
    transfer = dept.open_transfer("TTHCC")
    asked = dept.post(f"/api/v1/transfers/{transfer}/items", {"item_code": dossier["code"]})
    assert asked.status_code == 409 and asked.json["error"]["code"] == "result_awaited"
    assert asked.json["error"]["details"] == {"dossier": dossier["code"], "items": [packet]}
    assert dept.ok(dept.get(f"/api/v1/transfers/{transfer}"))["items"] == []  # nothing packed
    assert dept.add(transfer, packet)["item"]["code"] == packet  # its own code still packs it
    # Once the result exists, the code means one of the packets again: the clerk chooses.
    dept.ok(dept.post(f"/api/v1/dossiers/{dossier['code']}/result"), 201)
    several = dept.post(f"/api/v1/transfers/{dept.open_transfer('TTHCC')}/items", {"item_code": dossier["code"]})
    assert several.status_code == 409 and several.json["error"]["code"] == "several_packets"
