"""An item received where nobody sent it: accepted, recorded against its previous holder, never silent."""

from sqlalchemy import select

from tests.custody.test_refusals import assert_refused, count_rows
from tracker.custody.models import Leg
from tracker.extensions import db


def new_item(api) -> str:
    return api.new_item(api.register_dossier()["code"])


def event_of(api, item: str, kind: str) -> dict:
    events = [event for event in api.item(item)["events"] if event["kind"] == kind]
    assert len(events) == 1, events
    return events[0]


def test_an_item_held_by_another_post_office_is_recorded_against_it(as_user):
    post, other_post, centre = as_user("post1"), as_user("post2"), as_user("centre1")
    stray = new_item(other_post)  # held at BC-DIENCHAU, never sent
    transfer = post.send("TTHCC", [new_item(post)])

    receipt = centre.receive(transfer, [stray])
    assert receipt["unexpected"] == [stray]
    assert receipt["unexpected_items"] == [{"code": stray, "previous_holder": "BC-DIENCHAU", "previous_transfer": None}]

    seen_by_previous_holder = event_of(other_post, stray, "arrived_elsewhere")
    assert seen_by_previous_holder["unit"] == "BC-DIENCHAU"
    assert seen_by_previous_holder["counterpart_unit"] == "TTHCC"
    assert seen_by_previous_holder["related_transfer"] == transfer
    assert seen_by_previous_holder["actor"] == "centre1"
    here = event_of(centre, stray, "received_unexpected")
    assert here["unit"] == "TTHCC" and here["counterpart_unit"] == "BC-DIENCHAU" and here["transfer"] == transfer
    assert centre.item(stray)["holder"] == "TTHCC"


def test_an_item_in_another_units_draft_leaves_the_draft(as_user):
    post, other_post, centre = as_user("post1"), as_user("post2"), as_user("centre1")
    stray = new_item(other_post)
    draft = other_post.open_transfer("STP")
    other_post.add(draft, stray)
    transfer = post.send("TTHCC", [new_item(post)])

    receipt = centre.receive(transfer, [stray])
    origin = {"code": stray, "previous_holder": "BC-DIENCHAU", "previous_transfer": draft}
    assert receipt["unexpected_items"] == [origin]
    assert other_post.get(f"/api/v1/transfers/{draft}").json["items"] == []
    assert event_of(other_post, stray, "arrived_elsewhere")["transfer"] == draft
    assert_refused(other_post.post(f"/api/v1/transfers/{draft}/dispatch"), 409, "transfer_empty")
    assert centre.item(stray)["status"] == "held" and centre.item(stray)["transfer"] is None


def test_an_item_sent_elsewhere_ends_its_transit_leg_as_elsewhere(as_user):
    post, other_post, centre = as_user("post1"), as_user("post2"), as_user("centre1")
    stray = new_item(other_post)
    towards_stp = other_post.send("STP", [stray])
    expected = new_item(post)
    receipt = centre.receive(post.send("TTHCC", [expected]), [expected, stray])
    assert receipt["unexpected_items"][0]["previous_transfer"] == towards_stp
    assert receipt["unexpected_items"][0]["previous_holder"] == "BC-DIENCHAU"

    legs = db.session.scalars(select(Leg).where(Leg.transfer_id.is_not(None)).order_by(Leg.id)).all()
    stray_transit = [leg for leg in legs if leg.to_unit.code == "STP"]
    assert [(leg.outcome, leg.ended_at is not None) for leg in stray_transit] == [("elsewhere", True)]
    open_legs = db.session.scalars(select(Leg).where(Leg.kind != "journey", Leg.ended_at.is_(None))).all()
    db.session.rollback()
    # Every item has exactly one open leg: its dwell where it is now.
    assert sorted(leg.from_unit.code for leg in open_legs) == ["TTHCC", "TTHCC"]

    # STP then receives the bag without it: missing from that transfer, still held by the centre.
    dept = as_user("dept1")
    assert dept.receive(towards_stp, [])["missing"] == [stray]
    assert centre.item(stray)["status"] == "held"


def test_a_missing_item_found_names_the_transfer_it_was_lost_from(as_user):
    post, centre = as_user("post1"), as_user("centre1")
    lost = new_item(post)
    first = post.send("TTHCC", [lost, new_item(post)])
    centre.receive(first, [])
    receipt = centre.receive(post.send("TTHCC", [new_item(post)]), [lost])
    assert receipt["unexpected_items"] == [{"code": lost, "previous_holder": "BC-VINH", "previous_transfer": first}]


def test_a_delivered_item_cannot_be_claimed(as_user):
    post, centre = as_user("post1"), as_user("centre1")
    delivered = post.new_item(post.register_dossier()["code"], kind="result")
    post.ok(post.post(f"/api/v1/items/{delivered}/deliver", {}))
    transfer = post.send("TTHCC", [new_item(post)])
    before = count_rows()
    assert_refused(
        centre.post(f"/api/v1/transfers/{transfer}/receive", {"scanned": [delivered]}), 409, "item_delivered"
    )
    assert count_rows() == before
    assert centre.item(delivered)["status"] == "delivered"


def test_an_item_already_held_by_the_receiver_is_not_an_arrival(as_user):
    post, centre = as_user("post1"), as_user("centre1")
    own = new_item(centre)
    transfer = post.send("TTHCC", [new_item(post)])
    before = count_rows()
    assert_refused(centre.post(f"/api/v1/transfers/{transfer}/receive", {"scanned": [own]}), 409, "item_already_held")
    assert count_rows() == before


def test_a_batch_receive_names_where_the_item_was(as_user, now):
    post, other_post, centre = as_user("post1"), as_user("post2"), as_user("centre1")
    stray = new_item(other_post)
    transfer = post.send("TTHCC", [new_item(post)])
    entry = {
        "idempotency_key": "recv-stray-1", "code": stray, "action": "receive",
        "transfer_code": transfer, "occurred_at": now.isoformat(),
    }  # fmt: skip
    result = centre.ok(centre.post("/api/v1/scans/batch", [entry]))["results"][0]
    assert result["outcome"] == "applied"
    assert result["unexpected"] == {"code": stray, "previous_holder": "BC-DIENCHAU", "previous_transfer": None}
    assert event_of(other_post, stray, "arrived_elsewhere")["counterpart_unit"] == "TTHCC"
