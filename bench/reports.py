"""Delays and transit reports on synthetic province-years of several sizes, and how they grow.

For each size (`--items 10000,100000,1000000`) a year is loaded into its own database (the
URL's database name or file gets `_<items>` appended; `--reuse` times the years loaded by a
previous run). Then it times, through the HTTP API, the first page of delays and the transit
report by route, by ISO week and by procedure, and beside each report the bare SQL aggregate
that computes the same figures from the legs (percentile_disc on PostgreSQL, row numbers on
SQLite), timed in the same run: each figure with its target, the ratio, and whether the
figures agree at minute resolution. Last, how each figure grows from one size to the next.

Run with `make bench`, or: python bench/reports.py --database-url URL --items 10000,100000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.database import database_exists, fresh_database, migrate
from bench.province_year import LOADED_MODELS, PASSWORD, counted, load_year, worker_upkeep
from tracker import create_app
from tracker.delays import reports
from tracker.extensions import db

REPEATS = 5
GROUPINGS = ("route", "week", "procedure")
# Server time targets in ms, and the least speed-up over the bare SQL (issue 13).
TARGET_MS = {"postgresql": 250, "sqlite": 200}
TARGET_RATIO = 5
BARE_POSTGRESQL = """
SELECT {key} AS grp, count(*),
       percentile_disc(0.5) WITHIN GROUP (ORDER BY l.end_clock - l.start_clock),
       percentile_disc(0.9) WITHIN GROUP (ORDER BY l.end_clock - l.start_clock),
       max(l.end_clock - l.start_clock),
       avg((l.end_clock - l.start_clock <= r.limit_hours * 3600)::int)::float8,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY l.wall_seconds)
FROM legs l
JOIN units s ON s.id = l.from_unit_id
JOIN units t ON t.id = l.to_unit_id
JOIN dossiers d ON d.id = l.dossier_id
JOIN sla_rules r ON r.leg_kind = 'transit' AND r.from_unit_id IS NULL AND r.from_kind = s.kind AND r.to_kind = t.kind
WHERE l.kind = 'transit' AND l.outcome = 'received' AND l.ended_at >= :start AND l.ended_at < :end
GROUP BY 1 ORDER BY 1
"""
BARE_POSTGRESQL_KEYS = {
    "route": "s.code || ' → ' || t.code",
    "week": "to_char(timezone(:zone, l.ended_at), 'IYYY-\"W\"IW')",
    "procedure": "d.procedure_code",
}
BARE_SQLITE = """
WITH f AS (
  SELECT {key} AS grp, l.end_clock - l.start_clock AS w, l.wall_seconds AS c,
         (l.end_clock - l.start_clock <= r.limit_hours * 3600) AS kept
  FROM legs l
  JOIN units s ON s.id = l.from_unit_id
  JOIN units t ON t.id = l.to_unit_id
  JOIN dossiers d ON d.id = l.dossier_id
  JOIN sla_rules r ON r.leg_kind = 'transit' AND r.from_unit_id IS NULL AND r.from_kind = s.kind
                  AND r.to_kind = t.kind
  WHERE l.kind = 'transit' AND l.outcome = 'received' AND l.ended_at >= :start AND l.ended_at < :end
), ranked AS (
  SELECT *, row_number() OVER (PARTITION BY grp ORDER BY w) AS rw,
            row_number() OVER (PARTITION BY grp ORDER BY c) AS rc, count(*) OVER (PARTITION BY grp) AS n FROM f
)
SELECT grp, count(*), max(CASE WHEN rw = (n * 50 + 99) / 100 THEN w END),
       max(CASE WHEN rw = (n * 90 + 99) / 100 THEN w END), max(w), avg(kept),
       max(CASE WHEN rc = (n * 50 + 99) / 100 THEN c END)
FROM ranked GROUP BY grp ORDER BY grp
"""
BARE_SQLITE_KEYS = {
    "route": "s.code || ' → ' || t.code",
    "week": "strftime('%Y-W%W', l.ended_at, :offset)",  # only timed: SQLite has no ISO week
    "procedure": "d.procedure_code",
}


def sized_url(url: str, items: int) -> str:
    """The database of one size: its name (or file) with the item count appended."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        return parsed.set(database=str(path.with_name(f"{path.stem}_{items}{path.suffix}"))).render_as_string(False)
    return parsed.set(database=f"{parsed.database}_{items}").render_as_string(hide_password=False)


def timed(call: Callable[[], object]) -> tuple[float, object]:
    """Median seconds over REPEATS calls after one warm-up call, and what the call returned."""
    result = call()
    seconds = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        result = call()
        seconds.append(time.perf_counter() - began)
    return statistics.median(seconds), result


def api_timings(app, start: datetime, end: datetime) -> dict[str, tuple[float, dict]]:
    """Server time of the delays' first page and of each report, through HTTP (Flask test client)."""
    client = app.test_client()
    token = client.post("/api/v1/auth/token", json={"username": "supervisor", "password": PASSWORD}).json["token"]

    def get(path: str, **query) -> Callable[[], dict]:
        def call() -> dict:
            response = client.get(path, query_string=query, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 200, response.json
            return response.json

        return call

    period = {"from": start.isoformat(), "to": end.isoformat()}
    timings = {"delays": timed(get("/api/v1/delays", as_of=end.isoformat(), per_page=20))}
    for group_by in GROUPINGS:
        timings[group_by] = timed(get("/api/v1/reports/transit", group_by=group_by, **period))
    return timings


def minutes_figures(row) -> dict:
    """A bare row (seconds) as the report serves it: percentiles in whole minutes, max exact."""
    group, count, median, p90, longest, on_time, wall = row
    return reports.rounded({
        "group": group, "count": count, "median_hours": median // 60 / 60, "p90_hours": p90 // 60 / 60,
        "max_hours": longest / 3600, "on_time_ratio": on_time, "wall_median_hours": wall // 60 / 60,
    })  # fmt: skip


def bare_report(group_by: str, start: datetime, end: datetime, zone: str) -> tuple[float, list[dict]]:
    """The same report as one hand-written SQL statement on the legs, no ORM, no HTTP."""
    postgresql = db.engine.dialect.name == "postgresql"
    if postgresql:
        sql, params = BARE_POSTGRESQL.format(key=BARE_POSTGRESQL_KEYS[group_by]), {"start": start, "end": end}
    else:
        sql = BARE_SQLITE.format(key=BARE_SQLITE_KEYS[group_by])
        params = {"start": start.replace(tzinfo=None), "end": end.replace(tzinfo=None), "offset": "+7 hours"}
    params["zone"] = zone
    connection = db.session.connection()
    seconds, rows = timed(lambda: connection.execute(text(sql), params).all())
    return seconds, [minutes_figures(row) for row in rows]


def time_one_size(args, items: int) -> dict[str, float]:
    url = sized_url(args.database_url, items)
    reused = args.reuse and database_exists(url)  # a size not loaded before is loaded now
    if not reused:
        fresh_database(url)
    migrate(url)  # on a reused year, brings its schema (and the rollup) up to date
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    end = datetime.now(UTC)
    start = end - timedelta(days=365)
    with app.app_context():
        backend = db.engine.dialect.name
        if not reused or counted(LOADED_MODELS[0]) == 0:
            print(f"loading a province-year of {items:,} items into {backend}...", flush=True)
            began = time.perf_counter()
            load_year(items, end, lambda line: print(line, flush=True))
            print(f"loaded in {time.perf_counter() - began:.0f} s")
        began = time.perf_counter()
        if compacted := worker_upkeep(end):  # a year loaded before the compact level, or days closed since
            print(f"compacted {compacted:,} closed days and months in {time.perf_counter() - began:.0f} s")
        counts = {model.__tablename__: counted(model) for model in LOADED_MODELS}
        print(f"{items:,} items: " + ", ".join(f"{n:,} {table}" for table, n in counts.items()))
        timings = api_timings(app, start, end)
        delays_seconds, delays = timings["delays"]
        target = TARGET_MS[backend]
        print(f"  {backend}, median of {REPEATS} after a warm-up (server time, Flask test client)")
        how_many = f"{delays['total']:,}" if delays["total_exact"] else f"more than {delays['total']:,}"
        print(f"  delays, first page of 20          {delays_seconds * 1000:8.1f} ms   ({how_many} delays)")
        figures = {"delays": delays_seconds}
        for group_by in GROUPINGS:
            seconds, report = timings[group_by]
            figures[group_by] = seconds
            bare_seconds, bare_rows = bare_report(group_by, start, end, app.config["TRACKER_TIMEZONE"])
            figures[f"bare {group_by}"] = bare_seconds
            ratio = bare_seconds / seconds
            met = seconds * 1000 < target and ratio >= TARGET_RATIO
            same = "same figures" if bare_rows == report["rows"] else "figures differ"
            if backend == "sqlite" and group_by == "week":
                same = "not compared: SQLite has no ISO week"
            print(
                f"  report by {group_by:<9} ({len(report['rows']):>3} rows) {seconds * 1000:8.1f} ms"
                f" (target {target} ms)   bare SQL {bare_seconds * 1000:8.1f} ms   {ratio:5.1f} x faster"
                f" (target {TARGET_RATIO} x)   {'met' if met else 'NOT MET'}   {same}"
            )
        db.session.remove()
        db.engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--items", default="1000000", help="sizes, comma-separated: 10000,100000,1000000")
    parser.add_argument("--reuse", action="store_true", help="time the years a previous run loaded (load the others)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.items.split(",")]
    results = {items: time_one_size(args, items) for items in sizes}
    if len(sizes) > 1:
        print("growth (ms, and the factor from the previous size)")
        print(f"  {'figure':<16}" + "".join(f"{items:>20,}" for items in sizes))
        for figure in results[sizes[0]]:
            cells, previous = [], None
            for items in sizes:
                ms = results[items][figure] * 1000
                cells.append(f"{ms:9.1f}" + (f" (x{ms / previous:5.2f})" if previous else " " * 9))
                previous = ms
            print(f"  {figure:<16}" + "".join(f"{cell:>20}" for cell in cells))


if __name__ == "__main__":
    main()
