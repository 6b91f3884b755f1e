"""Delays, transit reports, route limits and the working calendar over HTTP."""

from flask import Response, send_file, stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from tracker.api.pagination import PageArgs
from tracker.api.transactions import use_case
from tracker.auth.services import authenticate_request, current_user
from tracker.calendar.models import CalendarException
from tracker.delays import exports, reports, route_limits, sla
from tracker.delays.remeasure import set_calendar_day
from tracker.delays.schemas import (
    CalendarDaySchema,
    DelayFilterSchema,
    DelayPageSchema,
    ReportArgsSchema,
    ReportSchema,
    RouteLimitSetSchema,
)
from tracker.delays.selects import DelayFilters
from tracker.delays.services import find_delays
from tracker.extensions import db

blp = Blueprint(
    "delays", __name__, url_prefix="/api/v1", description="Chậm trễ, báo cáo, thời hạn chặng, lịch làm việc"
)
blp.before_request(authenticate_request)


@blp.route("/delays")
class Delays(MethodView):
    @blp.arguments(DelayFilterSchema, location="query")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, DelayPageSchema)
    def get(self, filters, page):
        """Legs late now or late when they ended, suspected losses, dossiers at risk: worst first."""
        as_of = filters.pop("as_of")
        return find_delays(DelayFilters(**filters), page["page"], page["per_page"], now=as_of)


def _report_args(args: dict) -> tuple:
    return args["from_"], args["to"], args["group_by"], args["leg_kind"]


@blp.route("/reports/transit")
class TransitReport(MethodView):
    @blp.arguments(ReportArgsSchema, location="query")
    @blp.response(200, ReportSchema)
    def get(self, args):
        """Finished legs between from and to, grouped: count, median, p90, max, share on time (working hours)."""
        return {
            "group_by": args["group_by"],
            "leg_kind": args["leg_kind"],
            "rows": list(reports.report_rows(*_report_args(args))),
        }


@blp.route("/reports/transit.csv")
class TransitReportCsv(MethodView):
    @blp.arguments(ReportArgsSchema, location="query")
    @blp.response(200, content_type="text/csv", description="The same rows as CSV, streamed")
    def get(self, args):
        report = exports.ReportFile.now(*_report_args(args))
        chunks = stream_with_context(exports.csv_chunks(report, reports.report_rows(*_report_args(args))))
        disposition = f'attachment; filename="{report.filename("csv")}"'
        return Response(chunks, mimetype="text/csv", headers={"Content-Disposition": disposition})


@blp.route("/reports/transit.xlsx")
class TransitReportXlsx(MethodView):
    @blp.arguments(ReportArgsSchema, location="query")
    @blp.response(200, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    def get(self, args):
        report = exports.ReportFile.now(*_report_args(args))
        spool = exports.xlsx_file(report, reports.report_rows(*_report_args(args)))
        return send_file(
            spool,
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            as_attachment=True,
            download_name=report.filename("xlsx"),
        )


@blp.route("/sla-rules")
class RouteLimits(MethodView):
    @blp.response(200, RouteLimitSetSchema)
    def get(self):
        """Route limits in working hours: by pair of unit kinds, overrides per unit or pair of units."""
        return {"rules": sla.current_limits()}

    @use_case
    @blp.arguments(RouteLimitSetSchema)
    @blp.response(200, RouteLimitSetSchema)
    def put(self, args):
        """Replace the whole set of route limits (supervisor, admin); the change is recorded."""
        limits = [route_limits.RouteLimit(**rule) for rule in args["rules"]]
        return {"rules": route_limits.replace_limits(current_user(), limits)}


@blp.route("/calendar/days")
class CalendarDays(MethodView):
    @blp.response(200, CalendarDaySchema(many=True))
    def get(self):
        """Days the admin declared off, and make-up working days."""
        return db.session.scalars(select(CalendarException).order_by(CalendarException.day)).all()

    @use_case
    @blp.arguments(CalendarDaySchema)
    @blp.response(200, CalendarDaySchema(many=True))
    def put(self, args):
        """Declare a day off, a make-up working day, or back to normal (admin); legs are measured again."""
        set_calendar_day(current_user(), args["day"], args["working"], args["note"])
        return db.session.scalars(select(CalendarException).order_by(CalendarException.day)).all()
