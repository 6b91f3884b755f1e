from flask.views import MethodView
from flask_smorest import Blueprint

from tracker.api.pagination import PageArgs, page_of
from tracker.auth.services import authenticate_request, current_user
from tracker.holdings.schemas import HoldingFilterSchema, HoldingSchema
from tracker.holdings.services import HoldingFilters, holdings

blp = Blueprint("holdings", __name__, url_prefix="/api/v1/holdings", description="Bưu gửi đơn vị đang giữ")
blp.before_request(authenticate_request)


@blp.route("")
class Holdings(MethodView):
    @blp.arguments(HoldingFilterSchema, location="query")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(HoldingSchema))
    def get(self, filters, page):
        """The packets your unit holds now, longest held first, with working hours held against the limit."""
        return holdings(current_user(), HoldingFilters(**filters), page["page"], page["per_page"])
