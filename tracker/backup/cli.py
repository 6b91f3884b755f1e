"""flask backup OUTPUT and flask restore INPUT."""

from __future__ import annotations

from pathlib import Path

import click

from tracker.backup import services


@click.command("backup")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(output: Path) -> None:
    """Write a consistent copy of the database to OUTPUT while the service runs."""
    try:
        services.backup(output)
    except services.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {output} ({output.stat().st_size} bytes).")


@click.command("restore")
@click.argument("source", metavar="INPUT", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace what a non-empty database holds.")
def restore_command(source: Path, force: bool) -> None:
    """Bring a backup back into the configured database (stop the service first)."""
    try:
        services.restore(source, force=force)
    except services.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {source}. Check it: flask custody verify")
