"""Server time of every page with the demo data (target under 200 ms each), and of the
dashboard, its report table and its charts on a benchmark province-year (target under 300 ms).

Seeds the demo province (`flask seed-demo`'s history) into its own SQLite file when that file
is new, signs in one user per kind of page through the sign-in form, and times each page
through the WSGI app (no network, no browser): what the server spends, not what the
browser adds. Medians and the slowest of the repeats, after one warm-up request. With
`--year-database-url` (a year loaded by bench/reports.py, e.g. ..._1000000), the supervisor's
pages are timed again on that year, over the default 8 weeks and over the whole year.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from sqlalchemy import select

from bench.province_year import PASSWORD
from tracker import create_app
from tracker.custody.models import Transfer
from tracker.demo.history import database_is_empty, seed_demo
from tracker.demo.province import DEMO_PASSWORD
from tracker.dossiers.models import Dossier
from tracker.extensions import db

TARGET_MS = 200
YEAR_TARGET_MS = 300


def signed_in(app, username: str, password: str = DEMO_PASSWORD):
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
    answer = client.post("/sign-in", data={"csrf_token": token, "username": username, "password": password})
    assert answer.status_code == 302, f"{username} could not sign in"
    return client


def pages_to_time() -> list[tuple[str, str]]:
    """(user, path) for every page, on the demo's own dossiers and transfers."""
    dossier = db.session.scalar(select(Dossier.code).order_by(Dossier.id.desc()).limit(1))
    by_status = {
        status: db.session.scalar(select(Transfer.code).where(Transfer.status == status).limit(1))
        for status in ("dispatched", "received", "received_with_discrepancies")
    }
    coming_to_centre = db.session.scalar(
        select(Transfer.code).where(Transfer.status == "dispatched", Transfer.to_unit.has(code="TTHCC")).limit(1)
    )
    sent_by_post = db.session.scalar(
        select(Transfer.code).where(Transfer.status != "draft", Transfer.from_unit.has(code="BC-VINH")).limit(1)
    )
    return [
        ("buudien", "/scan"), ("buudien", f"/scan/{sent_by_post}"), ("trungtam", "/receive"),
        ("trungtam", f"/receive/{coming_to_centre}"), ("trungtam", f"/receive/{by_status['received']}"),
        ("sotuphap", "/dossiers?q=Nguy"), ("sotuphap", f"/dossiers/{dossier}"), ("giamsat", "/dashboard"),
        ("giamsat", "/dashboard?kind=suspected_lost"), ("giamsat", "/dashboard/charts/transit.svg"),
        ("giamsat", "/dashboard/charts/on-time.svg"), ("giamsat", "/dashboard/charts/lateness.svg"),
        ("giamsat", "/route-limits"),
    ]  # fmt: skip


def year_pages() -> list[str]:
    """The supervisor's pages over the default 8 weeks and over the last 365 days."""
    today = datetime.now(UTC).date()
    year = f"from={today - timedelta(days=364)}&to={today}"
    pages = ["/dashboard", "/route-limits"]
    pages += [f"/dashboard?{year}&group_by={grouping}" for grouping in ("route", "week", "procedure")]
    pages += [f"/dashboard/charts/{chart}.svg?lang=vi" for chart in ("transit", "on-time", "lateness")]
    pages += [f"/dashboard/charts/{chart}.svg?lang=vi&{year}" for chart in ("transit", "on-time", "lateness")]
    return pages


def time_pages(clients: dict, pages: list[tuple[str, str]], repeats: int, target: int) -> None:
    """Print the median and slowest server time of each page, after a warm-up request."""
    print(f"{'page':<72} {'median ms':>10} {'max ms':>8}  under {target} ms")
    slowest = 0.0
    for username, path in pages:
        client = clients[username]
        assert client.get(path).status_code == 200, path  # warm-up, and the page must work
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        median = statistics.median(times)
        slowest = max(slowest, median)
        print(f"{username + ' ' + path:<72} {median:>10.1f} {max(times):>8.1f}  {'yes' if median < target else 'NO'}")
    print(f"slowest page median: {slowest:.1f} ms (target {target} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database", default=str(Path(__file__).resolve().parent.parent / "instance/bench-pages.sqlite3")
    )
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--year-database-url", help="a year loaded by bench/reports.py: time the dashboard on it")
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{args.database}"})
    with app.app_context():
        upgrade()
        if database_is_empty():
            print("Seeding the demo province (about 30 s)...")
            print(seed_demo(dossiers=300, weeks=8, seed=2026, progress=lambda _: None))
            db.session.commit()
        pages = pages_to_time()
        db.session.remove()
    clients = {username: signed_in(app, username) for username in {username for username, _ in pages}}
    time_pages(clients, pages, args.repeats, TARGET_MS)
    if args.year_database_url:
        year = create_app({"SQLALCHEMY_DATABASE_URI": args.year_database_url})
        print(f"the supervisor's pages on the benchmark year ({year.config['SQLALCHEMY_DATABASE_URI']})")
        clients = {"supervisor": signed_in(year, "supervisor", PASSWORD)}
        time_pages(clients, [("supervisor", path) for path in year_pages()], args.repeats, YEAR_TARGET_MS)


if __name__ == "__main__":
    main()
