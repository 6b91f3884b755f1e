"""The whole chain: post office -> centre -> department -> centre -> post office -> applicant."""

from datetime import datetime


def test_full_journey_of_a_dossier(as_user):
    post, centre, dept = as_user("post1"), as_user("centre1"), as_user("dept1")

    dossier = post.register_dossier()
    application = post.new_item(dossier["code"], postal_id="RR473124829VN")
    assert post.item(application)["holder"] == "BC-VINH"

    to_centre = post.send("TTHCC", [application], seal_number="SEAL-001")
    in_transit = post.item(application)
    assert in_transit["status"] == "in_transit" and in_transit["holder"] is None

    receipt = centre.receive(to_centre, [application], seal_intact=True)
    assert receipt["transfer"]["status"] == "received"
    assert receipt["missing"] == [] and receipt["unexpected"] == []
    assert centre.item(application)["holder"] == "TTHCC"

    to_department = centre.send("STP", [application])
    dept.receive(to_department, [application])
    assert dept.item(application)["holder"] == "STP"

    result = dept.new_item(dossier["code"], kind="result")
    back_to_centre = dept.send("TTHCC", [result])
    centre.receive(back_to_centre, [result])
    to_post = centre.send("BC-VINH", [result])
    post.receive(to_post, [result])

    delivered = post.ok(post.post(f"/api/v1/items/{result}/deliver", {"note": "Trả tận tay"}))
    assert delivered["status"] == "delivered" and delivered["holder"] is None

    detail = post.ok(post.get(f"/api/v1/dossiers/{dossier['code']}"))
    assert detail["status"] == "delivered"
    timelines = {item["code"]: [event["kind"] for event in item["events"]] for item in detail["items"]}
    assert timelines[application] == [
        "registered",
        "packed",
        "dispatched",
        "received",
        "packed",
        "dispatched",
        "received",
    ]
    assert timelines[result] == [
        "registered",
        "packed",
        "dispatched",
        "received",
        "packed",
        "dispatched",
        "received",
        "delivered",
    ]
    units = [event["unit"] for event in detail["items"][1]["events"]]
    assert units == ["STP", "STP", "STP", "TTHCC", "TTHCC", "TTHCC", "BC-VINH", "BC-VINH"]


def test_scanning_the_postal_id_finds_the_item(as_user):
    post = as_user("post1")
    dossier = post.register_dossier()
    item = post.new_item(dossier["code"], postal_id="rr473124829vn")
    found = post.item("RR473124829VN")
    assert found["code"] == item and found["postal_id"] == "RR473124829VN"
    transfer = post.open_transfer("TTHCC")
    assert post.add(transfer, "RR473124829VN")["item"]["code"] == item


def test_events_carry_actor_unit_device_time_and_server_time(as_user, hours_ago, now):
    post = as_user("post1")
    dossier = post.register_dossier()
    item = post.new_item(dossier["code"])
    transfer = post.open_transfer("TTHCC")
    scanned_at = hours_ago(3)
    post.add(transfer, item, occurred_at=scanned_at.isoformat(), device_id="PDA-07")
    events = post.item(item)["events"]
    # The timeline follows when things happened on the device, not when they were uploaded.
    assert [e["kind"] for e in events] == ["packed", "registered"]
    packed = events[0]
    assert packed["actor"] == "post1" and packed["unit"] == "BC-VINH" and packed["transfer"] == transfer
    assert packed["device_id"] == "PDA-07"
    assert packed["occurred_at"].endswith("+07:00")
    assert datetime.fromisoformat(packed["occurred_at"]) == scanned_at
    assert datetime.fromisoformat(packed["recorded_at"]) >= now


def test_receipt_with_missing_unexpected_and_damaged_items(as_user):
    post, centre = as_user("post1"), as_user("centre1")
    dossiers = [post.register_dossier() for _ in range(4)]
    a, b, c, stray = (post.new_item(d["code"]) for d in dossiers)
    transfer = post.send("TTHCC", [a, b, c])
    other = post.send("TTHCC", [stray])  # travels separately but is found in the first bag

    receipt = centre.receive(transfer, [a, stray], damaged=[c], seal_intact=False, note="Niêm phong bị rách")
    assert receipt["transfer"]["status"] == "received_with_discrepancies"
    assert receipt["missing"] == [b]
    assert receipt["unexpected"] == [stray]
    assert receipt["damaged"] == [c]
    assert receipt["transfer"]["seal_intact"] is False

    missing = centre.item(b)
    assert missing["status"] == "missing" and missing["holder"] is None
    assert centre.item(c)["holder"] == "TTHCC"
    assert centre.item(stray)["holder"] == "TTHCC"
    assert [e["kind"] for e in centre.item(c)["events"]][-2:] == ["received", "damaged"]

    # The stray item's own transfer then arrives without it: missing from that bag, not lost.
    later = centre.receive(other, [])
    assert later["missing"] == [stray]
    assert centre.item(stray)["status"] == "held"


def test_a_missing_item_found_later_is_held_again(as_user):
    post, centre = as_user("post1"), as_user("centre1")
    a, b = (post.new_item(post.register_dossier()["code"]) for _ in range(2))
    centre.receive(post.send("TTHCC", [a, b]), [a])
    assert centre.item(b)["status"] == "missing"
    # The post office finds it under the counter and sends it again: it cannot pack it,
    # because it no longer holds it; the centre receives it as unexpected in the next bag.
    c = post.new_item(post.register_dossier()["code"])
    receipt = centre.receive(post.send("TTHCC", [c]), [c, b])
    assert receipt["unexpected"] == [b]
    assert centre.item(b)["status"] == "held"
