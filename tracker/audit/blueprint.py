from flask.views import MethodView
from flask_smorest import Blueprint

from tracker.api.pagination import page_of, paginate
from tracker.audit.schemas import AuditArgs, AuditEntrySchema
from tracker.audit.services import audit_query
from tracker.auth.services import authenticate_request, current_user, require_role
from tracker.domain.custody import Role

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit", description="Nhật ký thay đổi (quản trị)")
blp.before_request(authenticate_request)


@blp.route("")
class AuditLog(MethodView):
    @blp.arguments(AuditArgs, location="query")
    @blp.response(200, page_of(AuditEntrySchema))
    def get(self, args):
        """Administrative changes, newest first, by who, what kind of target and period (admin)."""
        require_role(current_user(), Role.ADMIN)
        statement = audit_query(args.get("actor"), args.get("target_type"), args.get("from_"), args.get("to"))
        return paginate(statement, args["page"], args["per_page"])
