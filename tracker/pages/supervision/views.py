"""The supervisor's dashboard: counts, the delay list, charts, exports, and the route limits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Response, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext

from tracker.api.transactions import use_case
from tracker.custody.queries import items_in_transit
from tracker.database import utcnow
from tracker.delays import sla, trends
from tracker.delays.services import DELAY_KINDS, DelayFilters, delay_counts, find_delays
from tracker.errors import Unprocessable
from tracker.outcomes.services import RETURN_GROUPINGS, return_counts
from tracker.pages.supervision import charts
from tracker.units.services import all_units
from tracker.web.shell import OVERSEERS, page_blueprint, signed_in

blp = page_blueprint("dashboard", __name__)

DELAYS_PER_PAGE = 25
CHART_WEEKS = 8


def _chart_period() -> tuple[datetime, datetime]:
    end = utcnow()
    return end - timedelta(weeks=CHART_WEEKS), end


@blp.get("/dashboard")
@signed_in(*OVERSEERS)
def overview():
    kind = request.args.get("kind") if request.args.get("kind") in DELAY_KINDS else None
    unit = request.args.get("unit") or None
    page = max(request.args.get("page", 1, type=int), 1)
    start, end = _chart_period()
    return render_template(
        "supervision/dashboard.html",
        in_transit=items_in_transit(),
        counts=delay_counts(),
        delays=find_delays(DelayFilters(unit=unit, kind=kind), page, DELAYS_PER_PAGE),
        kind=kind,
        unit=unit,
        units=all_units(),
        charts=CHARTS,
        period={"from": start.isoformat(), "to": end.isoformat()},
        returns={grouping: return_counts(g.user, start, end, grouping) for grouping in RETURN_GROUPINGS},
    )


@dataclass(frozen=True)
class Chart:
    """A chart of the dashboard: the figures it reads and how it draws them."""

    figures: Callable[[datetime, datetime], object]
    draw: Callable[..., bytes]
    texts: Callable[[], dict[str, str]]  # translated when drawn, in the page's language


CHARTS = {
    "transit": Chart(
        trends.transit_hours_by_route,
        charts.transit_box_plot,
        lambda: {
            "title": gettext("Transit time per route, last %(weeks)d weeks", weeks=CHART_WEEKS),
            "xlabel": gettext("working hours"),
            "empty": gettext("No transit finished in this period"),
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
        },
    ),
}


@blp.get("/dashboard/charts/<name>.svg")
@signed_in(*OVERSEERS)
def chart(name: str):
    chosen = CHARTS.get(name) or abort(404)
    svg = chosen.draw(chosen.figures(*_chart_period()), **chosen.texts())
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=300"})


@blp.get("/route-limits")
@signed_in(*OVERSEERS)
def route_limits():
    return render_template("supervision/route_limits.html", rules=sla.current_limits(), units=all_units())


def _submitted_limits(form) -> list[sla.RouteLimit]:
    """The rows of the route limits form, without those ticked for removal or left blank."""
    columns = ("leg_kind", "from_kind", "to_kind", "from_unit", "to_unit", "limit_hours")
    rows = zip(*(form.getlist(column) for column in columns), strict=True)
    removed = set(form.getlist("remove"))
    limits = []
    for index, (leg_kind, from_kind, to_kind, from_unit, to_unit, hours) in enumerate(rows):
        if str(index) in removed or not hours.strip():
            continue
        try:
            limit_hours = float(hours.replace(",", "."))
        except ValueError as error:
            raise Unprocessable(gettext("%(value)s is not a number of hours.", value=hours)) from error
        places = (from_kind, to_kind, from_unit, to_unit)
        limits.append(sla.RouteLimit(leg_kind, limit_hours, *(place or None for place in places)))
    return limits


@blp.post("/route-limits")
@signed_in(*OVERSEERS)
@use_case
def save_route_limits():
    sla.replace_limits(g.user, _submitted_limits(request.form))
    return redirect(url_for("dashboard.route_limits", saved=1))
