"""The dossier logistics tracker: a Flask application factory and nothing else."""

from __future__ import annotations

import os

from flask import Flask
from sqlalchemy.orm import configure_mappers
from werkzeug.routing import IntegerConverter

from tracker.config import DEVELOPMENT_SECRET_KEY, config_from_environment
from tracker.extensions import db, migrate

MIGRATIONS_DIRECTORY = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")


def end_request_transaction(_error: BaseException | None = None) -> None:
    """Whatever a request left uncommitted is rolled back, and its locks released, when it ends."""
    db.session.remove()


class RowId(IntegerConverter):
    """An integer in a path names a row: past PostgreSQL's integer it names nothing (404, not 500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = RowId
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config_from_environment(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    if app.config["SECRET_KEY"] == DEVELOPMENT_SECRET_KEY and not (app.debug or app.testing):
        raise RuntimeError(
            "SECRET_KEY is the development default, which anyone can use to forge a session. "
            "Set the SECRET_KEY environment variable to a long random value, or write one to "
            f"{os.path.join(app.instance_path, 'secret_key')} (`make run` creates it on first run)."
        )
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    from tracker import models  # noqa: F401  (every model, for Alembic and relationships)
    from tracker.api import init_api
    from tracker.cli import register_commands
    from tracker.database import configure_postgresql, configure_sqlite
    from tracker.delays import leg_limits, rollups  # noqa: F401  (session hooks: new legs' limits, finished legs counted)
    from tracker.errors import register_error_handlers
    from tracker.web import init_web

    configure_mappers()  # now, not in the first request each server process answers
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIRECTORY, render_as_batch=True, compare_type=True)
    with app.app_context():
        configure_sqlite(db.engine)
        configure_postgresql(db.engine)
    app.teardown_request(end_request_transaction)
    register_error_handlers(app)
    init_api(app)
    init_web(app)
    register_commands(app)
    return app
