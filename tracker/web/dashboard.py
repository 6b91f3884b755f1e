"""The supervisor's dashboard: counts, the delay list, charts, exports, and the route limits."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, g, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext

from tracker.api.transactions import use_case
from tracker.custody.queries import items_in_transit
from tracker.database import utcnow
from tracker.delays import sla, trends
from tracker.delays.reports import GROUPINGS
from tracker.delays.services import DELAY_KINDS, DelayFilters, delay_counts, find_delays
from tracker.domain.custody import UnitKind
from tracker.errors import Unprocessable
from tracker.extensions import db
from tracker.units.models import Unit
from tracker.web import charts
from tracker.web.pages import OVERSEERS, page_blueprint, signed_in

blp = page_blueprint("dashboard")

DELAYS_PER_PAGE = 25
CHART_WEEKS = 8
DELAY_KIND_NAMES = {
    "overdue_transit": lazy_gettext("Overdue in transit"),
    "overdue_dwell": lazy_gettext("Held too long"),
    "suspected_lost": lazy_gettext("Suspected lost"),
    "finished_late": lazy_gettext("Finished late (last 7 days)"),
    "at_risk": lazy_gettext("At risk of missing the appointment date"),
}
GROUPING_NAMES = {
    "route": lazy_gettext("by route"),
    "from_unit": lazy_gettext("by sending unit"),
    "to_unit": lazy_gettext("by receiving unit"),
    "procedure": lazy_gettext("by procedure"),
    "week": lazy_gettext("by week"),
}


UNIT_KIND_NAMES = {
    "post": lazy_gettext("post office"),
    "centre": lazy_gettext("service centre"),
    "department": lazy_gettext("department"),
}
LEG_KIND_NAMES = {"transit": lazy_gettext("transit"), "dwell": lazy_gettext("waiting at a unit")}


def _chart_period():
    end = utcnow()
    return end - timedelta(weeks=CHART_WEEKS), end


def _all_units() -> list[Unit]:
    return list(db.session.scalars(db.select(Unit).order_by(Unit.kind.desc(), Unit.name)))


@blp.get("/dashboard")
@signed_in(*OVERSEERS)
def overview():
    kind = request.args.get("kind") if request.args.get("kind") in DELAY_KINDS else None
    unit = request.args.get("unit") or None
    page = max(request.args.get("page", 1, type=int), 1)
    counts = delay_counts()
    start, end = _chart_period()
    return render_template(
        "dashboard.html",
        in_transit=items_in_transit(),
        counts=counts,
        delays=find_delays(DelayFilters(unit=unit, kind=kind), page, DELAYS_PER_PAGE),
        kind=kind,
        unit=unit,
        units=_all_units(),
        kind_names=DELAY_KIND_NAMES,
        groupings={grouping: GROUPING_NAMES[grouping] for grouping in GROUPINGS},
        period={"from": start.isoformat(), "to": end.isoformat()},
    )


def _chart(svg: bytes) -> Response:
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=300"})


@blp.get("/dashboard/charts/transit.svg")
@signed_in(*OVERSEERS)
def transit_chart():
    return _chart(
        charts.transit_box_plot(
            trends.transit_hours_by_route(*_chart_period()),
            title=gettext("Transit time per route, last %(weeks)d weeks", weeks=CHART_WEEKS),
            xlabel=gettext("working hours"),
            empty=gettext("No transit finished in this period"),
        )
    )


@blp.get("/dashboard/charts/on-time.svg")
@signed_in(*OVERSEERS)
def on_time_chart():
    return _chart(
        charts.on_time_lines(
            trends.on_time_by_week(*_chart_period(), per="route"),
            title=gettext("On-time share per route, by week"),
            ylabel=gettext("Legs within the limit, per cent"),
            empty=gettext("No transit finished in this period"),
        )
    )


@blp.get("/dashboard/charts/lateness.svg")
@signed_in(*OVERSEERS)
def lateness_chart():
    return _chart(
        charts.lateness_grid(
            trends.on_time_by_week(*_chart_period(), per="unit"),
            title=gettext("Share of late legs per unit and week"),
            empty=gettext("No leg finished in this period"),
        )
    )


@blp.get("/route-limits")
@signed_in(*OVERSEERS)
def route_limits():
    return render_template(
        "route_limits.html",
        rules=sla.current_limits(),
        kinds=[kind.value for kind in UnitKind],
        kind_names=UNIT_KIND_NAMES,
        leg_kinds=LEG_KIND_NAMES,
        units=_all_units(),
    )


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
        limits.append(
            sla.RouteLimit(
                leg_kind, limit_hours, from_kind or None, to_kind or None, from_unit or None, to_unit or None
            )
        )
    return limits


@blp.post("/route-limits")
@signed_in(*OVERSEERS)
@use_case
def save_route_limits():
    sla.replace_limits(g.user, _submitted_limits(request.form))
    return redirect(url_for("dashboard.route_limits", saved=1))
