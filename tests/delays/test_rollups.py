"""The rollup's reports equal a direct computation over the legs, for random periods and groupings.

A history of items moved through the API with past device times (so every leg closed through
the same code as a real scan kept the rollup); hypothesis then draws periods (whole days,
partial days, a few minutes) and groupings and compares the API's report with figures
computed here in Python from the legs themselves, by nearest rank at minute resolution.
Again once the worker has compacted the closed days and months, after a late leg lands in a
compacted day, after a declared day off and a make-up Saturday, and after a route-limit change.
"""

from __future__ import annotations

import math
import random
import threading
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.support import ApiClient, statements_starting
from tracker.custody.legs import FINISHED
from tracker.custody.models import Leg
from tracker.delays.histograms import WORKING
from tracker.delays.models import CompactedPeriod
from tracker.delays.reports import GROUPINGS, histograms
from tracker.delays.sla import leg_limit_hours
from tracker.delays.trends import on_time_by_week, transit_times_by_route
from tracker.dossiers.models import Dossier
from tracker.extensions import db

VN = timezone(timedelta(hours=7))
BASE = datetime(2026, 9, 28, 0, 0, tzinfo=VN)  # a Monday: the history fills closed days and months
PROCEDURES = [("1.001.234", "STP"), ("2.001.008", "STP"), ("1.002.804", "CA")]
RECEIVERS = {"STP": "dept1", "CA": "dept2"}
_keys = count()


def scan(code: str, action: str, when: datetime, transfer: str | None = None) -> dict:
    return {"idempotency_key": f"r{next(_keys)}", "code": code, "action": action, "transfer_code": transfer,
            "occurred_at": when.isoformat()}  # fmt: skip


def hand_over(sender: ApiClient, receiver: ApiClient, item: str, to_unit: str, sent: datetime, got: datetime) -> None:
    transfer = sender.open_transfer(to_unit)
    batch = [scan(item, "add", sent, transfer), scan(transfer, "dispatch", sent)]
    assert sender.ok(sender.post("/api/v1/scans/batch", batch))["refused"] == 0
    batch = [scan(item, "receive", got, transfer), scan(transfer, "close_receipt", got)]
    assert receiver.ok(receiver.post("/api/v1/scans/batch", batch))["refused"] == 0


@pytest.fixture
def moved(as_user):
    """20 items picked up over three weeks at two post offices, sent to the centre, most on to a department."""
    rng = random.Random(13)
    users = {name: as_user(name) for name in ("post1", "post2", "centre1", "dept1", "dept2")}
    for number in range(20):
        post = users[rng.choice(["post1", "post2"])]
        procedure, department = rng.choice(PROCEDURES)
        picked = BASE + timedelta(days=rng.randrange(18), hours=rng.uniform(7, 17))
        dossier = post.register_dossier(
            procedure_code=procedure,
            department=department,
            received_at=picked.isoformat(),
            due_at=(picked + timedelta(days=20)).isoformat(),
        )
        item = post.new_item(dossier["code"], occurred_at=picked.isoformat())
        sent = picked + timedelta(hours=rng.uniform(0.2, 30))
        received = sent + timedelta(hours=rng.uniform(0.5, 60))
        hand_over(post, users["centre1"], item, "TTHCC", sent, received)
        if number % 4:
            sent = received + timedelta(hours=rng.uniform(0.2, 20))
            hand_over(users["centre1"], users[RECEIVERS[department]], item, department, sent,
                      sent + timedelta(hours=rng.uniform(0.1, 40)))  # fmt: skip
    return users


def direct_report(start: datetime, end: datetime, group_by: str, leg_kind: str) -> list[dict]:
    """The report computed here from the legs, one by one."""
    sender, receiver, joined, limit = leg_limit_hours()
    statement = joined(
        select(Leg, sender.code, receiver.code, Dossier.procedure_code, limit).select_from(Leg)
    ).join(Dossier, Dossier.id == Leg.dossier_id)  # fmt: skip
    statement = statement.where(Leg.kind == leg_kind, Leg.outcome.in_(FINISHED[leg_kind]))
    groups = defaultdict(list)
    for leg, from_code, to_code, procedure, limit_hours in db.session.execute(statement.where(
        Leg.ended_at >= start, Leg.ended_at < end
    )):  # fmt: skip
        iso = leg.ended_at.astimezone(VN).isocalendar()
        key = {
            "route": f"{from_code} → {to_code or ''}", "from_unit": from_code, "to_unit": to_code or from_code,
            "procedure": procedure, "week": f"{iso.year}-W{iso.week:02d}",
        }[group_by]  # fmt: skip
        groups[key].append((leg.end_clock - leg.start_clock, leg.wall_seconds, limit_hours))
    return [figures(key, legs) for key, legs in sorted(groups.items())]


def figures(group: str, legs: list[tuple]) -> dict:
    working = sorted(w for w, _, _ in legs)
    wall = sorted(c for _, c, _ in legs)

    def ranked(values: list[int], percent: int) -> float:
        return round(values[math.ceil(len(values) * percent / 100) - 1] // 60 / 60, 2)

    on_time = sum(1 for w, _, limit in legs if limit is None or w <= limit * 3600)
    return {"group": group, "count": len(legs), "median_hours": ranked(working, 50), "p90_hours": ranked(working, 90),
            "max_hours": round(working[-1] / 3600, 2), "on_time_ratio": round(on_time / len(legs), 4),
            "wall_median_hours": ranked(wall, 50)}  # fmt: skip


periods = st.tuples(
    st.integers(min_value=-2 * 24 * 60, max_value=24 * 24 * 60),  # start, minutes after BASE
    st.one_of(st.integers(min_value=1, max_value=30 * 24 * 60), st.integers(1, 30).map(lambda days: days * 1440)),
)


def check_reports(api: ApiClient, examples: int) -> None:
    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(periods, st.sampled_from(GROUPINGS), st.sampled_from(["transit", "dwell"]))
    def same_figures(period, group_by, leg_kind):
        start = BASE + timedelta(minutes=period[0])
        end = start + timedelta(minutes=period[1])
        query = {"from": start.isoformat(), "to": end.isoformat(), "group_by": group_by, "leg_kind": leg_kind}
        rows = api.ok(api.get("/api/v1/reports/transit", query_string=query))["rows"]
        assert rows == direct_report(start, end, group_by, leg_kind)

    same_figures()


def run_worker(app) -> None:
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output


def compacted() -> set[tuple[str, str]]:
    """(kind, grain) of the compacted periods."""
    return set(db.session.execute(select(CompactedPeriod.kind, CompactedPeriod.grain)).all())


def test_rollup_figures_equal_the_legs_figures(app, as_user, moved):
    supervisor, admin = as_user("super1"), as_user("admin1")
    whole = {"from": BASE.isoformat(), "to": (BASE + timedelta(days=40)).isoformat()}
    assert supervisor.ok(supervisor.get("/api/v1/reports/transit", query_string=whole))["rows"]  # not vacuous
    assert not compacted()
    check_reports(supervisor, 30)

    run_worker(app)  # the closed days and months are compacted: the reports now read them
    assert {("transit", "day"), ("transit", "month"), ("dwell", "month")} <= compacted()
    check_reports(supervisor, 30)

    post = as_user("post1")  # a late leg: handed over with device times in a compacted day and month
    dossier = post.register_dossier(received_at=(BASE + timedelta(days=3, hours=8)).isoformat(),
                                    due_at=(BASE + timedelta(days=20)).isoformat())  # fmt: skip
    item = post.new_item(dossier["code"], occurred_at=(BASE + timedelta(days=3, hours=8)).isoformat())
    late_day = (BASE + timedelta(days=3)).date()
    assert db.session.get(CompactedPeriod, ("transit", "day", late_day)) is not None
    hand_over(post, as_user("centre1"), item, "TTHCC", BASE + timedelta(days=3, hours=9),
              BASE + timedelta(days=3, hours=15))  # fmt: skip
    db.session.expire_all()
    assert db.session.get(CompactedPeriod, ("transit", "day", late_day)) is None
    assert db.session.get(CompactedPeriod, ("transit", "month", late_day.replace(day=1))) is None
    check_reports(supervisor, 20)
    run_worker(app)
    assert db.session.get(CompactedPeriod, ("transit", "day", late_day)) is not None
    check_reports(supervisor, 20)

    for day, working in (("2026-10-06", False), ("2026-10-10", True)):  # a day off, a make-up Saturday
        assert admin.put("/api/v1/calendar/days", json={"day": day, "working": working}).status_code == 200
    assert not compacted()  # measured again: the compact rows went with the rollup's
    check_reports(supervisor, 20)
    run_worker(app)
    check_reports(supervisor, 20)

    rules = supervisor.ok(supervisor.get("/api/v1/sla-rules"))["rules"]
    tighter = [{**rule, "limit_hours": 3} for rule in rules] + [
        {"leg_kind": "transit", "from_unit": "BC-VINH", "to_unit": "TTHCC", "limit_hours": 12.5}
    ]
    assert supervisor.put("/api/v1/sla-rules", json={"rules": tighter}).status_code == 200
    assert not compacted()  # the transit and dwell rows are counted again
    check_reports(supervisor, 20)


def test_the_charts_read_the_same_figures_from_the_compact_level(app, as_user, moved):
    start, end = BASE - timedelta(days=3), BASE + timedelta(days=45)
    read = [
        lambda: [(r.route, r.limit_hours, r.longest_seconds, r.minutes) for r in transit_times_by_route(start, end)],
        lambda: on_time_by_week(start, end, per="route"),
        lambda: on_time_by_week(start, end, per="unit"),
    ]
    before = [figures() for figures in read]
    assert all(before)
    run_worker(app)
    assert ("transit", "month") in compacted()
    assert [figures() for figures in read] == before


def totals(groups: dict) -> dict:
    return {key: (group.legs, group.on_time, group.max_seconds) for key, group in groups.items()}


def working_minutes(groups: dict) -> dict:
    return {key: [part.tolist() for part in group.merged(WORKING)] for key, group in groups.items()}


def test_totals_summed_by_the_database_equal_the_histograms(app, as_user, moved):
    """Charts that want only counts have the database sum the bars, and the box plot reads only the
    working clock: the same counts, on time, longest legs and working minutes as the whole
    histograms give, for random periods, before and after compaction."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(periods, st.sampled_from([(("route", "week"), ("transit",)), (("from_unit", "week"), ("transit", "dwell")),
                                     (("procedure",), ("dwell",))]))  # fmt: skip
    def same_totals(period, grouped):
        start = BASE + timedelta(minutes=period[0])
        end = start + timedelta(minutes=period[1])
        groupings, kinds = grouped
        whole = histograms(start, end, groupings, kinds)
        assert totals(histograms(start, end, groupings, kinds, clocks=())) == totals(whole)
        working = histograms(start, end, groupings, kinds, clocks=(WORKING,))
        assert totals(working) == totals(whole)
        assert working_minutes(working) == working_minutes(whole)
        # Counts are ints on both databases (PostgreSQL's sum of bigint is numeric).
        assert all(type(n) is int for figures in totals(whole).values() for n in figures)

    assert totals(histograms(BASE, BASE + timedelta(days=30), ("route", "week"), ("transit",), clocks=()))
    same_totals()
    run_worker(app)
    same_totals()


def test_a_scans_batch_counts_its_finished_legs_in_one_upsert(app, as_user):
    """Each entry of a batch is a savepoint; the rollup is written once, at the batch's commit, so
    two batches never lock its rows entry by entry, out of key order."""
    post, centre = as_user("post1"), as_user("centre1")
    items = [post.new_item(post.register_dossier()["code"]) for _ in range(3)]
    transfer = post.send("TTHCC", items)
    with statements_starting("INSERT INTO LEG_ROLLUPS") as upserts:
        now = datetime.now(VN)
        batch = [scan(item, "receive", now, transfer) for item in items] + [scan(transfer, "close_receipt", now)]
        assert centre.ok(centre.post("/api/v1/scans/batch", batch))["applied"] == 4
    assert len(upserts) == 1


def test_concurrent_receipts_add_up_in_the_rollup(app, as_user):
    """Two clerks finishing legs of the same rollup row at once: both counted (upsert, no lost update)."""
    post = as_user("post1")
    sent = BASE + timedelta(days=3, hours=9)
    picked = {"received_at": (sent - timedelta(hours=1)).isoformat(), "due_at": (sent + timedelta(days=9)).isoformat()}
    items = [post.new_item(post.register_dossier(**picked)["code"], occurred_at=picked["received_at"])
             for _ in range(6)]  # fmt: skip
    transfers = []
    for pair in (items[:3], items[3:]):
        transfer = post.open_transfer("TTHCC")
        batch = [scan(item, "add", sent, transfer) for item in pair] + [scan(transfer, "dispatch", sent)]
        assert post.ok(post.post("/api/v1/scans/batch", batch))["refused"] == 0
        transfers.append((transfer, pair))
    clerks = [ApiClient.signed_in(app.test_client(), name) for name in ("centre1", "centre2")]
    got = sent + timedelta(hours=2)  # same day, same minute: the very same rollup rows
    barrier, statuses = threading.Barrier(2), []

    def receive(clerk: ApiClient, transfer: str, pair: list[str]) -> None:
        with app.app_context():
            barrier.wait()
            batch = [scan(item, "receive", got, transfer) for item in pair] + [scan(transfer, "close_receipt", got)]
            statuses.append(clerk.post("/api/v1/scans/batch", batch).status_code)

    threads = [threading.Thread(target=receive, args=(c, *t)) for c, t in zip(clerks, transfers, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [200, 200]
    period = {"from": BASE.isoformat(), "to": (BASE + timedelta(days=10)).isoformat()}
    rows = clerks[0].client.get("/api/v1/reports/transit", query_string=period, headers=as_user("super1")._headers({}))
    assert [(row["group"], row["count"]) for row in rows.json["rows"]] == [("BC-VINH → TTHCC", 6)]
