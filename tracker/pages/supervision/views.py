"""The supervisor's dashboard: counts, the delay list, charts, exports, and the route limits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Response, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext

from tracker.api.fields import local_timezone
from tracker.api.transactions import use_case
from tracker.custody.chain import daily_digests
from tracker.custody.queries import items_in_transit
from tracker.database import utcnow
from tracker.delays import exports, reports, route_limits, sla, trends
from tracker.delays.selects import DELAY_KINDS, DelayFilters
from tracker.delays.services import delays_and_counts
from tracker.errors import Unprocessable
from tracker.extensions import db
from tracker.outcomes.services import RETURN_GROUPINGS, return_counts
from tracker.pages.supervision import charts
from tracker.pages.supervision.period import Period, picked_period
from tracker.units.services import all_units
from tracker.web.shell import OVERSEERS, page_blueprint, signed_in

blp = page_blueprint("dashboard", __name__)

DELAYS_PER_PAGE = 25
DIGEST_DAYS = 7


def _period() -> tuple[Period, str | None]:
    """The period in the query (`from`, `to`: first and last day), else the last 8 ISO weeks."""
    today = utcnow().astimezone(local_timezone()).date()
    period, problem = picked_period(request.args.get("from"), request.args.get("to"), today)
    messages = {
        "invalid": gettext("Enter both days of the period as dates, e.g. 01/10/2026."),
        "backwards": gettext("The last day must not be before the first day."),
    }
    return period, messages.get(problem)


@blp.get("/dashboard")
@signed_in(*OVERSEERS)
@use_case  # a closed day's digest, once computed, is kept
def overview():
    kind = request.args.get("kind") if request.args.get("kind") in DELAY_KINDS else None
    unit = request.args.get("unit") or None
    page = max(request.args.get("page", 1, type=int), 1)
    period, period_error = _period()
    group_by = request.args.get("group_by") if request.args.get("group_by") in reports.GROUPINGS else "route"
    rows = list(reports.report_rows(*period.bounds(local_timezone()), group_by))
    names = exports.procedure_names(row["group"] for row in rows) if group_by == "procedure" else {}
    delays, (counts, counts_exact) = delays_and_counts(DelayFilters(unit=unit, kind=kind), page, DELAYS_PER_PAGE)
    return render_template(
        "supervision/dashboard.html",
        in_transit=items_in_transit(),
        counts=counts,
        counts_exact=counts_exact,
        delays=delays,
        kind=kind,
        unit=unit,
        units=all_units(),
        charts=CHARTS,
        period=period,
        period_error=period_error,
        group_by=group_by,
        report=rows,
        procedure_names=names,
        digests=daily_digests(DIGEST_DAYS),
        returns={
            grouping: return_counts(g.user, *period.bounds(local_timezone()), grouping) for grouping in RETURN_GROUPINGS
        },
    )


@dataclass(frozen=True)
class Chart:
    """A chart of the dashboard: the figures it reads and how it draws them."""

    figures: Callable[[datetime, datetime], object]
    draw: Callable[..., bytes]
    texts: Callable[[], dict[str, str]]  # translated when drawn, in the page's language


CHARTS = {
    "transit": Chart(
        trends.transit_times_by_route,
        charts.transit_box_plot,
        lambda: {
            "title": gettext("Transit time per route (every finished leg)"),
            "xlabel": gettext("working hours (log scale)"),
            "empty": gettext("No transit finished in this period"),
            "limit": gettext("route limit"),
            "slowest": gettext("slowest legs"),
        },
    ),
    "on-time": Chart(
        lambda start, end: trends.on_time_by_week(start, end, per="route"),
        charts.on_time_lines,
        lambda: {
            "title": gettext("On-time share per route, by week"),
            "ylabel": gettext("Legs within the limit, per cent"),
            "empty": gettext("No transit finished in this period"),
        },
    ),
    "lateness": Chart(
        lambda start, end: trends.on_time_by_week(start, end, per="unit"),
        charts.lateness_grid,
        lambda: {
            "title": gettext("Share of late legs per unit and week"),
            "empty": gettext("No leg finished in this period"),
            "legend": gettext("late legs, per cent"),
            "week": gettext("week"),
        },
    ),
}


@blp.get("/dashboard/charts/<name>.svg")
@signed_in(*OVERSEERS)
def chart(name: str):
    chosen = CHARTS.get(name) or abort(404)
    period, _ = _period()
    svg = chosen.draw(chosen.figures(*period.bounds(local_timezone())), **chosen.texts())
    # The page's language is in the chart's address (lang=), so a cached chart is never in the other one.
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=300"})


@dataclass(frozen=True)
class LimitRow:
    """A row of the route limits form as shown: from a saved rule, or as the supervisor typed it."""

    leg_kind: str
    from_kind: str
    to_kind: str
    from_unit: str
    to_unit: str
    hours: str

    @classmethod
    def of(cls, rule) -> LimitRow:
        units = (rule.from_unit.code if rule.from_unit else "", rule.to_unit.code if rule.to_unit else "")
        return cls(rule.leg_kind, rule.from_kind or "", rule.to_kind or "", *units, f"{rule.limit_hours:g}")


LIMIT_COLUMNS = ("leg_kind", "from_kind", "to_kind", "from_unit", "to_unit", "limit_hours")


def _typed_rows(form) -> list[LimitRow]:
    return [LimitRow(*values) for values in zip(*(form.getlist(column) for column in LIMIT_COLUMNS), strict=True)]


def _limits_page(
    rows: list[LimitRow], removed: set[str] = frozenset(), error: str | None = None, to_confirm: int | None = None
):
    return render_template(
        "supervision/route_limits.html",
        rows=rows, removed=removed, error=error, units=all_units(), history=route_limits.recent_limit_changes(),
        to_confirm=to_confirm,
    )  # fmt: skip


@blp.get("/route-limits", endpoint="route_limits")
@signed_in(*OVERSEERS)
def route_limits_page():
    return _limits_page([LimitRow.of(rule) for rule in sla.current_limits()])


def _submitted_limits(rows: list[LimitRow], removed: set[str]) -> list[route_limits.RouteLimit]:
    """The rows of the route limits form, without those ticked for removal or left blank."""
    limits = []
    for index, row in enumerate(rows):
        if str(index) in removed or not row.hours.strip():
            continue
        try:
            limit_hours = float(row.hours.replace(",", "."))
        except ValueError as error:
            raise Unprocessable(gettext("%(value)s is not a number of hours.", value=row.hours)) from error
        places = (row.from_kind, row.to_kind, row.from_unit, row.to_unit)
        limits.append(route_limits.RouteLimit(row.leg_kind, limit_hours, *(place or None for place in places)))
    return limits


@blp.post("/route-limits")
@signed_in(*OVERSEERS)
@use_case
def save_route_limits():
    rows, removed = _typed_rows(request.form), set(request.form.getlist("remove"))
    try:
        route_limits.replace_limits(g.user, _submitted_limits(rows, removed))
    except Unprocessable as refusal:
        db.session.rollback()  # nothing of a refused set is kept; the page keeps what was typed
        return _limits_page(rows, removed, refusal.message), 422
    if not request.form.get("confirm"):
        # First say how many legs the change judges again; nothing is saved until confirmed.
        db.session.rollback()
        return _limits_page(rows, removed, to_confirm=route_limits.legs_judged_by_limits())
    return redirect(url_for("dashboard.route_limits", saved=1))
