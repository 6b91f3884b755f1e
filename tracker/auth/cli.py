"""Account commands for the operator: the first admin of a new installation, and a lost password."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker.audit.services import record_change
from tracker.auth.accounts import AUDIT_TARGET, account_snapshot, find_user, reset_password_to
from tracker.auth.services import create_user
from tracker.domain.custody import Role, UnitKind
from tracker.errors import ApiError
from tracker.extensions import db
from tracker.units.models import Unit
from tracker.units.services import create_unit

users_cli = AppGroup("users", help="Accounts: the first admin, and a password nobody remembers.")


@users_cli.command("create-admin")
@click.argument("username")
@click.option("--full-name", required=True, help="The admin's name as the pages show it.")
@click.option("--unit", "unit_code", default="TTHCC", show_default=True, help="The centre's unit code.")
@click.option("--unit-name", default="Trung tâm Phục vụ hành chính công", show_default=True,
              help="The centre's name, if the unit does not exist yet.")  # fmt: skip
@click.password_option(help="Asked for twice when not given.")
def create_admin_command(username: str, full_name: str, unit_code: str, unit_name: str, password: str) -> None:
    """Add an admin (and their centre unit if it is missing): how a new installation starts."""
    unit = db.session.scalar(db.select(Unit).where(Unit.code == unit_code.strip().upper()))
    try:
        unit = unit or create_unit(unit_code, unit_name, UnitKind.CENTRE)
        db.session.flush()
        user = create_user(username, full_name, password, Role.ADMIN, unit)
        db.session.flush()
    except ApiError as error:
        raise click.ClickException(error.message) from error
    record_change(None, "create", AUDIT_TARGET, user.username, None, account_snapshot(user))
    db.session.commit()
    click.echo(f"Admin {user.username} created at {unit.code}.")


@users_cli.command("reset-password")
@click.argument("username")
def reset_password_command(username: str) -> None:
    """Print a one-time password for USERNAME, who must choose a new one at sign-in."""
    try:
        user = find_user(username)
    except ApiError as error:
        raise click.ClickException(error.message) from error
    one_time = reset_password_to(None, user)
    db.session.commit()
    click.echo(f"One-time password for {user.username}: {one_time}")
