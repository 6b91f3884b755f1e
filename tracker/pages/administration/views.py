"""The admin's pages: accounts (list, add, edit, disable, reset a password) and the audit log."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import g, make_response, redirect, render_template, request, url_for
from flask_babel import get_timezone

from tracker.api.pagination import paginate
from tracker.api.transactions import use_case
from tracker.audit.services import audit_query, target_types
from tracker.auth import accounts, tokens
from tracker.domain.custody import Role
from tracker.errors import ApiError
from tracker.extensions import db
from tracker.pages.administration.forms import AccountForm, NewAccountForm
from tracker.units.services import all_units, find_unit
from tracker.web.shell import ADMINISTRATION, page_blueprint, signed_in

blp = page_blueprint("administration", __name__, url_prefix="/admin")

USERS_PER_PAGE = 50
AUDIT_PER_PAGE = 50


def _refused_form(template: str, form: AccountForm, error: ApiError, **context):
    """The form again, with what was typed and the refusal next to its field; nothing written."""
    db.session.rollback()
    form.show_refusal(error)
    return make_response(render_template(template, form=form, **context), 422)


@blp.get("")
@signed_in(Role.ADMIN)
def home():
    """The administration page: each of the admin's pages with what it is for."""
    return render_template("administration/home.html", sections=ADMINISTRATION)


@blp.get("/users")
@signed_in(Role.ADMIN)
def users():
    unit = request.args.get("unit") or None
    role = request.args.get("role") if request.args.get("role") in {r.value for r in Role} else None
    page = max(request.args.get("page", 1, type=int), 1)
    statement = accounts.users_query(find_unit(unit) if unit else None, Role(role) if role else None)
    return render_template(
        "administration/users.html",
        found=paginate(statement, page, USERS_PER_PAGE),
        units=all_units(),
        unit=unit,
        role=role,
    )


@blp.route("/users/new", methods=["GET", "POST"])
@signed_in(Role.ADMIN)
@use_case
def new_user():
    form = NewAccountForm()
    if not form.validate_on_submit():
        return make_response(render_template("administration/user_new.html", form=form), 422 if form.errors else 200)
    try:
        user = accounts.add_user(
            g.user,
            form.username.data,
            form.full_name.data,
            form.password.data,
            Role(form.role.data),
            find_unit(form.unit.data),
        )
    except ApiError as error:
        return _refused_form("administration/user_new.html", form, error)
    return redirect(url_for("administration.edit_user", username=user.username, saved=1))


@blp.route("/users/<username>/edit", methods=["GET", "POST"])
@signed_in(Role.ADMIN)
@use_case
def edit_user(username: str):
    account = accounts.find_user(username)
    form = AccountForm(data={"full_name": account.full_name, "role": account.role, "unit": account.unit.code})
    live_tokens = db.session.scalars(tokens.tokens_query(g.user, account)).all()
    if not form.validate_on_submit():
        page = render_template("administration/user_edit.html", form=form, account=account, tokens=live_tokens)
        return make_response(page, 422 if form.errors else 200)
    changes = {"full_name": form.full_name.data, "role": form.role.data, "unit": form.unit.data}
    try:
        accounts.update_user(g.user, account, changes)
    except ApiError as error:
        return _refused_form("administration/user_edit.html", form, error, account=account, tokens=live_tokens)
    return redirect(url_for("administration.edit_user", username=username, saved=1))


@blp.post("/users/<username>/active")
@signed_in(Role.ADMIN)
@use_case
def set_active(username: str):
    account = accounts.find_user(username)
    accounts.update_user(g.user, account, {"active": request.form.get("active") == "1"})
    return redirect(url_for("administration.edit_user", username=username, saved=1))


@blp.post("/users/<username>/tokens/<int:token_id>/revoke")
@signed_in(Role.ADMIN)
@use_case
def revoke_token(username: str, token_id: int):
    tokens.revoke_token(g.user, token_id)
    return redirect(url_for("administration.edit_user", username=username))


@blp.post("/users/<username>/password-reset")
@signed_in(Role.ADMIN)
@use_case
def reset_password(username: str):
    account = accounts.find_user(username)
    one_time = accounts.reset_password(g.user, account)
    response = make_response(
        render_template("administration/one_time_password.html", account=account, one_time=one_time)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _day_start(text: str | None, days_later: int = 0) -> datetime | None:
    """The start of a date typed in the filter, in the province's time zone."""
    try:
        day = datetime.strptime(text or "", "%Y-%m-%d").date()
    except ValueError:
        return None
    return datetime.combine(day + timedelta(days=days_later), time(), tzinfo=get_timezone())


@blp.get("/audit")
@signed_in(Role.ADMIN)
def audit():
    filters = {name: request.args.get(name, "").strip() for name in ("actor", "target_type", "from", "to")}
    statement = audit_query(
        filters["actor"] or None,
        filters["target_type"] or None,
        _day_start(filters["from"]),
        _day_start(filters["to"], days_later=1),
    )
    page = max(request.args.get("page", 1, type=int), 1)
    return render_template(
        "administration/audit.html",
        found=paginate(statement, page, AUDIT_PER_PAGE),
        filters=filters,
        target_types=target_types(),
    )
