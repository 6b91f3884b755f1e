"""Nhận thư thông báo: each signed-in user chooses the mail they receive."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext

from tracker.api.transactions import use_case
from tracker.errors import Unprocessable
from tracker.extensions import db
from tracker.notifications.services import MAIL_KINDS, set_mail_preferences, subscribed_kinds
from tracker.web.shell import EVERYONE, page_blueprint, signed_in

blp = page_blueprint("mail_settings", __name__)


@blp.get("/notifications")
@signed_in(*EVERYONE)
def edit():
    return render_template(
        "notifications/mail_settings.html", email=g.user.email or "", kinds=subscribed_kinds(g.user), error=None
    )


@blp.post("/notifications")
@signed_in(*EVERYONE)
@use_case
def save():
    email = request.form.get("email", "")
    kinds = {kind for kind in request.form.getlist("kinds") if kind in MAIL_KINDS}
    try:
        set_mail_preferences(g.user, email, kinds)
    except Unprocessable as refusal:
        db.session.rollback()
        error = gettext("Enter a valid e-mail address, such as name@agency.gov.vn, to receive mail.")
        page = render_template("notifications/mail_settings.html", email=email, kinds=kinds, error=error)
        return page, refusal.status
    return redirect(url_for("mail_settings.edit", saved=1))
