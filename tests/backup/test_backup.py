"""flask backup while the API writes, flask restore into a fresh database, and the copy verifies."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from tests.conftest import make_app, migrate, on_postgres, recreate_postgres_database
from tests.support import ApiClient
from tracker.custody.models import CustodyEvent
from tracker.extensions import db

WRITES = 200  # at most: the writer stops once the backup is done


def event_count() -> int:
    count = db.session.scalar(select(func.count()).select_from(CustodyEvent))
    db.session.rollback()
    return count


@pytest.fixture
def fresh_url(database_url, tmp_path):
    """An empty database of the same kind as the one under test, dropped afterwards."""
    if not on_postgres():
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    url = database_url.rsplit("/", 1)[0] + "/" + database_url.rsplit("/", 1)[1] + "_restore"
    recreate_postgres_database(url)
    yield url
    recreate_postgres_database(url)


def write_through_the_api(app, acknowledged: list[str], started: threading.Event, stop: threading.Event) -> None:
    """Postal staff registering dossiers and sending their items, one acknowledged step after
    another, until told to stop (or WRITES of them)."""
    post = ApiClient.signed_in(app.test_client(), "post1")
    for _ in range(WRITES):
        item = post.new_item(post.register_dossier()["code"])
        acknowledged.append(item)
        started.set()
        post.send("TTHCC", [item])
        if stop.is_set():
            return


def test_backup_during_writes_restores_and_verifies(app, world, runner, fresh_url, tmp_path):
    acknowledged: list[str] = []
    started, stop = threading.Event(), threading.Event()
    writer = threading.Thread(target=write_through_the_api, args=(app, acknowledged, started, stop))
    writer.start()
    assert started.wait(60)
    time.sleep(0.2)
    before, written_before = event_count(), len(acknowledged)
    output = tmp_path / "tracker.backup"
    result = runner.invoke(args=["backup", str(output)])
    still_writing = writer.is_alive()  # the API was writing all through the backup
    stop.set()
    writer.join(120)
    assert result.exit_code == 0, result.output
    assert still_writing and len(acknowledged) >= written_before > 0
    assert event_count() >= before

    restored = make_app(fresh_url)
    with restored.app_context():
        restore = restored.test_cli_runner().invoke(args=["restore", str(output)])
        assert restore.exit_code == 0, restore.output
        copy = event_count()
        verify = restored.test_cli_runner().invoke(args=["custody", "verify"])
        assert verify.exit_code == 0, verify.output
        assert f"Verified {copy} custody events" in verify.output
        # A second restore into the now non-empty copy is refused unless forced.
        again = restored.test_cli_runner().invoke(args=["restore", str(output)])
        assert again.exit_code != 0 and "not empty" in again.output
        forced = restored.test_cli_runner().invoke(args=["restore", str(output), "--force"])
        assert forced.exit_code == 0, forced.output
        assert event_count() == copy
        db.session.remove()
        db.engine.dispose()
    # Everything acknowledged before the backup began is in the copy.
    assert before <= copy <= event_count()


def test_restore_refuses_a_file_that_is_not_a_backup(app, runner, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    result = runner.invoke(args=["restore", str(junk), "--force"])
    assert result.exit_code != 0 and "is not a" in result.output


def test_restore_into_a_migrated_empty_schema_needs_force(app, runner, tmp_path, fresh_url):
    output = tmp_path / "tracker.backup"
    assert runner.invoke(args=["backup", str(output)]).exit_code == 0
    migrate(fresh_url)
    restored = make_app(fresh_url)
    with restored.app_context():
        result = restored.test_cli_runner().invoke(args=["restore", str(output)])
        db.session.remove()
        db.engine.dispose()
    assert result.exit_code != 0 and "not empty" in result.output
