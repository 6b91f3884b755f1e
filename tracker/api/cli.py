"""`flask idempotency purge`: forget idempotency keys older than their retention."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from tracker.api.idempotency import purge_keys
from tracker.extensions import db

idempotency_cli = AppGroup("idempotency", help="Idempotency keys kept so that retries replay their first answer.")


@idempotency_cli.command("purge")
@click.option(
    "--older-than-days",
    type=click.IntRange(min=1),
    default=None,
    help="Delete keys stored more than this many days ago (default: IDEMPOTENCY_RETENTION_DAYS, 30).",
)
def purge_command(older_than_days: int | None) -> None:
    """Delete old idempotency keys; a retry older than that is made again as a new request."""
    days = older_than_days or current_app.config["IDEMPOTENCY_RETENTION_DAYS"]
    deleted = purge_keys(days)
    db.session.commit()
    click.echo(f"Deleted {deleted} idempotency keys older than {days} days.")
