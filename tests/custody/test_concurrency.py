"""Races between clerks, with real concurrent connections: exactly one wins, the other gets 409.

Each thread has its own app context, so its own database connection; a barrier starts
the requests together. On PostgreSQL the row locks decide; on SQLite, BEGIN IMMEDIATE.
"""

import threading

from sqlalchemy import select

from tests.support import ApiClient
from tracker.custody import chain
from tracker.custody.models import Item, Leg
from tracker.extensions import db


def race(app, requests) -> list[int]:
    barrier = threading.Barrier(len(requests))
    statuses = [None] * len(requests)

    def run(index, request):
        with app.app_context():
            barrier.wait()
            statuses[index] = request().status_code

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(statuses)


def test_two_clerks_receiving_the_same_transfer(app, as_user):
    post = as_user("post1")
    items = [post.new_item(post.register_dossier()["code"]) for _ in range(5)]
    for attempt in range(3):
        transfer = post.send("TTHCC", [items[attempt]])
        clerks = [ApiClient.signed_in(app.test_client(), name) for name in ("centre1", "centre2")]
        statuses = race(
            app,
            [
                lambda c=c, t=transfer, i=items[attempt]: c.post(f"/api/v1/transfers/{t}/receive", {"scanned": [i]})
                for c in clerks
            ],
        )
        assert statuses == [200, 409]
        events = clerks[0].item(items[attempt])["events"]
        assert [e["kind"] for e in events].count("received") == 1


def test_two_transfers_claiming_the_same_item(app, as_user):
    post = as_user("post1")
    for _ in range(3):
        item = post.new_item(post.register_dossier()["code"])
        drafts = [post.open_transfer("TTHCC"), post.open_transfer("STP")]
        sessions = [ApiClient.signed_in(app.test_client(), "post1") for _ in drafts]
        statuses = race(
            app,
            [
                lambda s=s, d=d, i=item: s.post(f"/api/v1/transfers/{d}/items", {"item_code": i})
                for s, d in zip(sessions, drafts, strict=True)
            ],
        )
        assert statuses == [201, 409]
        assert [e["kind"] for e in post.item(item)["events"]].count("packed") == 1


def test_two_clerks_packing_into_the_same_draft_count_both(app, as_user):
    """The count answered after a scan holds every line, one scanner's or another's."""
    post = as_user("post1")
    for _ in range(3):
        items = [post.new_item(post.register_dossier()["code"]) for _ in range(2)]
        draft = post.open_transfer("TTHCC")
        sessions = [ApiClient.signed_in(app.test_client(), "post1") for _ in items]
        counts: list[int] = []

        def pack(session, item, draft=draft, counts=counts):
            answer = session.post(f"/api/v1/transfers/{draft}/items", {"item_code": item})
            counts.append(answer.json["item_count"])
            return answer

        statuses = race(app, [lambda s=s, i=i: pack(s, i) for s, i in zip(sessions, items, strict=True)])
        assert statuses == [201, 201]
        assert sorted(counts) == [1, 2]


def test_the_same_idempotency_key_at_the_same_moment(app, as_user):
    post = as_user("post1")
    dossier = post.register_dossier()["code"]
    sessions = [ApiClient.signed_in(app.test_client(), "post1") for _ in range(2)]
    headers = {"Idempotency-Key": "twice-at-once"}
    bodies = []

    def create(session):
        response = session.post(f"/api/v1/dossiers/{dossier}/items", {"kind": "result"}, headers=headers)
        bodies.append(response.json)
        return response

    statuses = race(app, [lambda s=s: create(s) for s in sessions])
    assert statuses == [201, 201]
    assert bodies[0] == bodies[1]
    assert len(post.ok(post.get(f"/api/v1/dossiers/{dossier}"))["items"]) == 1


def open_legs_of(item_code: str) -> list[tuple[str, str]]:
    item = db.session.scalar(select(Item).where(Item.code == item_code))
    legs = db.session.scalars(select(Leg).where(Leg.item_id == item.id, Leg.ended_at.is_(None))).all()
    opened = [(leg.kind, leg.from_unit.code) for leg in legs]
    db.session.rollback()
    return opened


def test_dispatching_a_draft_while_another_unit_claims_its_item(app, as_user):
    """The dispatch and the claim both succeed, one after the other: the item ends held by the
    claimer, out of the draft's journey, with one open dwell leg and every chain whole."""
    post, other_post = as_user("post1"), as_user("post2")
    for _ in range(3):
        stray, kept = (other_post.new_item(other_post.register_dossier()["code"]) for _ in range(2))
        draft = other_post.open_transfer("STP")
        other_post.add(draft, stray)
        other_post.add(draft, kept)
        incoming = post.send("TTHCC", [post.new_item(post.register_dossier()["code"])])
        sender, clerk = (ApiClient.signed_in(app.test_client(), name) for name in ("post2", "centre1"))
        statuses = race(
            app,
            [
                lambda s=sender, d=draft: s.post(f"/api/v1/transfers/{d}/dispatch"),
                lambda c=clerk, t=incoming, i=stray: c.post(f"/api/v1/transfers/{t}/receive", {"scanned": [i]}),
            ],
        )
        assert statuses == [200, 200]
        assert clerk.item(stray)["holder"] == "TTHCC" and clerk.item(stray)["transfer"] is None
        assert clerk.item(kept)["status"] == "in_transit"
        assert open_legs_of(stray) == [("dwell", "TTHCC")]
        assert chain.verify().mismatch is None
        db.session.rollback()
