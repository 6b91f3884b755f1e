"""Every user's own account: changing the password (required after an admin set it), their tokens."""

from __future__ import annotations

from flask import g, make_response, redirect, render_template, request, url_for
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired

from tracker.api.transactions import use_case
from tracker.auth import tokens
from tracker.auth.accounts import change_own_password
from tracker.auth.services import renew_session
from tracker.auth.tokens import tokens_query
from tracker.errors import ApiError
from tracker.extensions import db
from tracker.web.shell import EVERYONE, page_blueprint, signed_in

blp = page_blueprint("account", __name__, url_prefix="/account")


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(lazy_gettext("Current password"), validators=[DataRequired()])
    new_password = PasswordField(lazy_gettext("New password"), validators=[DataRequired()])


@blp.route("/password", methods=["GET", "POST"])
@signed_in(*EVERYONE)
@use_case
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            change_own_password(g.user, form.current_password.data, form.new_password.data, request.remote_addr)
        except ApiError as error:
            db.session.rollback()
            field = form.new_password if "new_password" in error.details else form.current_password
            field.errors = [*field.errors, error.message]
        else:
            db.session.flush()
            renew_session(g.user)  # this page stays signed in; every other session and token ends
            return redirect(url_for("account.change_password", changed=1))
    page = render_template(
        "account/password.html",
        form=form,
        changed=request.args.get("changed"),
        tokens=db.session.scalars(tokens_query(g.user, None)).all(),
    )
    return make_response(page, 422 if form.errors else 200)


@blp.post("/tokens/<int:token_id>/revoke")
@signed_in(*EVERYONE)
@use_case
def revoke_token(token_id: int):
    tokens.revoke_token(g.user, token_id)
    return redirect(url_for("account.change_password"))
