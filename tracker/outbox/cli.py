"""flask worker: the one background process (webhooks, mail, delay announcements)."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime

import click

from tracker.extensions import db
from tracker.outbox.worker import run_pass

logger = logging.getLogger(__name__)


@click.command("worker")
@click.option("--once", is_flag=True, help="Drain what is due now and exit (cron, tests).")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between passes when idle.")
@click.option("--now", "now", type=click.DateTime(formats=["%Y-%m-%dT%H:%M:%S%z"]), default=None, hidden=True)
def worker_command(once: bool, interval: float, now: datetime | None) -> None:
    """Send webhooks and e-mail from the outbox and announce delays; stops cleanly on SIGTERM."""
    if once:
        click.echo(str(run_pass(now)))
        return
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    click.echo(f"Worker started (a pass every {interval:g} s when idle); SIGTERM stops it after the current pass.")
    while not stopping.is_set():
        try:
            summary = run_pass()
        except Exception:  # the database restarting, say: log it, wait, try again
            logger.exception("worker pass failed")
            db.session.rollback()
            stopping.wait(interval)
            continue
        if summary.busy:
            click.echo(str(summary))
        else:
            stopping.wait(interval)
    click.echo("Worker stopped.")
