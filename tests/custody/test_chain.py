"""The custody record proves itself: hash chains per item (or transfer), checked by flask custody verify."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from tracker.custody.chain import daily_digests
from tracker.custody.models import CustodyDayDigest, CustodyEvent
from tracker.extensions import db

HEX64 = re.compile(r"^[0-9a-f]{64}$")
MESSAGE = "custody events are append-only: record a correcting event instead"


@contextmanager
def append_only_trigger_dropped():
    """Behind the service's back: the append-only trigger is dropped, then made again."""
    postgres = db.engine.dialect.name == "postgresql"
    if postgres:
        db.session.execute(text("DROP TRIGGER custody_events_append_only ON custody_events"))
    else:
        db.session.execute(text("DROP TRIGGER custody_events_no_update"))
        db.session.execute(text("DROP TRIGGER custody_events_no_delete"))
    db.session.commit()
    try:
        yield
    finally:
        db.session.rollback()
        if postgres:
            db.session.execute(
                text(
                    "CREATE TRIGGER custody_events_append_only BEFORE UPDATE OR DELETE ON custody_events "
                    "FOR EACH ROW EXECUTE FUNCTION custody_events_append_only()"
                )
            )
        else:
            for operation in ("UPDATE", "DELETE"):
                db.session.execute(
                    text(
                        f"CREATE TRIGGER custody_events_no_{operation.lower()} BEFORE {operation} ON custody_events "
                        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                    )
                )
        db.session.commit()


def journey(as_user) -> tuple[str, str, str]:
    """Two items sent to the centre, one received damaged, one missing; a cancelled draft."""
    post, centre = as_user("post1"), as_user("centre1")
    a, b = (post.new_item(post.register_dossier()["code"]) for _ in range(2))
    transfer = post.send("TTHCC", [a, b])
    centre.receive(transfer, [a], damaged=[a], seal_intact=False)
    draft = post.open_transfer("STP")
    post.ok(post.post(f"/api/v1/transfers/{draft}/cancel"))
    return a, b, transfer


def all_events() -> list[CustodyEvent]:
    events = db.session.scalars(select(CustodyEvent).order_by(CustodyEvent.id)).all()
    db.session.rollback()
    return events


def verify(runner, *args: str):
    return runner.invoke(args=["custody", "verify", *args])


def test_each_event_links_to_the_previous_event_of_its_item(as_user):
    a, _b, _transfer = journey(as_user)
    events = as_user("centre1").item(a)["events"]
    by_id = sorted(events, key=lambda event: event["id"])
    assert [event["kind"] for event in by_id] == ["registered", "packed", "dispatched", "received", "damaged"]
    assert all(HEX64.match(event["content_hash"]) for event in by_id)
    assert by_id[0]["previous_hash"] is None
    assert [event["previous_hash"] for event in by_id[1:]] == [event["content_hash"] for event in by_id[:-1]]
    transfer_events = [event for event in all_events() if event.item_id is None]
    # The seal report starts its transfer's chain; the cancelled draft starts its own.
    assert [(event.kind, event.previous_hash) for event in transfer_events] == [
        ("seal_broken", None),
        ("transfer_cancelled", None),
    ]


def day_digests(output: str) -> dict[str, tuple[int, str]]:
    return {
        day: (int(n), root)
        for day, n, root in re.findall(r"(\d{4}-\d{2}-\d{2})\s+(\d+) events\s+([0-9a-f]{64})", output)
    }


def test_verify_passes_and_prints_the_day_digest(as_user, runner):
    journey(as_user)
    result = verify(runner)
    assert result.exit_code == 0, result.output
    events = all_events()
    assert f"Verified {len(events)} custody events in " in result.output
    digests = day_digests(result.output)
    assert len(digests) == 1 and next(iter(digests.values()))[0] == len(events)


def test_verify_names_exactly_the_event_edited_behind_the_services_back(as_user, runner):
    journey(as_user)
    target = all_events()[3]
    with append_only_trigger_dropped():
        db.session.execute(text("UPDATE custody_events SET note = 'sửa lén' WHERE id = :id"), {"id": target.id})
        db.session.commit()
    result = verify(runner)
    assert result.exit_code == 1
    assert f"Custody event {target.id} ({target.kind}, chain item:{target.item_id}) does not match" in result.output
    assert "content no longer matches" in result.output
    assert len(re.findall(r"Custody event \d+", result.output)) == 1


def test_verify_finds_an_event_deleted_behind_the_services_back(as_user, runner):
    journey(as_user)
    events = all_events()
    deleted = events[1]
    following = next(e for e in events if e.item_id == deleted.item_id and e.id > deleted.id)
    with append_only_trigger_dropped():
        db.session.execute(text("DELETE FROM custody_events WHERE id = :id"), {"id": deleted.id})
        db.session.commit()
    result = verify(runner)
    assert result.exit_code == 1
    assert f"Custody event {following.id} ({following.kind}, chain item:{following.item_id})" in result.output
    assert "previous_hash" in result.output


def test_verify_since_a_day_trusts_the_hash_before_it(as_user, runner):
    journey(as_user)
    result = verify(runner, "--since", "2000-01-01")
    assert result.exit_code == 0, result.output
    assert verify(runner, "--since", "2999-01-01").output.startswith("Daily digests")


def test_the_migration_hashes_existing_events_as_the_service_does(as_user, app):
    journey(as_user)
    before = [(event.id, event.content_hash, event.previous_hash) for event in all_events()]
    db.session.remove()
    config = app.extensions["migrate"].migrate.get_config()
    downgrade(revision=ScriptDirectory.from_config(config).get_revision("0006_custody").down_revision)
    upgrade()
    db.session.remove()
    assert [(event.id, event.content_hash, event.previous_hash) for event in all_events()] == before
    with pytest.raises(DatabaseError, match="append-only"):  # the trigger is back
        db.session.execute(text("UPDATE custody_events SET note = 'x'"))
    db.session.rollback()


def test_a_closed_days_digest_is_kept_and_a_later_change_shows_against_it(as_user, runner):
    journey(as_user)
    [(day, (count, root))] = day_digests(verify(runner).output).items()
    assert [(str(d.day), d.events, d.root) for d in daily_digests(7)] == [(day, count, root)]
    assert db.session.get(CustodyDayDigest, date.fromisoformat(day)) is None  # today is not over yet
    the_day_after = datetime.now(UTC) + timedelta(days=1, hours=2)
    assert [d.root for d in daily_digests(7, now=the_day_after)] == [root]
    db.session.commit()
    kept = db.session.get(CustodyDayDigest, date.fromisoformat(day))
    assert (str(kept.day), kept.events, kept.root) == (day, count, root)
    with append_only_trigger_dropped():
        # A forger who rewrites an event's hash too, so that its own link looks whole
        forged = {"id": all_events()[2].id, "hash": "0" * 64}
        db.session.execute(text("UPDATE custody_events SET content_hash = :hash WHERE id = :id"), forged)
        db.session.commit()
    assert day_digests(verify(runner).output)[day][1] != root  # verify sees the record as it is now,
    assert [d.root for d in daily_digests(7, now=the_day_after)] == [root]  # the dashboard what was kept


def test_verify_names_a_transfer_whose_kept_count_is_wrong(as_user, runner):
    _a, _b, transfer = journey(as_user)
    assert verify(runner).exit_code == 0
    db.session.execute(text("UPDATE transfers SET item_count = item_count + 5 WHERE code = :code"), {"code": transfer})
    db.session.commit()
    result = verify(runner)
    assert result.exit_code == 1
    assert f"Transfer {transfer} keeps a count of 7 items but has 2 manifest lines." in result.output
