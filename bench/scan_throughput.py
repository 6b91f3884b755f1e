"""Scan throughput: 32 scanners adding items to transfers through gunicorn, 3 rounds of 20 s.

Each server is driven for a few seconds first, unmeasured, so that every worker process has
connected to the database and prepared its statements: the figures are the steady state.

Prints acknowledged scans per second with p50/p99 latency and the CPU time the gunicorn
processes spent per acknowledged scan, the same for a bare Flask endpoint doing one INSERT
into the same database, round by round (the two take turns, each going first in every other
round), then the medians of the rounds and the ratio of the two medians (targets: at least
0.5, p99 under 150 ms). On a 2-core machine that also runs the clients, one round can move
by a third; the medians move less.
Run with `make bench` (PostgreSQL) or: python bench/scan_throughput.py --database-url URL
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import psutil
from sqlalchemy import insert
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import fresh_database, migrate  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.auth.services import create_user  # noqa: E402
from tracker.custody.models import Item  # noqa: E402
from tracker.domain.codes import CodeKind, new_code  # noqa: E402
from tracker.domain.custody import Role, UnitKind  # noqa: E402
from tracker.dossiers.services import DossierDetails, register_dossier  # noqa: E402
from tracker.extensions import db  # noqa: E402
from tracker.units.services import create_unit  # noqa: E402

PASSWORD = "bench-password"
CLERK = "scanner"  # the password policy refuses a password that holds the username
TARGET_RATIO, TARGET_P99_MS = 0.5, 150
TRACKER_PORT, BARE_PORT = 5101, 5102
WARM_UP_SECONDS = 3


def prepare(url: str, items_needed: int) -> list[str]:
    """Migrate, add a post office, the centre, a clerk, and items the post office holds."""
    migrate(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        post = create_unit("BC-BENCH", "Bưu cục đo tải", UnitKind.POST)
        create_unit("TTHCC", "Trung tâm", UnitKind.CENTRE)
        department = create_unit("STP", "Sở Tư pháp", UnitKind.DEPARTMENT)
        db.session.flush()
        clerk = create_user(CLERK, "Bench", PASSWORD, Role.POSTAL_STAFF, post)
        db.session.flush()
        now = datetime.now(UTC)
        dossier = register_dossier(
            clerk, DossierDetails("BENCH-1", "1", "Thủ tục đo tải", "Nguyễn Văn A", "", "", department.code, now, now)
        )
        codes = [new_code(CodeKind.ITEM) for _ in range(items_needed)]
        rows = [
            {
                "code": c,
                "dossier_id": dossier.id,
                "kind": "application",
                "status": "held",
                "holder_unit_id": post.id,
                "created_at": now,
            }
            for c in codes
        ]
        db.session.execute(insert(Item), rows)
        db.session.execute(
            db.text("CREATE TABLE bench_bare (id SERIAL PRIMARY KEY, code TEXT)")
            if url.startswith("postgresql")
            else db.text("CREATE TABLE bench_bare (id INTEGER PRIMARY KEY, code TEXT)")
        )
        db.session.commit()
        db.engine.dispose()
    return codes


@contextmanager
def gunicorn(app_path: str, port: int, url: str, workers: int, threads: int):
    """gunicorn serving app_path on 127.0.0.1:port; yields its master process."""
    env = {**os.environ, "DATABASE_URL": url}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app_path,
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/")
                break
            except OSError:
                time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def call(connection, method: str, path: str, body: dict | None, headers: dict) -> tuple[int, dict]:
    connection.request(
        method,
        path,
        body=json.dumps(body) if body is not None else None,
        headers={"Content-Type": "application/json", **headers},
    )
    response = connection.getresponse()
    return response.status, json.loads(response.read() or b"{}")


def cpu_seconds(master: subprocess.Popen) -> float:
    """User and system CPU time of gunicorn's master and its workers so far."""
    processes = [psutil.Process(master.pid), *psutil.Process(master.pid).children(recursive=True)]
    return sum(sum(process.cpu_times()[:2]) for process in processes)


def database_cpu_seconds() -> dict[int, float]:
    """User and system CPU time of each PostgreSQL process on this machine so far (server and backends)."""
    seconds = {}
    for process in psutil.process_iter(["name", "cpu_times"]):
        if process.info["name"] == "postgres" and process.info["cpu_times"] is not None:
            seconds[process.pid] = sum(process.info["cpu_times"][:2])
    return seconds


def drive_measured(master: subprocess.Popen, port: int, clients: int, seconds: float, make_request) -> dict:
    """drive() after a warm-up, and the CPU time per acknowledged request of the server and of the
    database (the backends the warm-up connected live through the round; on SQLite it reads 0)."""
    drive(port, clients, WARM_UP_SECONDS, make_request)
    before, database_before = cpu_seconds(master), database_cpu_seconds()
    figures = drive(port, clients, seconds, make_request)
    acknowledged = max(figures["acknowledged"], 1)
    figures["cpu_ms"] = (cpu_seconds(master) - before) * 1000 / acknowledged
    database_after = database_cpu_seconds()
    spent = sum(after - database_before.get(pid, 0.0) for pid, after in database_after.items())
    figures["database_cpu_ms"] = spent * 1000 / acknowledged
    return figures


def drive(port: int, clients: int, seconds: float, make_request) -> dict:
    """Run clients in threads for the given time; each calls make_request(connection, client) in a loop."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    start_gate = threading.Barrier(clients + 1)

    def run(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start_gate.wait()
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            began = time.perf_counter()
            if make_request(connection, index):
                latencies[index].append(time.perf_counter() - began)
            else:
                failures[index] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    everything = sorted(x for per_client in latencies for x in per_client)
    return {
        "per_second": len(everything) / elapsed,
        "p50_ms": statistics.median(everything) * 1000,
        "p99_ms": everything[int(len(everything) * 0.99)] * 1000,
        "acknowledged": len(everything),
        "failed": sum(failures),
    }


class TrackerScans:
    """The service: a clerk's token, and the clients packing items from one pile."""

    def __init__(self, master: subprocess.Popen, clients: int, codes: list[str]):
        self.master, self.clients = master, clients
        setup = http.client.HTTPConnection("127.0.0.1", TRACKER_PORT, timeout=30)
        status, token = call(setup, "POST", "/api/v1/auth/token", {"username": CLERK, "password": PASSWORD}, {})
        assert status == 200, token
        self.auth = {"Authorization": f"Bearer {token['token']}"}
        # One pile, not a share each: gunicorn serves some connections far more often than others.
        self.unscanned = iter(codes)

    def round(self, seconds: float) -> dict:
        """A round into fresh transfers, one a client, as a scanner starts a slip."""
        setup = http.client.HTTPConnection("127.0.0.1", TRACKER_PORT, timeout=30)
        transfers = []
        for _ in range(self.clients):
            status, transfer = call(setup, "POST", "/api/v1/transfers", {"to_unit": "TTHCC"}, self.auth)
            assert status == 201, transfer
            transfers.append(transfer["code"])

        def add_item(connection, index):
            body = {"item_code": next(self.unscanned)}
            status, _ = call(connection, "POST", f"/api/v1/transfers/{transfers[index]}/items", body, self.auth)
            return status == 201

        return drive_measured(self.master, TRACKER_PORT, self.clients, seconds, add_item)


class BareInserts:
    def __init__(self, master: subprocess.Popen, clients: int):
        self.master, self.clients, self.numbers = master, clients, itertools.count()

    def round(self, seconds: float) -> dict:
        def insert_row(connection, index):
            status, _ = call(connection, "POST", "/insert", {"code": f"{index}-{next(self.numbers)}"}, {})
            return status == 201

        return drive_measured(self.master, BARE_PORT, self.clients, seconds, insert_row)


def medians(rounds: list[dict]) -> dict:
    return {name: statistics.median(figures[name] for figures in rounds) for name in rounds[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    fresh_database(args.database_url)
    codes = prepare(args.database_url, items_needed=args.clients * 3000)
    url, workers, threads = args.database_url, args.workers, args.threads
    backend = make_url(url).get_backend_name()
    print(
        f"scan throughput on {backend}, {args.clients} clients, {args.rounds} rounds of {args.seconds:.0f} s each, "
        f"gunicorn {workers} workers x {threads} threads",
        flush=True,
    )
    results: dict[str, list[dict]] = {"tracker add-item": [], "bare INSERT": []}
    with (
        gunicorn("wsgi:app", TRACKER_PORT, url, workers, threads) as tracker_master,
        gunicorn("bench.bare_app:app", BARE_PORT, url, workers, threads) as bare_master,
    ):
        servers = {"tracker add-item": TrackerScans(tracker_master, args.clients, codes),
                   "bare INSERT": BareInserts(bare_master, args.clients)}  # fmt: skip
        for number in range(args.rounds):
            # Alternate which goes first, so that a machine slowing down or speeding up favours neither.
            for name in sorted(servers, reverse=number % 2 == 1):
                results[name].append(servers[name].round(args.seconds))
                print_figures(f"round {number + 1}, {name}", results[name][-1])
    tracker, bare = medians(results["tracker add-item"]), medians(results["bare INSERT"])
    print("  medians of the rounds:")
    print_figures("tracker add-item", tracker)
    print_figures("bare INSERT", bare)
    ratio = tracker["per_second"] / bare["per_second"]
    met = ratio >= TARGET_RATIO and tracker["p99_ms"] < TARGET_P99_MS
    print(
        f"  ratio tracker/bare: {ratio:.2f} (target {TARGET_RATIO}), tracker p99 {tracker['p99_ms']:.0f} ms"
        f" (target {TARGET_P99_MS} ms)   {'met' if met else 'NOT MET'}"
    )


def print_figures(name: str, figures: dict) -> None:
    print(
        f"  {name:<28} {figures['per_second']:8.1f} acknowledged/s   p50 {figures['p50_ms']:6.1f} ms   "
        f"p99 {figures['p99_ms']:6.1f} ms   CPU {figures['cpu_ms']:5.2f} ms a scan, "
        f"database {figures['database_cpu_ms']:4.2f} ms   "
        f"({figures['acknowledged']:.0f} ok, {figures['failed']:.0f} failed)",
        flush=True,
    )


if __name__ == "__main__":
    main()
