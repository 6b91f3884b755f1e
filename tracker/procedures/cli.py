"""`flask procedures import FILE [--dry-run]`: load the catalogue from the portal's export."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from tracker.errors import ApiError
from tracker.extensions import db
from tracker.procedures.catalogue_import import apply_catalogue, check_catalogue, read_catalogue

procedures_cli = AppGroup("procedures", help="The procedure catalogue (danh mục thủ tục).")


def with_bar(label: str):
    def wrap(items):
        with click.progressbar(items, label=label, length=len(items)) as bar:
            yield from bar

    return wrap


@procedures_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and write nothing.")
def import_command(file: Path, dry_run: bool) -> None:
    """Import procedures from a CSV or XLSX file; new codes are added, known codes updated."""
    try:
        rows = read_catalogue(file.name, file.read_bytes())
    except ApiError as error:
        raise click.ClickException(error.message) from error
    checks = check_catalogue(rows, with_bar("Kiểm tra"))
    bad = [check for check in checks if check.errors]
    for check in bad:
        click.echo(f"Dòng {check.number}: " + " ".join(check.errors), err=True)
    if bad:
        db.session.rollback()
        raise click.ClickException(f"{len(bad)}/{len(checks)} dòng có lỗi: không ghi gì.")
    new = sum(not check.exists for check in checks)
    if dry_run:
        click.echo(f"Chạy thử: {len(checks)} dòng hợp lệ ({new} thêm mới, {len(checks) - new} cập nhật); không ghi gì.")
        return
    summary = apply_catalogue(checks, with_bar("Ghi"))
    db.session.commit()
    click.echo(f"Đã nhập {len(checks)} thủ tục: {summary.created} thêm mới, {summary.updated} cập nhật.")
