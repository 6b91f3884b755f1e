"""Faults stay harmless: 32 scanners with idempotent retries while a worker dies and PostgreSQL restarts.

Against gunicorn on PostgreSQL (loopback only): each client adds items to its own transfer,
sending every scan with an Idempotency-Key and retrying the same request on any failure
(connection lost, 5xx) until it is acknowledged. A third of the way in, one gunicorn worker
is killed (SIGKILL); half way, the PostgreSQL cluster is restarted once. Afterwards the
acknowledged scans are compared with the custody events in the database:
lost = acknowledged and not recorded, duplicated = recorded more than once. Both must be 0.
Run with `make bench` or: python bench/faults.py --database-url URL
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import fresh_database  # noqa: E402
from bench.scan_throughput import CLERK, PASSWORD, gunicorn, prepare  # noqa: E402

RETRY_PAUSE = 0.2  # seconds between attempts of one scan
SCAN_DEADLINE = 60  # seconds one scan may keep retrying before the client gives up on it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_cluster() -> tuple[str, str]:
    """The local cluster's version and name, as pg_ctlcluster wants them (e.g. 15 main)."""
    version = sorted(os.listdir("/etc/postgresql"), key=int)[-1]
    return version, sorted(os.listdir(f"/etc/postgresql/{version}"))[0]


def wait_for_postgres(seconds: float = 60) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False).returncode == 0:
            return True
        time.sleep(0.5)
    return False


class Scanner:
    """One client: its transfer, its items, and what the server acknowledged."""

    def __init__(self, port: int, auth: dict, transfer: str, codes: list[str]) -> None:
        self.port, self.auth, self.transfer, self.codes = port, auth, transfer, codes
        self.acknowledged: list[str] = []
        self.retries = self.refused = self.abandoned = 0
        self.connection: http.client.HTTPConnection | None = None

    def attempt(self, code: str, key: str) -> int | None:
        """One try: the HTTP status, or None when the connection failed."""
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
            headers = {"Content-Type": "application/json", "Idempotency-Key": key, **self.auth}
            body = json.dumps({"item_code": code})
            self.connection.request("POST", f"/api/v1/transfers/{self.transfer}/items", body=body, headers=headers)
            response = self.connection.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            return None

    def scan(self, code: str) -> None:
        key = f"faults-{uuid.uuid4()}"
        deadline = time.time() + SCAN_DEADLINE
        while time.time() < deadline:
            status = self.attempt(code, key)
            if status == 201:
                self.acknowledged.append(code)
                return
            if status is not None and status < 500:
                self.refused += 1
                return
            self.retries += 1
            time.sleep(RETRY_PAUSE)
        self.abandoned += 1

    def run(self, stop_at: float) -> None:
        for code in self.codes:
            if time.time() >= stop_at:
                return
            self.scan(code)


def faults(master: subprocess.Popen, started: float, seconds: float, log: list[str]) -> None:
    """Kill one worker a third of the way in; restart PostgreSQL once half way."""
    time.sleep(max(0.0, started + seconds / 3 - time.time()))
    workers = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    os.kill(int(workers[0]), signal.SIGKILL)
    log.append(f"gunicorn worker {workers[0]} killed at {time.time() - started:.1f} s")
    time.sleep(max(0.0, started + seconds / 2 - time.time()))
    version, cluster = postgres_cluster()
    began = time.time()
    subprocess.run(["pg_ctlcluster", version, cluster, "restart", "-m", "fast"], check=True, capture_output=True)
    up = wait_for_postgres()
    log.append(
        f"PostgreSQL {version}/{cluster} restarted at {began - started:.1f} s "
        f"({'up again' if up else 'NOT up'} after {time.time() - began:.1f} s)"
    )


def login_and_open_transfers(port: int, clients: int) -> tuple[dict, list[str]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(path: str, body: dict, headers: dict) -> dict:
        connection.request("POST", path, body=json.dumps(body), headers={"Content-Type": "application/json", **headers})
        response = connection.getresponse()
        answer = json.loads(response.read())
        assert response.status in (200, 201), answer
        return answer

    token = call("/api/v1/auth/token", {"username": CLERK, "password": PASSWORD}, {})["token"]
    auth = {"Authorization": f"Bearer {token}"}
    return auth, [call("/api/v1/transfers", {"to_unit": "TTHCC"}, auth)["code"] for _ in range(clients)]


def recorded_scans(url: str) -> Counter:
    """(transfer code, item code) of every packed event in the database, counted."""
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq) as connection:
        rows = connection.execute(
            "SELECT t.code, i.code FROM custody_events e JOIN items i ON i.id = e.item_id "
            "JOIN transfers t ON t.id = e.transfer_id WHERE e.kind = 'packed'"
        ).fetchall()
    return Counter(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        parser.error("the faults bench restarts PostgreSQL: give a postgresql+psycopg:// URL")

    per_client = 1000
    fresh_database(args.database_url)
    codes = prepare(args.database_url, items_needed=args.clients * per_client)
    port, log = free_port(), []
    try:
        with gunicorn("wsgi:app", port, args.database_url, args.workers, args.threads) as master:
            auth, transfers = login_and_open_transfers(port, args.clients)
            scanners = [
                Scanner(port, auth, transfers[i], codes[i * per_client : (i + 1) * per_client])
                for i in range(args.clients)
            ]
            started = time.time()
            threads = [threading.Thread(target=s.run, args=(started + args.seconds,)) for s in scanners]
            threads.append(threading.Thread(target=faults, args=(master, started, args.seconds, log)))
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(args.seconds + SCAN_DEADLINE + 60)
    finally:
        if not wait_for_postgres(5):
            subprocess.run(["pg_ctlcluster", *postgres_cluster(), "start"], check=False)
            wait_for_postgres()

    recorded = recorded_scans(args.database_url)
    acknowledged = Counter((s.transfer, code) for s in scanners for code in s.acknowledged)
    lost = sum(1 for scan in acknowledged if recorded[scan] == 0)
    duplicated = sum(count - 1 for count in recorded.values() if count > 1) + sum(
        count - 1 for count in acknowledged.values() if count > 1
    )
    unacknowledged = sum(1 for scan in recorded if scan not in acknowledged)
    print(
        f"faults on postgresql, {args.clients} clients, {args.seconds:.0f} s, "
        f"gunicorn {args.workers} workers x {args.threads} threads"
    )
    for line in log:
        print(f"  {line}")
    print(
        f"  scans acknowledged {sum(acknowledged.values())}, lost {lost}, duplicated {duplicated}   "
        f"(retries {sum(s.retries for s in scanners)}, refused {sum(s.refused for s in scanners)}, "
        f"given up {sum(s.abandoned for s in scanners)}, recorded but never acknowledged {unacknowledged})"
    )
    if lost or duplicated:
        sys.exit(1)


if __name__ == "__main__":
    main()
