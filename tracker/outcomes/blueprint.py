"""Results, returns and the returns report over HTTP."""

from flask.views import MethodView
from flask_smorest import Blueprint

from tracker.api.transactions import use_case
from tracker.auth.services import authenticate_request, current_user
from tracker.custody.blueprint import actor_from
from tracker.custody.schemas import DeviceStampSchema
from tracker.outcomes import services
from tracker.outcomes.schemas import (
    DossierReturnSchema,
    ResultItemSchema,
    ReturnReportArgsSchema,
    ReturnReportSchema,
    ReturnSchema,
)

blp = Blueprint("outcomes", __name__, url_prefix="/api/v1", description="Kết quả, trả lại và rút hồ sơ")
blp.before_request(authenticate_request)


@blp.route("/dossiers/<code>/result")
class DossierResult(MethodView):
    @use_case
    @blp.arguments(DeviceStampSchema)
    @blp.response(201, ResultItemSchema)
    def post(self, args, code):
        """Create the dossier's result packet, held by your department; print it at label_url."""
        return services.create_result(actor_from(args), code)


@blp.route("/dossiers/<code>/return")
class DossierReturn(MethodView):
    @use_case
    @blp.arguments(ReturnSchema)
    @blp.response(201, DossierReturnSchema)
    def post(self, args, code):
        """Return the dossier unprocessed, or record its withdrawal, with a reason; makes a returned packet."""
        return services.return_dossier(
            actor_from(args),
            code,
            reason_code=args["reason_code"],
            reason_text_given=args["reason_text"],
            withdrawn=args["withdrawn"],
        )


@blp.route("/reports/returns")
class ReturnReport(MethodView):
    @blp.arguments(ReturnReportArgsSchema, location="query")
    @blp.response(200, ReturnReportSchema)
    def get(self, args):
        """Returned and withdrawn dossiers between from and to, by department or by procedure."""
        rows = services.return_counts(current_user(), args["from_"], args["to"], args["group_by"])
        return {"group_by": args["group_by"], "rows": rows}
