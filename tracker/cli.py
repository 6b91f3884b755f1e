"""Commands for operators."""

from __future__ import annotations

import click
from flask import Flask

from tracker.extensions import db


def register_commands(app: Flask) -> None:
    from tracker.api.cli import idempotency_cli
    from tracker.auth.cli import users_cli
    from tracker.backup.cli import backup_command, restore_command
    from tracker.custody.cli import custody_cli
    from tracker.delays.cli import delays_cli, report_cli, sla_cli
    from tracker.imports.cli import dossiers_cli
    from tracker.outbox.cli import worker_command
    from tracker.printing.cli import labels_cli
    from tracker.procedures.cli import procedures_cli

    for command in (
        seed_demo_command, labels_cli, delays_cli, report_cli, sla_cli, idempotency_cli, users_cli, worker_command,
        custody_cli, backup_command, restore_command, procedures_cli, dossiers_cli,
    ):  # fmt: skip
        app.cli.add_command(command)


@click.command("seed-demo")
@click.option("--dossiers", default=300, show_default=True, help="How many dossiers to simulate.")
@click.option("--weeks", default=8, show_default=True, help="How far back the history goes.")
@click.option("--seed", default=2026, show_default=True, help="Random seed, for a repeatable history.")
@click.option("--if-empty", is_flag=True, help="Do nothing if the database already has units.")
def seed_demo_command(dossiers: int, weeks: int, seed: int, if_empty: bool) -> None:
    """Create the Nghệ An demo: units, one user per role, and dossiers with custody histories."""
    from tracker.demo.history import database_is_empty, seed_demo
    from tracker.demo.province import DEMO_PASSWORD, DEMO_USERS

    if if_empty and not database_is_empty():
        click.echo("Database already has data: demo not seeded.")
        return
    click.echo("Seeding the Nghệ An demo...")
    summary = seed_demo(dossiers=dossiers, weeks=weeks, seed=seed, progress=click.echo)
    db.session.commit()
    click.echo(summary)
    click.echo(f"Demo logins (password {DEMO_PASSWORD}):")
    for username, _name, role, unit in DEMO_USERS:
        click.echo(f"  {username:<12} {role:<17} {unit}")
