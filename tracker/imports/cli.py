"""flask dossiers import FILE: a one-stop export into the tracker, from a terminal or cron."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from tracker.auth.models import User
from tracker.domain.custody import Role
from tracker.errors import ApiError
from tracker.extensions import db
from tracker.imports.batches import count_rows, import_dossiers

dossiers_cli = AppGroup("dossiers", help="Dossiers from the one-stop system.")


@dossiers_cli.command("import")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check every row and count; write nothing.")
@click.option("--confirm-matches", is_flag=True, help="Attach the mã hồ sơ to matched counter dossiers.")
@click.option("--as", "username", default=None, help="Whose name the changes go under (default: the first admin).")
@click.option("--json", "as_json", is_flag=True, help="Print the whole answer as JSON, as the API gives it.")
def import_command(path: str, dry_run: bool, confirm_matches: bool, username: str | None, as_json: bool) -> None:
    """Import a CSV or XLSX export; exit 1 when a row was refused, 2 when the file was."""
    from tracker.imports.schemas import ImportReportSchema

    user = _importer(username)
    with open(path, "rb") as stream:
        try:
            total = count_rows(stream)
            with click.progressbar(length=total, label="Nhập hồ sơ", show_pos=True, file=sys.stderr) as bar:
                report = import_dossiers(
                    user, stream, dry_run=dry_run, confirm_matches=confirm_matches, progress=bar.update
                )
        except ApiError as error:
            click.echo(error.message, err=True)
            sys.exit(2)
    if as_json:
        click.echo(json.dumps(ImportReportSchema().dump(report), ensure_ascii=False, indent=2))
    else:
        _print_report(report)
    if report.counts["refused"]:
        sys.exit(1)


def _importer(username: str | None) -> User:
    statement = select(User).where(User.active)
    if username:
        statement = statement.where(User.username == username)
    else:
        statement = statement.where(User.role == Role.ADMIN.value).order_by(User.id)
    user = db.session.scalars(statement).first()
    if user is None:
        raise click.UsageError(f"Không có tài khoản {username or 'quản trị'} đang hoạt động: dùng --as TÊN.")
    return user


OUTCOME_NAMES = {
    "created": "tạo mới",
    "updated": "cập nhật",
    "unchanged": "không đổi",
    "matched": "gắn mã cho hồ sơ tiếp nhận tại quầy",
    "awaiting_confirmation": "khớp hồ sơ tại quầy, chờ xác nhận (--confirm-matches)",
    "refused": "bị từ chối",
}


def _print_report(report) -> None:
    prefix = "Chạy thử (không ghi gì): " if report.dry_run else ""
    click.echo(f"{prefix}{report.rows} dòng.")
    for outcome, name in OUTCOME_NAMES.items():
        click.echo(f"  {name}: {report.counts[outcome]}")
    for match in report.matches:
        state = "đã gắn" if match["confirmed"] else "chờ xác nhận"
        click.echo(f"  dòng {match['row']}: {match['code']} = {match['tracking_code']} ({match['rule']}, {state})")
    for refusal in report.refusals:
        click.echo(f"  dòng {refusal['row']}: " + " ".join(refusal["reasons"].values()))
