"""The migrations are the schema: autogenerate must find nothing the models add or drop."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tracker.extensions import db


# SQLite's reflection cannot read an index on an expression (ix_legs_late_at); PostgreSQL's can.
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_schema_is_at_the_latest_revision(app):
    from alembic.script import ScriptDirectory

    config = app.extensions["migrate"].migrate.get_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    with db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head


def test_every_migration_goes_down_and_up_again_with_data_in_the_tables(app, as_user):
    """An operator can step back a release: tables recreated in batch mode keep their rows."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, select

    from tracker.auth.models import User

    post = as_user("post1")
    post.send("TTHCC", [post.new_item(post.register_dossier()["code"])])
    users = db.session.scalar(select(func.count()).select_from(User))
    db.session.remove()
    downgrade(revision="0005")  # below every later change of users, items and custody events
    upgrade()
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(User)) == users
    assert as_user("post1").get("/api/v1/dossiers").status_code == 200
