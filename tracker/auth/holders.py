"""Who holds a bearer token, remembered between requests on PostgreSQL.

Every API request names its user by a token, and reading the token and the user back costs a
round trip and an ORM load on each of them: about a third of a scan's work. A process keeps
what it read, and forgets all of it the moment anything that decides it changes:

- in this process, at the commit of a session that changed a user, a unit or a token;
- in every process, on the `tracker_auth` notification that the database's triggers on users,
  units and api_tokens send at commit (migration 0019), heard by a listener thread on its own
  connection. While that listener is not connected, nothing is remembered or served from memory.

A change made in one process therefore reaches the others within the time a notification takes
to arrive (milliseconds); an entry also lives at most TOKEN_CACHE_SECONDS, and a token's expiry
is checked on every use. SQLite has no notifications: there every request reads the database.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime

import psycopg
from sqlalchemy import event, inspect
from sqlalchemy.engine import URL, Engine
from sqlalchemy.orm import ORMExecuteState, Session, make_transient_to_detached

from tracker.auth.models import ApiToken, User
from tracker.units.models import Unit

log = logging.getLogger(__name__)

CHANNEL = "tracker_auth"
MOST_ENTRIES = 10_000  # far more tokens than a province's clerks hold at once
HEARTBEAT_SECONDS = 5.0
ALIVE_SECONDS = 3 * HEARTBEAT_SECONDS
NOTIFYING_TABLES = ("users", "units", "api_tokens")  # migration 0019
LISTENER_CONNECTION = {
    "autocommit": True, "connect_timeout": 5, "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
    "keepalives_count": 3, "tcp_user_timeout": 15_000, "application_name": "tracker token holders",
}  # fmt: skip
RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0)
DECIDES_HOLDER = (User, Unit, ApiToken)
CHANGED = "token_holders_changed"  # in a session's info, until its transaction ends


@dataclass(frozen=True)
class Entry:
    token_id: int
    expires_at: datetime
    user: User  # detached, never in a session: each request merges a copy of it
    kept_until: float


def detached_copy(user: User) -> User:
    """The user and their unit as new detached objects: what a session loaded stays its own."""
    unit = Unit(**{attribute.key: getattr(user.unit, attribute.key) for attribute in inspect(Unit).column_attrs})
    copy = User(**{attribute.key: getattr(user, attribute.key) for attribute in inspect(User).column_attrs}, unit=unit)
    make_transient_to_detached(unit)
    make_transient_to_detached(copy)
    return copy


class TokenHolders:
    """One process's memory of token holders for one database, and the thread that keeps it true.

    Memory is used only while the listener vouches for it: connected, hearing notifications, and
    alive at its last heartbeat (a connection that died silently stops vouching within
    ALIVE_SECONDS, whatever TCP does meanwhile).
    """

    def __init__(self, url: URL, seconds: int):
        self._url, self._seconds = url, seconds
        self._entries: dict[str, Entry] = {}
        self._generation = 0
        self._lock = threading.Lock()
        self._alive_until = 0.0  # monotonic; 0: not listening
        self._thread = threading.Thread(target=self._listen, name="token-holders", daemon=True)
        self._thread.start()

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def listening(self) -> bool:
        return time.monotonic() < self._alive_until

    def get(self, token_hash: str, now: datetime) -> Entry | None:
        if not self.listening:
            return None
        entry = self._entries.get(token_hash)
        if entry is None or entry.expires_at <= now or entry.kept_until <= time.monotonic():
            return None
        return entry

    def kept_until(self) -> float:
        return time.monotonic() + self._seconds

    def put(self, token_hash: str, entry: Entry, read_at_generation: int) -> None:
        """Kept only if nothing was forgotten since the holder was read: else it may be stale."""
        with self._lock:
            if not self.listening or self._generation != read_at_generation:
                return
            if len(self._entries) >= MOST_ENTRIES:  # expired entries are never read again: start afresh
                self._entries = {}
            self._entries[token_hash] = entry

    def forget(self) -> None:
        with self._lock:
            self._entries = {}
            self._generation += 1

    def _listen(self) -> None:
        conninfo = self._url.set(drivername="postgresql").render_as_string(hide_password=False)
        failures = 0
        while True:
            try:
                with psycopg.connect(conninfo, **LISTENER_CONNECTION) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    _require_triggers(connection)
                    _hear_notification_from_elsewhere(connection, conninfo)
                    self.forget()  # whatever changed before LISTEN went unheard
                    self._alive_until, failures = time.monotonic() + ALIVE_SECONDS, 0
                    while True:
                        for _ in connection.notifies(timeout=HEARTBEAT_SECONDS, stop_after=1):
                            self.forget()
                        connection.execute("SELECT 1")  # a dead connection shows itself here
                        self._alive_until = time.monotonic() + ALIVE_SECONDS
            except Exception:  # any failure: stop serving from memory, connect again
                self._alive_until = 0.0
                self.forget()
                delay = RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)]
                failures += 1
                log.warning("token holders: not listening, trying again in %s s", delay, exc_info=True)
                time.sleep(delay)
            finally:
                self._alive_until = 0.0


def _require_triggers(connection: psycopg.Connection) -> None:
    """Without migration 0019's triggers nobody notifies: nothing may be remembered."""
    found = connection.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE %s", (f"%_notify_{CHANNEL}",))
    if found.fetchone()[0] < len(NOTIFYING_TABLES):
        raise RuntimeError(f"the {CHANNEL} triggers are missing: run flask db upgrade")


def _hear_notification_from_elsewhere(connection: psycopg.Connection, conninfo: str) -> None:
    """Only a listener that hears another session's notification may vouch for memory: behind a
    pooler in transaction mode, LISTEN succeeds and nothing from elsewhere ever arrives."""
    payload = f"listening {os.getpid()} {time.monotonic()}"
    with psycopg.connect(conninfo, **LISTENER_CONNECTION) as elsewhere:
        elsewhere.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
    for notification in connection.notifies(timeout=HEARTBEAT_SECONDS):
        if notification.payload == payload:
            return
    raise RuntimeError(f"LISTEN {CHANNEL} hears nothing (a connection pooler in transaction mode?)")


_registry: dict[tuple[int, str, int], TokenHolders] = {}
_registry_lock = threading.Lock()


def holders_of(engine: Engine, seconds: int) -> TokenHolders | None:
    """This process's memory for the engine's database (a forked process starts its own); None
    where nothing is remembered: on SQLite, or when TOKEN_CACHE_SECONDS is 0."""
    if seconds <= 0 or engine.dialect.name != "postgresql":
        return None
    key = (os.getpid(), engine.url.render_as_string(hide_password=False), seconds)
    holders = _registry.get(key)
    if holders is None:
        with _registry_lock:
            holders = _registry.get(key) or TokenHolders(engine.url, seconds)
            _registry[key] = holders
    return holders


def forget_everywhere_here() -> None:
    for key, holders in list(_registry.items()):
        if key[0] == os.getpid():
            holders.forget()


@event.listens_for(Session, "after_flush")
def _note_flushed_changes(session: Session, _flush_context) -> None:
    if any(isinstance(instance, DECIDES_HOLDER) for instance in (*session.dirty, *session.deleted)):
        session.info[CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(state: ORMExecuteState) -> None:
    mapper = state.bind_mapper
    if (state.is_update or state.is_delete) and mapper is not None and issubclass(mapper.class_, DECIDES_HOLDER):
        state.session.info[CHANGED] = True


@event.listens_for(Session, "after_transaction_end")
def _forget_at_commit(session: Session, transaction) -> None:
    # After the commit, not before: a request reading meanwhile must not keep what was just changed.
    if transaction.parent is None and session.info.pop(CHANGED, False):
        forget_everywhere_here()
