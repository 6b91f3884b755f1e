"""Delays and reports on a history built through the API with past device times.

Office hours 07:30-11:30 and 13:00-17:00, Monday 16 to Friday 20 November 2026.
Every expected figure below is worked out by hand in its comment.
"""

from datetime import datetime, timedelta, timezone
from itertools import count

import pytest

VN = timezone(timedelta(hours=7))
AS_OF = datetime(2026, 11, 20, 12, 0, tzinfo=VN)  # Friday noon
_keys = count()


def at(day: int, hour: int, minute: int = 0) -> str:
    return datetime(2026, 11, day, hour, minute, tzinfo=VN).isoformat()


def scan(code, action, when, transfer=None):
    return {"idempotency_key": f"k{next(_keys)}", "code": code, "action": action, "transfer_code": transfer,
            "occurred_at": when}  # fmt: skip


@pytest.fixture
def history(as_user):
    """Items A..H and G picked up Monday 08:00 at BC-VINH, then moved as each comment says."""
    post, centre = as_user("post1"), as_user("centre1")

    def item(letter: str, due: str = at(30, 17)) -> str:
        dossier = post.register_dossier(code=f"HS-{letter}", received_at=at(16, 8), due_at=due)
        return post.new_item(dossier["code"], occurred_at=at(16, 8))

    items = {letter: item(letter) for letter in "ABCDEFGH"}
    items["R"] = item("R", due=at(23, 11, 30))  # due Monday 11:30: at risk
    post_scans, centre_scans = [], []

    def send(letters: str, when: str) -> str:
        transfer = post.open_transfer("TTHCC")
        post_scans.extend(scan(items[x], "add", when, transfer) for x in letters)
        post_scans.append(scan(transfer, "dispatch", when))
        return transfer

    def receive(transfer: str, letters: str, when: str) -> None:
        centre_scans.extend(scan(items[x], "receive", when, transfer) for x in letters)
        centre_scans.append(scan(transfer, "close_receipt", when))

    receive(send("A", at(16, 10)), "A", at(17, 9))  # transit 7 h: 1.5 + 4 Monday, 1.5 Tuesday
    receive(send("B", at(16, 10)), "B", at(18, 14))  # transit 18.5 h: 5.5 + 8 + 5 (late)
    receive(send("EF", at(16, 10)), "F", at(17, 9))  # F 7 h; E missing on receipt
    send("D", at(16, 10))  # still in transit: 5.5 + 24 + 4 = 33.5 h by Friday noon
    send("H", at(19, 9))  # still in transit: 6.5 + 4 = 10.5 h by Friday noon
    # C was never sent (like G and R, it waits at the post office).
    assert post.ok(post.post("/api/v1/scans/batch", post_scans))["refused"] == 0
    assert centre.ok(centre.post("/api/v1/scans/batch", centre_scans))["refused"] == 0
    return items


def delays(api, **query) -> list[dict]:
    params = "&".join(f"{k}={v}" for k, v in {"as_of": AS_OF.isoformat().replace("+", "%2B"), **query}.items())
    return api.ok(api.get(f"/api/v1/delays?{params}&per_page=100"))["items"]


def test_each_kind_of_delay_with_its_hours(as_user, history):
    supervisor = as_user("super1")
    rows = delays(supervisor)
    found = {(row["kind"], row["item"] or row["dossier"]): (row["elapsed_hours"], row["limit_hours"]) for row in rows}
    h = history
    assert found[("overdue_transit", h["H"])] == (10.5, 8)
    assert found[("suspected_lost", h["D"])] == (33.5, 8)  # over three times the limit
    assert found[("suspected_lost", h["E"])] == (33.5, 8)  # missing on receipt, not found since
    # Waiting at the post office since Monday 08:00: 3.5 + 4, then 8 x 3, then 4 on Friday.
    for letter in "CGR":
        assert found[("overdue_dwell", h[letter])] == (35.5, 8)
    # At the centre since Tuesday 09:00: 2.5 + 4, 8 x 2, 4 = 26.5; B since Wednesday 14:00: 3 + 8 + 4.
    assert found[("overdue_dwell", h["A"])] == (26.5, 8)
    assert found[("overdue_dwell", h["F"])] == (26.5, 8)
    assert found[("overdue_dwell", h["B"])] == (15, 8)
    assert found[("finished_late", h["B"])] == (18.5, 8)
    # Dossier R: received Monday 08:00, due next Monday 11:30 = 7.5 + 32 + 4 = 43.5 working hours.
    assert found[("at_risk", "HS-R")] == (35.5, 43.5)
    assert ("finished_late", h["A"]) not in found and ("overdue_transit", h["D"]) not in found
    severities = [row["elapsed_hours"] / row["limit_hours"] for row in rows]
    assert severities == sorted(severities, reverse=True)  # worst first


def test_delay_rows_name_everything_a_supervisor_needs(as_user, history):
    row = next(r for r in delays(as_user("super1"), kind="overdue_transit"))
    assert row["item"] == history["H"] and row["dossier"] == "HS-H"
    assert row["procedure"] == "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"
    assert row["route"] == {"from": "BC-VINH", "to": "TTHCC"} and row["holder"] == "BC-VINH"
    assert row["started_at"] == at(19, 9)


def test_delay_filters_and_pagination(as_user, history):
    supervisor = as_user("super1")
    assert {r["kind"] for r in delays(supervisor, kind="suspected_lost")} == {"suspected_lost"}
    at_centre = delays(supervisor, unit="TTHCC")
    assert {r["item"] for r in at_centre if r["kind"] == "overdue_dwell"} == {history[x] for x in "ABF"}
    assert all("TTHCC" in (r["route"]["from"], r["route"]["to"]) for r in at_centre)
    assert delays(supervisor, from_unit="BC-VINH", to_unit="TTHCC", kind="overdue_transit")[0]["item"] == history["H"]
    page = supervisor.ok(supervisor.get(f"/api/v1/delays?as_of={AS_OF.isoformat().replace('+', '%2B')}&per_page=2"))
    # H; D and E; C, G, R, A, F and B waiting; B finished late; dossier R at risk.
    assert len(page["items"]) == 2 and page["total"] == 12


def test_a_page_of_delays_carries_the_counts_of_each_kind(app, history):
    from tracker.delays.services import DelayFilters, delay_counts, find_delays

    expected = {"overdue_transit": 1, "overdue_dwell": 6, "suspected_lost": 2, "finished_late": 2, "at_risk": 1}
    every_one = dict.fromkeys(expected, True)
    page = find_delays(DelayFilters(), 1, 2, now=AS_OF)
    assert (page["counts"], page["counts_exact"]) == delay_counts(AS_OF) == (expected, every_one)
    at_centre = find_delays(DelayFilters(unit="TTHCC"), 1, 2, now=AS_OF)["counts"]
    assert at_centre["overdue_dwell"] == 3 and at_centre["at_risk"] == 0
    past_the_end = find_delays(DelayFilters(), 99, 2, now=AS_OF)
    assert past_the_end["items"] == [] and past_the_end["counts"] == expected and past_the_end["total"] == 12


def test_delays_are_counted_up_to_a_bound_then_at_least(app, as_user, history):
    """Past DELAYS_COUNTED_UP_TO a kind's count is a lower bound and the total says so, so that
    the counts cost no more than the bound however many delays there are; the pages go on, and
    a page further than the bound is counted to its end."""
    from tracker.delays.services import DelayFilters, delay_counts, find_delays

    app.config["DELAYS_COUNTED_UP_TO"] = 3
    counts, exact = delay_counts(AS_OF)
    assert counts == {"overdue_transit": 1, "overdue_dwell": 3, "suspected_lost": 2, "finished_late": 2, "at_risk": 1}
    assert [kind for kind, is_exact in exact.items() if not is_exact] == ["overdue_dwell"]  # 6 of them
    supervisor = as_user("super1")
    as_of = AS_OF.isoformat().replace("+", "%2B")
    first = supervisor.ok(supervisor.get(f"/api/v1/delays?as_of={as_of}&per_page=2"))
    assert (len(first["items"]), first["total"], first["total_exact"]) == (2, 9, False)
    fourth = supervisor.ok(supervisor.get(f"/api/v1/delays?as_of={as_of}&per_page=2&page=4"))
    assert (len(fourth["items"]), fourth["total"], fourth["total_exact"]) == (2, 12, True), "counted to the page's end"
    dwell = find_delays(DelayFilters(kind="overdue_dwell"), 1, 2, now=AS_OF)
    assert (dwell["total"], dwell["total_exact"], len(dwell["items"])) == (3, False, 2)
    assert (dwell["counts"]["finished_late"], dwell["counts_exact"]["finished_late"]) == (0, True), "not asked for"


@pytest.mark.parametrize("kind", [None, "overdue_dwell", "overdue_transit", "suspected_lost", "finished_late"])
def test_no_delay_of_a_kind_is_none_counted(app, kind):
    """Before any leg has a limit there is no group to count: every kind says 0, exactly."""
    from tracker.delays.services import DelayFilters, find_delays

    found = find_delays(DelayFilters(kind=kind), 1, 20, now=AS_OF)
    assert (found["items"], found["total"], found["total_exact"]) == ([], 0, True)


def _every_delay_sorted(filters, now) -> list[tuple]:
    """The delays the filters find, every one sorted by the database: what the pages must add up to."""
    from sqlalchemy import select, union_all

    from tracker.calendar.services import working_clock
    from tracker.delays.selects import delay_selects
    from tracker.extensions import db

    found = delay_selects(filters, now, working_clock(now))
    rows = union_all(*found.selects.values()).subquery()
    order = (rows.c.severity.desc(), rows.c.started_at, rows.c.dossier_id, rows.c.item_id)
    return [(r.kind, r.item_id, r.dossier_id) for r in db.session.execute(select(rows).order_by(*order), found.params)]


@pytest.mark.parametrize(
    "filters",
    [{}, {"kind": "suspected_lost"}, {"kind": "overdue_transit"}, {"kind": "overdue_dwell"}, {"unit": "TTHCC"},
     {"from_unit": "BC-VINH"}, {"kind": "finished_late", "finished_from": datetime(2026, 11, 1, tzinfo=VN)}],
)  # fmt: skip
def test_pages_of_the_worst_delays_add_up_to_every_delay_sorted(app, history, filters):
    """Merging each group's worst rows gives the pages a sort of every delay gives, at any page size
    and with any filter; a year's period of legs finished late is sorted whole instead."""
    from tracker.delays.services import DelayFilters, find_delays

    chosen = DelayFilters(**filters)
    expected = _every_delay_sorted(chosen, AS_OF)
    assert expected
    for per_page in (1, 2, 3, 5, 50):
        pages = [find_delays(chosen, page, per_page, now=AS_OF) for page in range(1, len(expected) // per_page + 3)]
        found = [(d.kind, d.item.id if d.item else None, d.dossier.id) for page in pages for d in page["items"]]
        assert found == expected and {page["total"] for page in pages} == {len(expected)}
    a_year = DelayFilters(kind="finished_late", finished_from=datetime(2025, 11, 1, tzinfo=VN))
    found = [(d.kind, d.item.id, d.dossier.id) for d in find_delays(a_year, 1, 5, now=AS_OF)["items"]]
    assert found == _every_delay_sorted(a_year, AS_OF) and len(found) == 2


def test_a_dossier_its_department_has_answered_is_not_at_risk(as_user, history):
    """Anything the department sends on answers the dossier; another department has not answered it."""
    from sqlalchemy import select

    from tracker.auth.models import User
    from tracker.dossiers.models import Dossier
    from tracker.dossiers.services import amend_dossier, find_dossier
    from tracker.extensions import db
    from tracker.units.services import find_unit

    supervisor, post, centre, department = (as_user(name) for name in ("super1", "post1", "centre1", "dept1"))
    centre.receive(post.send("TTHCC", [history["R"]]), [history["R"]])
    department.receive(centre.send("STP", [history["R"]]), [history["R"]])
    at_risk = {row["dossier"] for row in delays(supervisor, kind="at_risk")}
    assert at_risk == {"HS-R"}  # at the department: not answered yet
    department.send("TTHCC", [history["R"]])  # the papers sent back: an answer
    assert delays(supervisor, kind="at_risk") == []
    answered = db.session.scalar(select(Dossier.answered_at).where(Dossier.code == "HS-R"))
    assert answered is not None
    db.session.rollback()

    # Handed to another department, the dossier waits for that one's answer; and back again.
    for code, still_at_risk in (("CA", ["HS-R"]), ("STP", [])):
        clerk = db.session.scalar(select(User).where(User.username == "centre1"))
        amend_dossier(clerk, find_dossier("HS-R"), {"department": find_unit(code)}, "api")
        db.session.commit()
        assert [row["dossier"] for row in delays(supervisor, kind="at_risk")] == still_at_risk


def test_a_department_dispatch_answers_its_dossiers_in_one_update(as_user):
    """Each dossier whose papers a department sends on is answered; the transfer's dossiers in
    one UPDATE, not one per item."""
    from sqlalchemy import select

    from tests.support import statements_starting
    from tracker.dossiers.models import Dossier
    from tracker.extensions import db

    post, centre, department = as_user("post1"), as_user("centre1"), as_user("dept1")
    dossiers = [post.register_dossier()["code"] for _ in range(3)]
    items = [post.new_item(code) for code in dossiers]
    centre.receive(post.send("TTHCC", items), items)
    department.receive(centre.send("STP", items), items)
    with statements_starting("UPDATE DOSSIERS") as updates:
        department.send("TTHCC", items)
    assert len(updates) == 1
    db.session.rollback()
    answered = db.session.scalars(select(Dossier.answered_at).where(Dossier.code.in_(dossiers))).all()
    assert len(answered) == 3 and None not in answered


def test_delays_read_only_late_legs_from_their_indexes(app, history):
    """A page of delays costs what the page costs, its counts what the delays cost, and neither
    what the history does: the legs late now and those finished late are index ranges, never a
    scan of every leg, and the worst of each group are read in their index's order."""
    from sqlalchemy import event, text

    from tracker.delays.services import DelayFilters, find_delays, planned_from_indexes
    from tracker.extensions import db

    sent = []

    def note(_connection, _cursor, statement, parameters, *_args) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        find_delays(DelayFilters(), 1, 2, now=AS_OF)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    if db.engine.dialect.name == "sqlite":
        explained = [db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {s}", p).all() for s, p in sent]
        plan = " | ".join(row[3] for rows in explained for row in rows)
        for index in ("ix_legs_open_limits (kind=? AND limit_seconds=? AND start_clock<?)", "ix_legs_finished_worst"):
            assert index in plan  # the worst (and the count) of each limit, the worst of each working day
        for index in ("ix_legs_open_limits (kind=? AND limit_seconds=? AND start_clock>? AND start_clock<?)",
                      "ix_legs_finished_late", "ix_legs_missing"):  # fmt: skip
            assert index in plan  # the transits late but not lost, and the counts of the others
        assert "SCAN legs" not in plan
        return
    # PostgreSQL's plan follows the statistics, which misjudge the open legs on a big year: the
    # delays are planned from their indexes whatever they say (a few legs here would be scanned).
    with planned_from_indexes():
        explained = [db.session.connection().exec_driver_sql(f"EXPLAIN {s}", p).all() for s, p in sent]
        plan = " | ".join(row[0] for rows in explained for row in rows)
        assert db.session.scalar(text("SHOW enable_seqscan")) == "off"
    assert "ix_legs_open_limits" in plan and "ix_legs_finished_late" in plan and "ix_legs_missing" in plan
    assert "Seq Scan on legs" not in plan
    assert db.session.scalar(text("SHOW enable_seqscan")) == "on"  # the rest of the transaction plans as usual


def test_new_legs_carry_their_route_limit(app, history):
    from sqlalchemy import select

    from tracker.custody.models import Item, Leg
    from tracker.extensions import db

    legs = db.session.execute(
        select(Leg.kind, Leg.ended_at.is_(None), Leg.limit_seconds).join(Item).where(Item.code == history["B"])
    ).all()
    # Held at the post office (8 h), carried to the centre (8 h), held there since (8 h).
    assert sorted(legs) == [("dwell", False, 8 * 3600), ("dwell", True, 8 * 3600), ("transit", False, 8 * 3600)]
    journeys = db.session.scalars(select(Leg.limit_seconds).where(Leg.kind == "journey")).all()
    assert journeys and set(journeys) == {None}


def test_limits_set_as_legs_open_are_those_a_change_of_limits_sets(as_user, history):
    """The limit written with a new leg (Python) and the one set again after a change (SQL) agree."""
    from tracker.delays.leg_limits import judge_legs
    from tracker.extensions import db

    supervisor = as_user("super1")
    rules = supervisor.ok(supervisor.get("/api/v1/sla-rules"))["rules"]
    overrides = [
        {"leg_kind": "transit", "from_unit": "BC-VINH", "to_unit": "TTHCC", "limit_hours": 7.25},
        {"leg_kind": "dwell", "from_unit": "TTHCC", "limit_hours": 3.5},
    ]
    assert supervisor.put("/api/v1/sla-rules", json={"rules": [*rules, *overrides]}).status_code == 200
    post = as_user("post1")
    dossier = post.register_dossier(code="HS-NEW")
    post.send("TTHCC", [post.new_item(dossier["code"])])
    assert db.session.execute(judge_legs()).rowcount == 0
    db.session.rollback()


REPORT = "/api/v1/reports/transit?from=2026-11-16T00:00:00%2B07:00&to=2026-11-21T00:00:00%2B07:00"


def test_transit_report_by_route(as_user, history):
    supervisor = as_user("super1")
    rows = supervisor.ok(supervisor.get(REPORT + "&group_by=route"))["rows"]
    # Finished transit legs: A 7 h (23 h wall), F 7 h (23 h), B 18.5 h (52 h); E went missing.
    assert rows == [
        {"group": "BC-VINH → TTHCC", "count": 3, "median_hours": 7.0, "p90_hours": 18.5, "max_hours": 18.5,
         "on_time_ratio": 0.6667, "wall_median_hours": 23.0}
    ]  # fmt: skip
    weeks = supervisor.ok(supervisor.get(REPORT + "&group_by=week"))["rows"]
    assert [(r["group"], r["count"]) for r in weeks] == [("2026-W47", 3)]
    by_procedure = supervisor.ok(supervisor.get(REPORT + "&group_by=procedure"))["rows"]
    assert [(r["group"], r["count"]) for r in by_procedure] == [("1.001.234", 3)]


@pytest.mark.parametrize(
    ("local_time", "week"),
    [
        (datetime(2026, 11, 22, 23, 30, tzinfo=VN), "2026-W47"),  # Sunday night, local
        (datetime(2026, 11, 23, 1, 0, tzinfo=VN), "2026-W48"),  # Monday 01:00 local is still Sunday in UTC
        (datetime(2025, 12, 29, 9, 0, tzinfo=VN), "2026-W01"),  # ISO year 2026 starts on 29 December 2025
        (datetime(2027, 1, 1, 9, 0, tzinfo=VN), "2026-W53"),  # 2026 has 53 ISO weeks
    ],
)
def test_iso_week_of_a_stored_time_in_the_province(app, local_time, week):
    from sqlalchemy import literal, select

    from tracker.database import UTCDateTime
    from tracker.delays.histograms import as_date
    from tracker.delays.periods import monday_of, week_label
    from tracker.delays.rollups import local_day
    from tracker.extensions import db

    stored = literal(local_time, UTCDateTime)
    day = db.session.scalar(select(local_day(stored, db.engine.dialect.name, app.config["TRACKER_TIMEZONE"])))
    assert week_label(monday_of(as_date(day))) == week


def test_route_limits_change_the_verdicts_and_are_recorded(as_user, history):
    supervisor, admin = as_user("super1"), as_user("admin1")
    rules = supervisor.ok(supervisor.get("/api/v1/sla-rules"))["rules"]
    assert {"leg_kind": "transit", "from_kind": "post", "to_kind": "centre", "from_unit": None, "to_unit": None,
            "limit_hours": 8.0} in rules  # fmt: skip
    override = {"leg_kind": "transit", "from_unit": "BC-VINH", "to_unit": "TTHCC", "limit_hours": 20}
    assert supervisor.put("/api/v1/sla-rules", json={"rules": [*rules, override]}).status_code == 200
    report = supervisor.ok(supervisor.get(REPORT))["rows"][0]
    assert report["on_time_ratio"] == 1.0
    kinds = {(r["kind"], r["item"]) for r in delays(supervisor)}
    assert ("finished_late", history["B"]) not in kinds
    assert ("overdue_transit", history["D"]) in kinds  # 33.5 h: over 20, not yet three times 20
    assert as_user("post1").put("/api/v1/sla-rules", json={"rules": rules}).status_code == 403
    bad = admin.put(
        "/api/v1/sla-rules", json={"rules": [{"leg_kind": "transit", "from_kind": "post", "limit_hours": 5}]}
    )
    assert bad.status_code == 422


def test_a_declared_day_off_remeasures_every_leg(as_user, history):
    admin = as_user("admin1")
    declared = admin.put("/api/v1/calendar/days", json={"day": "2026-11-17", "working": False, "note": "Nghỉ bù"})
    assert declared.status_code == 200 and declared.json[0]["day"] == "2026-11-17"
    rows = admin.ok(admin.get(REPORT))["rows"][0]
    # Tuesday no longer counts: A and F 5.5 h; B 5.5 + 0 + 5 = 10.5 h.
    assert (rows["median_hours"], rows["max_hours"]) == (5.5, 10.5)
    # Nor for the delays: C has waited 35.5 - 8 working hours, against the same 8-hour limit.
    found = {(row["kind"], row["item"]): (row["elapsed_hours"], row["limit_hours"]) for row in delays(admin)}
    assert found[("overdue_dwell", history["C"])] == (27.5, 8)
    assert found[("overdue_transit", history["H"])] == (10.5, 8)  # sent Thursday: no change
    assert (
        as_user("super1").put("/api/v1/calendar/days", json={"day": "2026-11-18", "working": False}).status_code == 403
    )


def test_delays_check_cli_exits_1_when_late(app, runner, history):
    result = runner.invoke(args=["delays", "check", "--kind", "suspected_lost"])
    assert result.exit_code == 1
    assert history["D"] in result.output and history["E"] in result.output
    assert result.output.splitlines()[-1] == "3 chậm trễ."  # D, E, and by now H
    app.config["DELAYS_COUNTED_UP_TO"] = 3
    result = runner.invoke(args=["delays", "check", "--kind", "overdue_dwell", "--limit", "2"])
    assert result.exit_code == 1 and result.output.endswith("\nHơn 3 chậm trễ.\n"), "6 waiting: more than the bound"


def test_report_cli_writes_csv_and_xlsx(app, runner, history, tmp_path):
    target = tmp_path / "r.csv"
    args = ["report", "transit", "--from", "2026-11-16", "--to", "2026-11-21", "--group-by", "from_unit"]
    result = runner.invoke(args=[*args, "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8-sig").splitlines()[1] == "BC-VINH,3,7.0,18.5,18.5,66.67,23.0"
    xlsx = tmp_path / "r.xlsx"
    assert runner.invoke(args=[*args, "--format", "xlsx", "--output", str(xlsx)]).exit_code == 0
    assert xlsx.stat().st_size > 1000


def test_xlsx_memory_stays_flat_as_rows_grow(app, tmp_path):
    """Ten times the rows must not need ten times the memory: the workbook streams to disk."""
    import tracemalloc

    from tracker.delays.exports import ReportFile, write_xlsx

    row = {"group": "BC-VINH → TTHCC", "count": 3, "median_hours": 7.0, "p90_hours": 18.5, "max_hours": 18.5,
           "on_time_ratio": 0.6667, "wall_median_hours": 23.0}  # fmt: skip

    def peak_bytes(rows: int) -> int:
        tracemalloc.start()
        report = ReportFile.now(AS_OF, AS_OF, "route", "transit")
        write_xlsx(report, (dict(row) for _ in range(rows)), tmp_path / f"{rows}.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    with app.test_request_context():  # the headers' language is the request's
        small, large = peak_bytes(2_000), peak_bytes(20_000)
    assert large < small * 1.5  # held in memory, 20,000 rows take some 40 MB more than 2,000
