"""flask custody verify: check every hash chain of the custody record and print the daily digests."""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

from tracker.custody import chain
from tracker.custody.queries import miscounted_transfers
from tracker.extensions import db

custody_cli = AppGroup("custody", help="The custody record.")


@custody_cli.command("verify")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Check events recorded from this local day (YYYY-MM-DD), trusting the hash just before it.",
)
def verify_command(since: datetime | None) -> None:
    """Recompute every event's hash and link, and count every transfer's lines; exit 1 naming the
    first event that does not match, or the transfers whose count does not."""
    result = chain.verify(chain.start_of_day(since.date()) if since else None)
    miscounted = miscounted_transfers()
    db.session.rollback()
    click.echo(f"Daily digests ({current_app.config['TRACKER_TIMEZONE']}; SHA-256 over each day's event hashes):")
    for digest in result.digests:
        click.echo(f"  {digest.day.isoformat()}  {digest.events:>7} events  {digest.root}")
    if result.mismatch is not None:
        bad = result.mismatch
        click.echo(f"Custody event {bad.event_id} ({bad.kind}, chain {bad.chain}) does not match: {bad.reason}.")
        raise SystemExit(1)
    click.echo(f"Verified {result.events} custody events in {result.chains} chains: every link holds.")
    for code, kept, counted in miscounted:
        click.echo(f"Transfer {code} keeps a count of {kept} items but has {counted} manifest lines.")
    if miscounted:
        raise SystemExit(1)
