from flask.views import MethodView
from flask_smorest import Blueprint

from tracker.api.pagination import PageArgs
from tracker.api.transactions import use_case
from tracker.auth.services import authenticate_request, current_user
from tracker.dossiers import services
from tracker.dossiers.attach import attach_one_stop_facts
from tracker.dossiers.schemas import (
    DossierAttachSchema,
    DossierDetailSchema,
    DossierFilterSchema,
    DossierPageSchema,
    DossierSchema,
)
from tracker.dossiers.search import search_dossiers

blp = Blueprint("dossiers", __name__, url_prefix="/api/v1/dossiers", description="Hồ sơ thủ tục hành chính")
blp.before_request(authenticate_request)


@blp.route("")
class Dossiers(MethodView):
    @use_case  # an unmasked read of personal data is logged
    @blp.arguments(DossierFilterSchema, location="query")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, DossierPageSchema)
    def get(self, filters, page):
        """Dossiers, newest first; q searches code, applicant, phone, procedure, item code and postal id."""
        return search_dossiers(**filters, **page)

    @use_case
    @blp.arguments(DossierSchema)
    @blp.response(201, DossierSchema)
    def post(self, args):
        """Register a dossier received from the one-stop system."""
        return services.register_dossier(current_user(), services.DossierDetails(**args))


@blp.route("/<code>")
class DossierDetail(MethodView):
    @use_case  # an unmasked read of personal data is logged
    @blp.response(200, DossierDetailSchema)
    def get(self, code):
        """One dossier with its items and the custody timeline of each."""
        return services.find_dossier(code, with_timeline=True)

    @use_case
    @blp.arguments(DossierAttachSchema)
    @blp.response(200, DossierSchema)
    def patch(self, args, code):
        """Attach (or correct) the mã hồ sơ and the appointment date (centre clerks); history is kept."""
        dossier = services.find_dossier(code)
        attach_one_stop_facts(current_user(), dossier, **args, source="api")
        return dossier
