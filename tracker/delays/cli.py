"""Commands for operators and cron: flask delays check, flask report transit, flask sla."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from tracker.auth.models import User
from tracker.delays import exports, reports, route_limits, sla
from tracker.delays.histograms import LEG_KINDS
from tracker.delays.selects import DELAY_KINDS, DelayFilters
from tracker.delays.services import find_delays
from tracker.domain.custody import Role
from tracker.extensions import db

delays_cli = AppGroup("delays", help="Late legs, lost items, dossiers at risk.")
report_cli = AppGroup("report", help="Transit reports.")
sla_cli = AppGroup("sla", help="Route limits in working hours.")

ISO = click.DateTime(formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"])


def _aware(moment: datetime) -> datetime:
    from tracker.api.fields import local_timezone

    return moment if moment.tzinfo else moment.replace(tzinfo=local_timezone())


@delays_cli.command("check")
@click.option("--unit", default=None, help="Only delays touching this unit.")
@click.option("--kind", type=click.Choice(DELAY_KINDS), default=None)
@click.option("--limit", default=100, show_default=True, help="At most this many rows.")
def check_delays(unit: str | None, kind: str | None, limit: int) -> None:
    """Print the current delays, worst first; exit 1 when there are any (for cron and monitoring)."""
    page = find_delays(DelayFilters(unit=unit, kind=kind), 1, limit)
    if not page["total"]:
        click.echo("Không có chậm trễ.")
        return
    click.echo(f"{'loại':<16} {'bưu gửi':<13} {'hồ sơ':<28} {'tuyến':<24} {'giờ':>7} {'hạn':>6}")
    for delay in page["items"]:
        route = f"{delay.from_unit.code}→{delay.to_unit.code if delay.to_unit else ''}"
        item = delay.item.code if delay.item else "-"
        click.echo(
            f"{delay.kind:<16} {item:<13} {delay.dossier.reference[:28]:<28} {route[:24]:<24} "
            f"{delay.elapsed_hours:>7.1f} {delay.limit_hours:>6.1f}"
        )
    click.echo(f"{page['total']} chậm trễ." if page["total_exact"] else f"Hơn {page['total']} chậm trễ.")
    sys.exit(1)


@report_cli.command("transit")
@click.option("--from", "start", type=ISO, required=True, help="e.g. 2026-10-01 or 2026-10-01T00:00:00+0700")
@click.option("--to", "end", type=ISO, required=True)
@click.option("--group-by", type=click.Choice(reports.GROUPINGS), default="route", show_default=True)
@click.option("--leg-kind", type=click.Choice(LEG_KINDS), default="transit", show_default=True)
@click.option("--format", "form", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option(
    "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default: standard output for CSV)."
)
def transit_report(start, end, group_by, leg_kind, form, output) -> None:
    """Write the transit report as CSV or XLSX (Vietnamese headers, as the pages' exports)."""
    args = (_aware(start), _aware(end), group_by, leg_kind)
    report, rows = exports.ReportFile.now(*args), reports.report_rows(*args)
    with current_app.test_request_context():  # the headers' language is chosen per request
        if form == "xlsx":
            target = output or Path(report.filename("xlsx"))
            exports.write_xlsx(report, rows, target)
            click.echo(f"Đã ghi {target}.")
            return
        stream = output.open("w", newline="", encoding="utf-8") if output else sys.stdout
        for chunk in exports.csv_chunks(report, rows):
            stream.write(chunk)
        if output:
            stream.close()


@sla_cli.command("show")
def show_limits() -> None:
    """Print the route limits."""
    for rule in sla.current_limits():
        source = f"{rule.from_unit.code}" if rule.from_unit else rule.from_kind
        target = (rule.to_unit.code if rule.to_unit else rule.to_kind) or ""
        click.echo(f"{rule.leg_kind:<8} {source:>12} → {target:<12} {rule.limit_hours:g} giờ làm việc")


@sla_cli.command("set")
@click.option("--as", "username", required=True, help="The supervisor or admin making the change.")
@click.option("--leg-kind", type=click.Choice(["transit", "dwell"]), required=True)
@click.option("--from-kind", default=None)
@click.option("--to-kind", default=None)
@click.option("--from-unit", default=None)
@click.option("--to-unit", default=None)
@click.option("--hours", type=float, required=True)
def set_limit(username, leg_kind, from_kind, to_kind, from_unit, to_unit, hours) -> None:
    """Set one route limit, keeping the others; recorded as a change by --as."""
    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None or user.user_role not in (Role.SUPERVISOR, Role.ADMIN):
        raise click.UsageError(f"{username} is not a supervisor or admin")
    new = route_limits.RouteLimit(leg_kind, hours, from_kind, to_kind, from_unit, to_unit)
    key = (new.leg_kind, new.from_kind, new.to_kind, new.from_unit, new.to_unit)
    kept = [route_limits.route_limit_of(rule) for rule in sla.current_limits()]
    kept = [r for r in kept if (r.leg_kind, r.from_kind, r.to_kind, r.from_unit, r.to_unit) != key]
    route_limits.replace_limits(user, [*kept, new])
    db.session.commit()
    click.echo("Đã lưu.")
