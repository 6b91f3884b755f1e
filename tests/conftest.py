"""A real, migrated database per test run; each test starts from an empty schema.

SQLite (the default): the schema is migrated once into a template file that each test
copies. PostgreSQL (TEST_DATABASE_URL=postgresql+psycopg://...): a fresh database is
migrated once; after each test every table is truncated.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.pages_support import (  # noqa: F401  (the page and browser fixtures, one set for the whole suite)
    browser,
    browser_as,
    late_transfer,
    live_server,
    page_client,
    screenshot,
)
from tests.support import ApiClient, build_world
from tracker import create_app
from tracker.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
FAST_PASSWORD_HASH = "pbkdf2:sha256:1000"


def on_postgres() -> bool:
    return TEST_DATABASE_URL.startswith("postgresql")


def make_app(database_url: str):
    return create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH}
    )


def migrate(database_url: str) -> None:
    app = make_app(database_url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


def recreate_postgres_database(url: str) -> None:
    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="test").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{parsed.database}"')


@pytest.fixture(scope="session")
def postgres_seeds():
    """The rows a freshly migrated PostgreSQL database holds."""
    recreate_postgres_database(TEST_DATABASE_URL)
    migrate(TEST_DATABASE_URL)
    app = make_app(TEST_DATABASE_URL)
    with app.app_context():
        seeds = seeded_rows()
        db.session.remove()
        db.engine.dispose()
    return seeds


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory, request):
    if on_postgres():
        request.getfixturevalue("postgres_seeds")
        return TEST_DATABASE_URL
    template = tmp_path_factory.mktemp("template") / "template.sqlite3"
    migrate(f"sqlite:///{template}")
    return template


@pytest.fixture
def database_url(migrated_database, tmp_path):
    if on_postgres():
        return migrated_database
    copy = tmp_path / "tracker.sqlite3"
    shutil.copyfile(migrated_database, copy)
    return f"sqlite:///{copy}"


def seeded_rows() -> dict[str, list[dict]]:
    """What the migrations put in the tables (the default route limits): restored after each test."""
    return {
        table.name: [dict(row._mapping) for row in db.session.execute(table.select())]
        for table in db.metadata.sorted_tables
    }


def truncate_all_tables(seeds: dict[str, list[dict]]) -> None:
    names = ", ".join(table.name for table in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    for table in db.metadata.sorted_tables:
        if seeds.get(table.name):
            db.session.execute(table.insert(), seeds[table.name])
    db.session.commit()


@pytest.fixture
def app(database_url, request):
    seeds = request.getfixturevalue("postgres_seeds") if on_postgres() else None
    app = make_app(database_url)
    with app.app_context():
        yield app
        db.session.remove()
        if seeds is not None:
            truncate_all_tables(seeds)
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app):
    """Units and one user per role, built through the same services the admin uses."""
    return build_world()


@pytest.fixture
def as_user(app, world):
    """as_user("post1") is an API client signed in as that user."""

    def sign_in(username: str) -> ApiClient:
        return ApiClient.signed_in(app.test_client(), username)

    return sign_in


@pytest.fixture
def post(as_user) -> ApiClient:
    """Postal staff at BC-VINH."""
    return as_user("post1")


@pytest.fixture
def item(post) -> str:
    """A new item held by post1's post office, in a new dossier."""
    return post.new_item(post.register_dossier()["code"])


@pytest.fixture
def now():
    return datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def hours_ago(now):
    return lambda hours: now - timedelta(hours=hours)


# The catalogue's Phiếu lý lịch tư pháp procedure, for the counter's tests and the journey's.
PROCEDURE = {
    "code": "2.001.008",
    "name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
    "department": "STP",
    "processing_days": 10,
    "papers": ["Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Bản chụp Căn cước công dân"],
}


@pytest.fixture
def procedure(as_user) -> dict:
    """The catalogue's Phiếu lý lịch tư pháp procedure, added by the admin."""
    admin: ApiClient = as_user("admin1")
    return admin.ok(admin.post("/api/v1/procedures", PROCEDURE), 201)
