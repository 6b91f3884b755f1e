"""On PostgreSQL a process remembers who holds a token, and forgets it the moment anything changes."""

import time

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import TEST_DATABASE_URL, on_postgres
from tests.support import statements_starting
from tracker.auth.holders import Entry, holders_of
from tracker.database import utcnow
from tracker.extensions import db

pytestmark = pytest.mark.skipif(not on_postgres(), reason="the notifications that keep it true are PostgreSQL's")

RAW_URL = (
    make_url(TEST_DATABASE_URL or "postgresql://").set(drivername="postgresql").render_as_string(hide_password=False)
)


TERMINATE_LISTENERS = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tracker token holders'"
)


def holders(app):
    return holders_of(db.engine, app.config["TOKEN_CACHE_SECONDS"])


def until(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def token_reads(api) -> int:
    """How many statements a request spent on reading its token (0: remembered)."""
    with statements_starting("SELECT") as seen:
        assert api.get("/api/v1/users/me").status_code == 200
    return sum("api_tokens" in statement for statement in seen)


def remembered(app, api):
    """The client once its holder is served from memory (the listener connected, no change pending)."""
    assert until(lambda: holders(app).listening)
    assert until(lambda: token_reads(api) == 0), "the token is read from the database on every request"
    return api


def elsewhere(statement: str) -> None:
    """A change made by another process: its own connection, committed at once."""
    with psycopg.connect(RAW_URL, autocommit=True) as connection:
        connection.execute(statement)


def test_a_holder_is_read_once_then_remembered(app, as_user):
    post = remembered(app, as_user("post1"))
    assert [token_reads(post) for _ in range(3)] == [0, 0, 0]


@pytest.mark.parametrize(
    ("change", "seen"),
    [
        ("UPDATE users SET active = false WHERE username = 'post1'", lambda me: me.status_code == 401),
        ("UPDATE users SET role = 'supervisor' WHERE username = 'post1'", lambda me: me.json["role"] == "supervisor"),
        ("DELETE FROM api_tokens", lambda me: me.status_code == 401),
    ],
    ids=["user disabled", "role changed", "token revoked"],
)
def test_a_change_made_by_another_process_is_seen_within_moments(app, as_user, change, seen):
    post = remembered(app, as_user("post1"))
    elsewhere(change)
    assert until(lambda: seen(post.get("/api/v1/users/me")), seconds=2)


def test_while_the_listener_is_away_every_request_reads_the_database(app, as_user):
    post = remembered(app, as_user("post1"))
    elsewhere(TERMINATE_LISTENERS)
    assert until(lambda: not holders(app).listening)
    assert token_reads(post) == 1  # it reconnects after half a second at the earliest
    assert until(lambda: holders(app).listening)
    assert until(lambda: token_reads(post) == 0)


def test_a_holder_read_before_a_change_was_heard_is_not_kept(app):
    remembered_here = holders(app)
    assert until(lambda: remembered_here.listening)
    read_at = remembered_here.generation
    remembered_here.forget()  # a change heard while the holder was being read
    entry = Entry(1, utcnow().replace(year=2100), None, remembered_here.kept_until())
    remembered_here.put("a-token-hash", entry, read_at)
    assert remembered_here.get("a-token-hash", utcnow()) is None
    remembered_here.put("a-token-hash", entry, remembered_here.generation)
    assert remembered_here.get("a-token-hash", utcnow()) is entry
    remembered_here.forget()


def test_without_the_triggers_nothing_is_remembered(app, as_user):
    post = remembered(app, as_user("post1"))
    elsewhere("DROP TRIGGER api_tokens_notify_tracker_auth ON api_tokens")
    try:
        elsewhere(TERMINATE_LISTENERS)
        assert until(lambda: not holders(app).listening)
        time.sleep(1.0)  # two tries to listen again, each refused
        assert not holders(app).listening and token_reads(post) == 1
    finally:
        elsewhere(
            "CREATE TRIGGER api_tokens_notify_tracker_auth AFTER UPDATE OR DELETE OR TRUNCATE ON api_tokens"
            " FOR EACH STATEMENT EXECUTE FUNCTION tracker_auth_changed()"
        )
    assert until(lambda: holders(app).listening, seconds=20)
