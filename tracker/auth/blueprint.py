from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from tracker.api.pagination import PageArgs, page_of, paginate
from tracker.api.transactions import use_case
from tracker.auth import services
from tracker.auth.models import User
from tracker.auth.schemas import CredentialsSchema, NewUserSchema, TokenSchema, UserSchema
from tracker.domain.custody import Role
from tracker.extensions import db
from tracker.units.services import find_unit

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Đăng nhập")


@blp.route("/token")
class Token(MethodView):
    @blp.arguments(CredentialsSchema)
    @blp.response(200, TokenSchema)
    @blp.doc(security=[])
    def post(self, args):
        """Exchange a username and password for a bearer token."""
        token, expires_at, user = services.issue_token(args["username"], args["password"])
        db.session.commit()
        return {"token": token, "expires_at": expires_at, "user": user}


users_blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="Người dùng (quản trị)")
users_blp.before_request(services.authenticate_request)


@users_blp.route("")
class Users(MethodView):
    @users_blp.arguments(PageArgs, location="query")
    @users_blp.response(200, page_of(UserSchema))
    def get(self, args):
        """Everyone who can sign in (admin)."""
        services.require_role(services.current_user(), Role.ADMIN)
        return paginate(select(User).order_by(User.username), args["page"], args["per_page"])

    @use_case
    @users_blp.arguments(NewUserSchema)
    @users_blp.response(201, UserSchema)
    def post(self, args):
        """Add a user who acts for one unit within one role (admin)."""
        services.require_role(services.current_user(), Role.ADMIN)
        unit = find_unit(args["unit"])
        return services.create_user(args["username"], args["full_name"], args["password"], Role(args["role"]), unit)


@users_blp.route("/me")
class Me(MethodView):
    @users_blp.response(200, UserSchema)
    def get(self):
        """The signed-in user."""
        return services.current_user()
