from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from tracker.api.pagination import page_of, paginate
from tracker.api.transactions import use_case
from tracker.auth import accounts, services, tokens
from tracker.auth.schemas import (
    AccountSchema,
    CredentialsSchema,
    NewUserSchema,
    OneTimePasswordSchema,
    PasswordChangeSchema,
    TokenArgs,
    TokenInfoSchema,
    TokenSchema,
    UserChangesSchema,
    UserFilterArgs,
    UserSchema,
)
from tracker.domain.custody import Role
from tracker.extensions import db
from tracker.units.services import find_unit

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Đăng nhập")


@blp.route("/token")
class Token(MethodView):
    @blp.arguments(CredentialsSchema)
    @blp.response(200, TokenSchema)
    @blp.doc(security=[])
    @blp.alt_response(429, description="Too many wrong passwords: wait Retry-After seconds")
    def post(self, args):
        """Exchange a username and password for a bearer token (throttled after wrong passwords)."""
        token, expires_at, user = services.issue_token(args["username"], args["password"], request.remote_addr)
        db.session.commit()
        return {"token": token, "expires_at": expires_at, "user": user}


# The signed-in user's own sessions and tokens: same prefix, but every call needs a token.
sessions_blp = Blueprint("sessions", __name__, url_prefix="/api/v1/auth", description="Phiên đăng nhập và token")
sessions_blp.before_request(services.authenticate_request)


@sessions_blp.route("/sign-out")
class SignOut(MethodView):
    @use_case
    @sessions_blp.response(204)
    def post(self):
        """End every session and token of the signed-in user, this one included."""
        services.end_all_sessions(services.current_user())


@sessions_blp.route("/tokens")
class Tokens(MethodView):
    @sessions_blp.arguments(TokenArgs, location="query")
    @sessions_blp.response(200, page_of(TokenInfoSchema))
    def get(self, args):
        """Your live tokens; an admin may name another user with ?username=."""
        owner = accounts.find_user(args["username"]) if "username" in args else None
        statement = tokens.tokens_query(services.current_user(), owner)
        return paginate(statement, args["page"], args["per_page"])


@sessions_blp.route("/tokens/<int:token_id>")
class OneToken(MethodView):
    @use_case
    @sessions_blp.response(204)
    def delete(self, token_id):
        """Revoke one of your tokens (an admin: anyone's); it stops working at once."""
        tokens.revoke_token(services.current_user(), token_id)


users_blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="Người dùng (quản trị)")
users_blp.before_request(services.authenticate_request)


@users_blp.route("")
class Users(MethodView):
    @users_blp.arguments(UserFilterArgs, location="query")
    @users_blp.response(200, page_of(AccountSchema))
    def get(self, args):
        """Everyone who can sign in, optionally of one unit or role (admin)."""
        services.require_role(services.current_user(), Role.ADMIN)
        unit = find_unit(args["unit"]) if "unit" in args else None
        role = Role(args["role"]) if "role" in args else None
        return paginate(accounts.users_query(unit, role), args["page"], args["per_page"])

    @use_case
    @users_blp.arguments(NewUserSchema)
    @users_blp.response(201, AccountSchema)
    def post(self, args):
        """Add a user who acts for one unit within one role (admin)."""
        services.require_role(services.current_user(), Role.ADMIN)
        unit = find_unit(args["unit"])
        role = Role(args["role"])
        return accounts.add_user(
            services.current_user(), args["username"], args["full_name"], args["password"], role, unit
        )


@users_blp.route("/me")
class Me(MethodView):
    @users_blp.response(200, UserSchema)
    def get(self):
        """The signed-in user."""
        return services.current_user()


@users_blp.route("/me/password")
class MyPassword(MethodView):
    @use_case
    @users_blp.arguments(PasswordChangeSchema)
    @users_blp.response(204)
    def post(self, args):
        """Change your password; every session and token of yours ends: sign in again."""
        user, address = services.current_user(), request.remote_addr
        accounts.change_own_password(user, args["current_password"], args["new_password"], address)


@users_blp.route("/<username>")
class OneUser(MethodView):
    @use_case
    @users_blp.arguments(UserChangesSchema)
    @users_blp.response(200, AccountSchema)
    def patch(self, args, username):
        """Change a user's name, role, unit or active (admin); disabling ends their sessions."""
        services.require_role(services.current_user(), Role.ADMIN)
        return accounts.update_user(services.current_user(), accounts.find_user(username), args)


@users_blp.route("/<username>/password-reset")
class PasswordReset(MethodView):
    @use_case
    @users_blp.response(200, OneTimePasswordSchema)
    def post(self, username):
        """A one-time password to hand to the user, who must choose a new one at sign-in (admin)."""
        services.require_role(services.current_user(), Role.ADMIN)
        user = accounts.find_user(username)
        return {"username": user.username, "one_time_password": accounts.reset_password(services.current_user(), user)}
