"""Database behaviour shared by every feature: UTC timestamps, SQLite set-up, PostgreSQL's binary rows."""

from __future__ import annotations

from datetime import UTC, datetime

from psycopg.pq import Format
from sqlalchemy import DateTime, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator


def upsert_insert(dialect: str, table):
    """INSERT for the dialect's ON CONFLICT clauses (PostgreSQL and SQLite spell them alike)."""
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


class UTCDateTime(TypeDecorator):
    """An aware datetime stored as UTC; SQLite keeps it naive, PostgreSQL as timestamptz."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: every stored time must carry its offset")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


LOCKED = "rows_locked_for_update"  # in the session's info, until its transaction ends


def note_locked(session: Session, instance) -> None:
    """This transaction read the instance's row with FOR UPDATE (and refreshed it)."""
    session.info.setdefault(LOCKED, set()).add((type(instance), instance.id))


def is_locked(session: Session, instance) -> bool:
    return (type(instance), instance.id) in session.info.get(LOCKED, ())


@event.listens_for(Session, "after_transaction_end")
def _forget_locks(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(LOCKED, None)


def held(session: Session, model: type, id_: int):
    """The session's copy of the row, if it holds one (no query)."""
    # The identity map's own key, spelled out: identity_key() costs more than the lookup.
    return session.identity_map.get((model, (id_,), None))


def expire_loaded(session: Session, model: type, *ids: int) -> None:
    """Rows just written with Core, behind the ORM's back: a copy the session holds is read again."""
    for id_ in ids:
        instance = held(session, model, id_)
        if instance is not None:
            session.expire(instance)


def refresh_planner_statistics(session: Session) -> None:
    """SQLite plans queries well only with statistics (sqlite_stat1), which nothing gathers for it:
    analyse every table once, then the tables whose size changed a lot since (PRAGMA optimize).
    PostgreSQL's autovacuum does this on its own."""
    if session.get_bind().dialect.name != "sqlite":
        return
    analysed = session.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first()
    session.execute(text("PRAGMA optimize" if analysed else "ANALYZE"))


def utcnow() -> datetime:
    return datetime.now(UTC)


# An execution option: PostgreSQL sends the statement's rows in its binary format.
BINARY_RESULTS = "binary_results"


def configure_postgresql(engine: Engine) -> None:
    """Statements run with BINARY_RESULTS get their rows from PostgreSQL in binary: bytea as its
    bytes rather than hex text twice the size (a year of histograms: 11 MB), arrays as values
    rather than text to parse. Everything else keeps psycopg's text format."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "before_cursor_execute")
    def _result_format(_connection, cursor, _statement, _parameters, context, _executemany):
        if context.execution_options.get(BINARY_RESULTS):
            cursor.format = Format.BINARY


def configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, and write transactions that take the lock up front.

    pysqlite's own transaction handling is switched off so that every transaction starts
    with BEGIN IMMEDIATE: two requests that read-then-write the same rows are serialised by
    SQLite's write lock instead of failing (or racing) when one upgrades its read lock.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
