"""Packing, the scan station's every scan: written in Core, it answers and records as the rest."""

from sqlalchemy import func, select

from tracker.auth.models import User
from tracker.custody import packing
from tracker.custody.models import CustodyEvent, Item, Transfer
from tracker.custody.services import Actor
from tracker.extensions import db
from tracker.outbox.models import OutboxEvent


def test_the_answer_names_the_item_its_dossier_and_the_count(post):
    dossier = post.register_dossier()["code"]
    first, second = post.new_item(dossier), post.new_item(dossier, postal_id="RR123456785VN")
    transfer = post.open_transfer("TTHCC")

    assert post.add(transfer, first)["item_count"] == 1
    answer = post.add(transfer, "rr123456785vn")  # by its S10 number, typed in lower case
    assert answer["transfer"] == transfer and answer["item_count"] == 2
    shown = {key: value for key, value in post.item(second).items() if key != "events"}
    assert answer["item"] == shown  # the same fields and values as GET /api/v1/items/<code>
    assert answer["item"]["status"] == "packed" and answer["item"]["holder"] == "BC-VINH"
    assert answer["item"]["transfer"] == transfer and answer["item"]["dossier_code"] == dossier


def test_packing_is_not_announced(post, item):
    """Webhooks hear of handovers, not of a packet put into a draft: packing writes no outbox row."""
    before = db.session.scalar(select(func.count()).select_from(OutboxEvent))
    post.add(post.open_transfer("TTHCC"), item)
    assert db.session.scalar(select(func.count()).select_from(OutboxEvent)) == before
    db.session.rollback()


def test_the_packed_event_extends_the_items_hash_chain(post, item, runner):
    transfer = post.open_transfer("TTHCC")
    post.add(transfer, item)
    events = db.session.scalars(select(CustodyEvent).order_by(CustodyEvent.id)).all()
    registered, packed = events
    assert (packed.kind, packed.previous_hash) == ("packed", registered.content_hash)
    assert db.session.scalar(select(Item.chain_head).where(Item.code == item)) == packed.content_hash
    db.session.rollback()
    assert runner.invoke(args=["custody", "verify"]).exit_code == 0


def test_copies_the_session_already_holds_are_read_again(post, item):
    """A use case that loaded the transfer and the item before packing sees them packed after."""
    transfer_code = post.open_transfer("TTHCC")
    transfer = db.session.scalar(select(Transfer).where(Transfer.code == transfer_code))
    loaded = db.session.scalar(select(Item).where(Item.code == item))
    assert transfer.lines == [] and loaded.status == "held"

    actor = Actor.of(db.session.scalar(select(User).where(User.username == "post1")))
    packing.add_item(actor, transfer_code, item)

    assert [line.item.code for line in transfer.lines] == [item]
    assert (loaded.status, loaded.current_transfer_id) == ("packed", transfer.id)
    db.session.rollback()


def test_the_transfer_keeps_its_count_as_items_come_and_go(post, as_user):
    """Packed +1, taken out -1, taken by an unexpected arrival elsewhere -1; the detail says the same."""
    dossier = post.register_dossier()["code"]
    items = [post.new_item(dossier) for _ in range(3)]
    draft = post.open_transfer("TTHCC")
    assert [post.add(draft, item)["item_count"] for item in items] == [1, 2, 3]
    taken_out = post.ok(post.delete(f"/api/v1/transfers/{draft}/items/{items[0]}"))
    assert taken_out["item_count"] == 2 and len(taken_out["items"]) == 2

    other_post, centre = as_user("post2"), as_user("centre1")
    sent = other_post.send("TTHCC", [other_post.new_item(other_post.register_dossier()["code"])])
    centre.receive(sent, [items[1]])  # turns up at the centre from BC-VINH's draft
    detail = post.ok(post.get(f"/api/v1/transfers/{draft}"))
    assert detail["item_count"] == 1 and [line["item_code"] for line in detail["items"]] == [items[2]]
    assert post.add(draft, items[0])["item_count"] == 2
