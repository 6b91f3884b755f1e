from flask.views import MethodView
from flask_smorest import Blueprint

from tracker.api.pagination import PageArgs, page_of, paginate
from tracker.api.transactions import use_case
from tracker.auth.services import authenticate_request, current_user
from tracker.procedures import services
from tracker.procedures.schemas import ProcedureChangeSchema, ProcedureFilterSchema, ProcedureSchema

blp = Blueprint("procedures", __name__, url_prefix="/api/v1/procedures", description="Danh mục thủ tục hành chính")
blp.before_request(authenticate_request)


@blp.route("")
class Procedures(MethodView):
    @blp.arguments(ProcedureFilterSchema, location="query")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(ProcedureSchema))
    def get(self, filters, page):
        """The catalogue by code; q finds code or name words, with or without diacritics."""
        return paginate(services.procedure_search(**filters), page["page"], page["per_page"])

    @use_case
    @blp.arguments(ProcedureSchema)
    @blp.response(201, ProcedureSchema)
    def post(self, args):
        """Add a procedure to the catalogue (admins)."""
        return services.create_procedure(current_user(), services.ProcedureDetails(**args))


@blp.route("/<code>")
class ProcedureDetail(MethodView):
    @blp.response(200, ProcedureSchema)
    def get(self, code):
        """One procedure with its processing time and required papers."""
        return services.find_procedure(code)

    @use_case
    @blp.arguments(ProcedureChangeSchema)
    @blp.response(200, ProcedureSchema)
    def put(self, args, code):
        """Change a procedure's name, department, processing time, papers or active state (admins)."""
        return services.update_procedure(current_user(), code, services.ProcedureDetails(code=code, **args))
