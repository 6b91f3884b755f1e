"""The outbox: written with the change it describes, and delays announced once per leg."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from tests.receivers import at_once, run_worker, subscribe
from tracker.extensions import db
from tracker.outbox.models import OutboxEvent
from tracker.outbox.worker import run_pass

VN = timezone(timedelta(hours=7))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=VN)


def recorded() -> list[tuple[str, dict]]:
    db.session.expire_all()
    return [(e.type, e.payload["data"]) for e in db.session.scalars(select(OutboxEvent).order_by(OutboxEvent.id))]


def test_each_custody_fact_is_recorded_with_its_codes(as_user):
    post, centre = as_user("post1"), as_user("centre1")
    dossier = post.register_dossier()["code"]
    kept, lost = post.new_item(dossier, kind="result"), post.new_item(dossier)
    transfer = post.send("TTHCC", [kept, lost])
    centre.receive(transfer, [kept], damaged=[kept])
    centre.ok(centre.post(f"/api/v1/items/{kept}/deliver", {}))
    types = [event_type for event_type, _ in recorded()]
    assert types == [
        "dossier.registered",
        "item.registered",
        "item.registered",
        "item.dispatched",
        "item.dispatched",
        "item.received",
        "item.damaged",
        "item.missing",
        "transfer.received_with_discrepancies",
        "item.delivered",
    ]
    data = dict(recorded())
    assert data["item.missing"] == {
        "dossier": dossier, "item": lost, "item_kind": "application", "unit": "TTHCC",
        "transfer": transfer, "from_unit": "BC-VINH", "to_unit": "TTHCC",
    }  # fmt: skip
    assert data["transfer.received_with_discrepancies"]["missing"] == [lost]
    assert data["transfer.received_with_discrepancies"]["damaged"] == [kept]
    assert data["item.received"]["on_manifest"] is True


def test_a_refused_scan_in_a_batch_records_nothing(as_user):
    post = as_user("post1")
    item = post.new_item(post.register_dossier()["code"])
    before = len(recorded())
    transfer = post.open_transfer("TTHCC")
    batch = [
        {"idempotency_key": "a", "code": item, "action": "add", "transfer_code": transfer,
         "occurred_at": datetime.now(VN).isoformat()},
        {"idempotency_key": "b", "code": transfer, "action": "dispatch", "occurred_at": "2099-01-01T00:00:00Z"},
    ]  # fmt: skip
    assert post.ok(post.post("/api/v1/scans/batch", batch))["refused"] == 1
    assert len(recorded()) == before  # packing is not announced, the refused dispatch wrote nothing


def test_a_leg_over_its_limit_is_announced_once(as_user, receiver, runner):
    subscribe(as_user("admin1"), receiver.url, ["delay.started", "delay.suspected_lost"])
    post = as_user("post1")
    dossier = post.register_dossier(received_at=at(16, 8).isoformat(), due_at=at(30, 17).isoformat())["code"]
    item = post.new_item(dossier, occurred_at=at(16, 8).isoformat())
    transfer = post.open_transfer("TTHCC")
    post.add(transfer, item, occurred_at=at(16, 10).isoformat())
    post.dispatch(transfer, occurred_at=at(16, 10).isoformat())
    run_worker(runner, at(16, 17).isoformat())  # transit 5.5 working hours of 8: not late
    assert receiver.requests == []
    for moment in (at(17, 15), at(17, 15), at(18, 10)):  # 11.5, then 16 hours: late, still not lost
        run_worker(runner, moment.isoformat())
    assert [event_type for _, event_type in receiver.events()] == ["delay.started"]
    for moment in (at(20, 10), at(20, 11)):  # 5.5 + 8 + 8 + 8 + 2.5 = 32 > 3 x 8: suspected lost
        run_worker(runner, moment.isoformat())
    assert [event_type for _, event_type in receiver.events()] == ["delay.started", "delay.suspected_lost"]
    started = dict(recorded())["delay.started"]
    assert started["item"] == item and started["leg"] == "transit" and started["transfer"] == transfer
    assert started["limit_hours"] == 8 and started["elapsed_hours"] == 11.5
    assert (started["from_unit"], started["to_unit"]) == ("BC-VINH", "TTHCC")


def test_workers_passing_at_the_same_moment_announce_a_late_leg_once(app, as_user):
    post = as_user("post1")
    dossier = post.register_dossier(received_at=at(16, 8).isoformat(), due_at=at(30, 17).isoformat())["code"]
    item = post.new_item(dossier, occurred_at=at(16, 8).isoformat())
    transfer = post.open_transfer("TTHCC")
    post.add(transfer, item, occurred_at=at(16, 10).isoformat())
    post.dispatch(transfer, occurred_at=at(16, 10).isoformat())
    assert at_once(app, 3, lambda: run_pass(at(17, 15))) == []
    assert [event_type for event_type, _ in recorded()].count("delay.started") == 1


def test_a_failed_delivery_and_a_return_are_announced(as_user):
    post, centre, department = as_user("post1"), as_user("centre1"), as_user("dept1")
    dossier = post.register_dossier()["code"]
    result = post.new_item(dossier, kind="result")
    post.ok(post.post(f"/api/v1/items/{result}/delivery-attempts", {"reason_code": "not_home"}), 201)
    other = post.register_dossier()["code"]
    item = post.new_item(other)
    centre.receive(post.send("TTHCC", [item]), [item])
    department.receive(centre.send("STP", [item]), [item])
    department.ok(department.post(f"/api/v1/dossiers/{other}/return", {"reason_code": "missing_papers"}), 201)
    types = [event_type for event_type, _ in recorded()]
    assert "item.delivery_failed" in types and "dossier.returned" in types


def test_a_pass_gives_sqlite_the_statistics_its_planner_needs(as_user, runner):
    """Without sqlite_stat1, SQLite read every transit leg to find the open ones (delays on a
    100,000-item year: 540 ms instead of 44 ms); PostgreSQL's autovacuum keeps its own."""
    from tests.conftest import on_postgres

    if on_postgres():
        pytest.skip("PostgreSQL gathers its statistics itself")
    post = as_user("post1")
    for _ in range(3):
        post.new_item(post.register_dossier()["code"])
    analysed = "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"
    assert db.session.execute(text(analysed)).scalar() == 0
    run_worker(runner)
    db.session.rollback()
    assert db.session.execute(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'legs'")).scalar() > 0


def test_a_pass_reads_the_late_legs_from_their_index(as_user):
    """A pass looks for newly late legs in a range of the late-at index, read in its order: in the
    order of the legs' ids PostgreSQL walked every leg (1.5-2.1 s a pass on a 1,000,000-item year)."""
    from tests.conftest import on_postgres
    from tracker.database import refresh_planner_statistics
    from tracker.delays.services import planned_from_indexes
    from tracker.outbox.delays import EventType, late_legs_statement

    post = as_user("post1")
    post.new_item(post.register_dossier()["code"])
    refresh_planner_statistics(db.session)  # as every pass does first
    for event_type in (EventType.DELAY_STARTED, EventType.DELAY_SUSPECTED_LOST):
        statement = late_legs_statement(event_type, at(30, 9))
        compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
        if on_postgres():
            with planned_from_indexes():
                plan = " | ".join(row[0] for row in db.session.execute(text(f"EXPLAIN {compiled}")))
            assert "ix_legs_late_at on legs" in plan
            assert "pk_legs on legs" not in plan and "Seq Scan on legs" not in plan
        else:
            plan = " | ".join(row[3] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert "ix_legs_late_at" in plan and "SCAN legs" not in plan
