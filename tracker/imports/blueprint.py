"""POST /api/v1/dossiers/import (a one-stop export file) and PUT /api/v1/dossiers/<code> (one pushed)."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from tracker.api.transactions import use_case
from tracker.auth.services import authenticate_request, current_user
from tracker.dossiers.schemas import DossierSchema
from tracker.imports.batches import import_dossiers
from tracker.imports.schemas import (
    DossierPushSchema,
    ImportFileSchema,
    ImportOptionsSchema,
    ImportReportSchema,
    PushOptionsSchema,
)
from tracker.imports.services import Outcome, push_dossier
from tracker.imports.uploads import allow_import_body

blp = Blueprint("dossier_imports", __name__, url_prefix="/api/v1/dossiers", description="Hồ sơ từ hệ thống một cửa")


def allow_import_size(_endpoint: str | None, _values: dict | None) -> None:
    if request.endpoint == f"{blp.name}.DossierImport":
        allow_import_body()


blp.url_value_preprocessor(allow_import_size)
blp.before_request(authenticate_request)


@blp.route("/import")
class DossierImport(MethodView):
    @blp.arguments(ImportOptionsSchema, location="form")
    @blp.arguments(ImportFileSchema, location="files")
    @blp.response(200, ImportReportSchema)
    def post(self, options, files):
        """Import a CSV or XLSX export of the one-stop system: an upsert by mã hồ sơ, row by row.

        Admins and centre clerks. Rows are committed in batches of 500 (an import can be
        repeated: what is already there is `unchanged`); a dry run writes nothing.
        """
        return import_dossiers(current_user(), files["file"].stream, **options)


@blp.route("/<code>")
class DossierPush(MethodView):
    @use_case
    @blp.arguments(PushOptionsSchema, location="query")
    @blp.arguments(DossierPushSchema(exclude=("code",)))
    @blp.response(200, DossierSchema)
    @blp.alt_response(201, schema=DossierSchema, description="the dossier was created")
    def put(self, options, args, code):
        """Upsert one dossier by mã hồ sơ, as the one-stop system pushes it: 201 created, 200 otherwise."""
        outcome, dossier = push_dossier(current_user(), code, args, confirm_matches=options["confirm_matches"])
        return dossier, 201 if outcome == Outcome.CREATED else 200
