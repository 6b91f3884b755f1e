"""A consistent copy of the database while the service runs, and bringing one back.

SQLite: the online backup API copies the file page by page under a read snapshot (WAL lets
writers go on). PostgreSQL: pg_dump's custom format, one snapshot of the whole database;
pg_restore brings it back. A copy made on one database is restored only into the same kind.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL

from tracker.extensions import db

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


def postgres_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else the newest under /usr/lib/postgresql/*/bin."""
    installed = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda path: int(Path(path).parts[4]))
    found = installed[-1] if installed else shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client (apt-get install postgresql-client).")
    return found


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The connection string for the PostgreSQL tools, the password passed in the environment."""
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def _run(command: list[str], environment: dict[str, str] | None = None) -> None:
    finished = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    if finished.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {finished.stderr.strip()}")


def _sqlite_copy(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as reader, closing(sqlite3.connect(target)) as writer:
        reader.backup(writer)


def backup(output: Path) -> None:
    """Write a consistent copy of the configured database to output (replaced atomically)."""
    url = db.engine.url
    partial = output.with_name(output.name + ".partial")
    partial.unlink(missing_ok=True)
    if url.get_backend_name() == "sqlite":
        _sqlite_copy(Path(url.database), partial)
    else:
        connection, environment = _libpq(url)
        _run([postgres_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}", connection], environment)
    partial.replace(output)


def is_empty() -> bool:
    """Whether the configured database has no tables yet."""
    return not inspect(db.engine).get_table_names()


def restore(source: Path, *, force: bool) -> None:
    """Bring a backup back into the configured database; a non-empty one only with force."""
    url = db.engine.url
    header = source.read_bytes()[:16] if source.is_file() else b""
    sqlite = url.get_backend_name() == "sqlite"
    if not header.startswith(SQLITE_HEADER if sqlite else PG_DUMP_HEADER):
        kind = "SQLite database file" if sqlite else "pg_dump custom-format file"
        raise BackupError(f"{source} is not a {kind}: restore a backup made from the same kind of database.")
    db.session.remove()
    if not force and not is_empty():
        raise BackupError(f"The database {url.database} is not empty: restore into a new one, or add --force.")
    db.engine.dispose()
    if sqlite:
        _sqlite_copy(source, Path(url.database))
    else:
        connection, environment = _libpq(url)
        clean = ["--clean", "--if-exists"] if force else []
        tool = postgres_tool("pg_restore")
        _run([tool, "--no-owner", "--exit-on-error", *clean, f"--dbname={connection}", str(source)], environment)
