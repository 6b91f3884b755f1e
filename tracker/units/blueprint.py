from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from tracker.api.pagination import PageArgs, page_of, paginate
from tracker.api.transactions import use_case
from tracker.auth.services import authenticate_request, current_user
from tracker.domain.custody import UnitKind
from tracker.units import services
from tracker.units.models import Unit
from tracker.units.schemas import UnitSchema

blp = Blueprint("units", __name__, url_prefix="/api/v1/units", description="Đơn vị: bưu cục, Trung tâm, sở ngành")
blp.before_request(authenticate_request)


@blp.route("")
class Units(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(UnitSchema))
    def get(self, args):
        """The units that hold paper, by code."""
        statement = select(Unit).where(Unit.active).order_by(Unit.kind, Unit.code)
        return paginate(statement, args["page"], args["per_page"])

    @use_case
    @blp.arguments(UnitSchema)
    @blp.response(201, UnitSchema)
    def post(self, args):
        """Add a unit (admin)."""
        return services.add_unit(current_user(), args["code"], args["name"], UnitKind(args["kind"]))
