"""The JSON API: flask-smorest, so the OpenAPI document comes from the schemas that validate."""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from flask import Blueprint, Flask, send_from_directory
from flask_smorest import Api
from marshmallow import Schema, fields

from tracker.extensions import csrf

API_PREFIX = "/api/v1"
SWAGGER_ASSETS_URL = "/api/docs/assets/"


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"description": "machine-readable, snake_case"})
    message = fields.String(required=True, metadata={"description": "a sentence for the person using the client"})
    details = fields.Dict(required=True, metadata={"description": "the bad fields, by name, or context"})


class ErrorSchema(Schema):
    """The one shape of every 4xx and 5xx answer (tracker/errors.py)."""

    error = fields.Nested(ErrorBodySchema, required=True)


class TrackerApi(Api):
    """flask-smorest, with our own error handlers and error shape instead of its own."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass


OPENAPI_SETTINGS = {
    "API_TITLE": "Dossier logistics tracker",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "/docs",
    "OPENAPI_SWAGGER_UI_URL": SWAGGER_ASSETS_URL,
    "API_SPEC_OPTIONS": {
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearerAuth": []}],
    },
}

swagger_assets = Blueprint("swagger_assets", __name__)


@swagger_assets.route(SWAGGER_ASSETS_URL + "<path:filename>")
def swagger_asset(filename: str):
    """Swagger UI's files from the swagger-ui-bundle package: the docs work with no internet."""
    return send_from_directory(Path(swagger_ui_bundle.swagger_ui_path), filename)


def init_api(app: Flask) -> None:
    from tracker.api.guards import init_guards
    from tracker.audit.blueprint import blp as audit_blp
    from tracker.auth.blueprint import blp as auth_blp
    from tracker.auth.blueprint import sessions_blp, users_blp
    from tracker.custody.blueprint import items_blp, scans_blp, transfers_blp
    from tracker.delays.blueprint import blp as delays_blp
    from tracker.delivery.blueprint import blp as delivery_blp
    from tracker.dossiers.blueprint import blp as dossiers_blp
    from tracker.epcis.blueprint import blp as epcis_blp
    from tracker.holdings.blueprint import blp as holdings_blp
    from tracker.imports.blueprint import blp as imports_blp
    from tracker.outcomes.blueprint import blp as outcomes_blp
    from tracker.printing.blueprint import blp as printing_blp
    from tracker.procedures.blueprint import blp as procedures_blp
    from tracker.units.blueprint import blp as units_blp
    from tracker.webhooks.blueprint import blp as webhooks_blp

    for key, value in OPENAPI_SETTINGS.items():
        app.config.setdefault(key, value)
    init_guards(app)
    # One Api per app: its spec is built from the blueprints registered on this app only.
    api = TrackerApi(app)
    blueprints = (
        auth_blp, users_blp, units_blp, dossiers_blp, items_blp, transfers_blp, scans_blp, printing_blp, delays_blp,
        sessions_blp, audit_blp, webhooks_blp, procedures_blp, outcomes_blp, delivery_blp, holdings_blp,
        imports_blp, epcis_blp,
    )  # fmt: skip
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
        # Bearer tokens are not sent by browsers on their own: no CSRF token needed. Pages that
        # call the API with their session cookie are checked in authenticate_request.
        csrf.exempt(blueprint)
    app.register_blueprint(swagger_assets)
