"""Import throughput: a one-stop export of 10,000 rows (2% of them bad) into a fresh database.

Times `flask dossiers import` as an operator runs it (the service behind the CLI and the API:
read, check, upsert, commit in batches), first into an empty database, then the same file
again (every row unchanged). Target: 10,000 rows in under 10 s on SQLite.

Run with `make bench`, or: python bench/imports.py [--database-url URL] [--rows N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import fresh_database, migrate  # noqa: E402
from tests.imports.exports import export_rows, write_csv  # noqa: E402
from tests.support import build_world  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.imports.batches import import_dossiers  # noqa: E402

TARGET_SECONDS = 10.0
TARGET_ROWS = 10_000


def timed_import(path: Path, user) -> tuple[float, dict]:
    started = time.perf_counter()
    with open(path, "rb") as stream:
        report = import_dossiers(user, stream)
    return time.perf_counter() - started, report.counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT}/instance/bench-imports.sqlite3")
    parser.add_argument("--rows", type=int, default=TARGET_ROWS)
    args = parser.parse_args()
    fresh_database(args.database_url)
    migrate(args.database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context(), tempfile.TemporaryDirectory() as folder:
        admin = build_world()["users"]["admin1"]
        path = write_csv(Path(folder) / "mot-cua.csv", export_rows(args.rows))
        first_seconds, first = timed_import(path, admin)
        again_seconds, again = timed_import(path, admin)
    target_rate = TARGET_ROWS / TARGET_SECONDS
    print(f"dossier import, {args.rows:,} rows, {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}")
    for label, seconds, counts in (("first import", first_seconds, first), ("same file again", again_seconds, again)):
        rate = args.rows / seconds
        print(
            f"  {label:<16} {seconds:6.2f} s  {rate:7.0f} rows/s  (target {target_rate:.0f} rows/s, "
            f"ratio {rate / target_rate:.2f})  created {counts['created']}, unchanged {counts['unchanged']}, "
            f"refused {counts['refused']}"
        )


if __name__ == "__main__":
    main()
