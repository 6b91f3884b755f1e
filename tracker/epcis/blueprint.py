"""GET /api/v1/epcis/events: custody events as an EPCIS 2.0 EPCISQueryDocument (JSON-LD)."""

from __future__ import annotations

import json

from flask import Response, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from tracker.api.fields import Code, Timestamp
from tracker.auth.services import authenticate_request, current_user
from tracker.epcis.services import EventFilters, event_page, query_document

blp = Blueprint("epcis", __name__, url_prefix="/api/v1/epcis", description="EPCIS 2.0 (GS1) export")
blp.before_request(authenticate_request)

MAX_PER_PAGE = 500
# The EPCIS 2.0 REST binding names the standard versions a server speaks in these headers.
VERSION_HEADERS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}


class EventQuerySchema(Schema):
    from_ = Timestamp(load_default=None, data_key="from", metadata={"description": "eventTime at or after"})
    to = Timestamp(load_default=None, metadata={"description": "eventTime before"})
    dossier = fields.String(load_default=None, metadata={"description": "mã hồ sơ or tracking code (HS...)"})
    item = Code(load_default=None, metadata={"description": "item code or S10 postal id"})
    unit = Code(load_default=None, metadata={"description": "where the event was recorded"})
    per_page = fields.Integer(load_default=100, validate=validate.Range(min=1, max=MAX_PER_PAGE))
    cursor = fields.String(load_default=None, metadata={"description": "from the previous page's next link"})


@blp.route("/events")
class EpcisEvents(MethodView):
    @blp.arguments(EventQuerySchema, location="query")
    @blp.response(200, description="an EPCISQueryDocument (application/ld+json), next page in `Link`")
    def get(self, args):
        """Custody events, oldest first, as EPCIS 2.0 ObjectEvents and AggregationEvents (supervisors, admins)."""
        per_page, cursor = args.pop("per_page"), args.pop("cursor")
        events, following = event_page(current_user(), EventFilters(**args), per_page, cursor)
        following_url = None
        if following:
            query = {key: value for key, value in request.args.items() if key != "cursor"}
            following_url = url_for("epcis.EpcisEvents", _external=True, **query, cursor=following)
        headers = dict(VERSION_HEADERS)
        if following_url:
            headers["Link"] = f'<{following_url}>; rel="next"'
        body = json.dumps(query_document(events, following_url), ensure_ascii=False)
        return Response(body, mimetype="application/ld+json", headers=headers)
