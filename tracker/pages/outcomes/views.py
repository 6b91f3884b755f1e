"""Results and returns from the dossier page (department clerks; the centre may return at intake)."""

from __future__ import annotations

from flask import g, redirect, render_template, url_for
from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField

from tracker.api.transactions import use_case
from tracker.auth.models import User
from tracker.custody.services import Actor
from tracker.domain.custody import Role
from tracker.dossiers.models import Dossier
from tracker.dossiers.services import find_dossier
from tracker.errors import ApiError, Unprocessable
from tracker.extensions import db
from tracker.outcomes import services
from tracker.web import names
from tracker.web.shell import page_blueprint, signed_in

blp = page_blueprint("outcome_pages", __name__)


class ReturnForm(FlaskForm):
    ending = RadioField(lazy_gettext("What happens to the dossier"), default="returned")
    reason_code = SelectField(lazy_gettext("Reason"))
    reason_text = StringField(lazy_gettext("Details (required for another reason)"))


def _return_form() -> ReturnForm:
    form = ReturnForm()
    form.ending.choices = [
        ("returned", names.DOSSIER_STATUSES["returned"]),
        ("withdrawn", names.DOSSIER_STATUSES["withdrawn"]),
    ]
    form.reason_code.choices = list(names.RETURN_REASONS.items())
    return form


def dossier_actions(user: User, dossier: Dossier) -> dict[str, bool]:
    """Which of the dossier page's end-of-journey buttons this user sees (the services still decide)."""
    own_department = user.user_role is Role.DEPARTMENT_CLERK and user.unit_id == dossier.department_id
    pending = dossier.awaits_result
    return {
        "may_create_result": own_department and pending,
        "may_return": (own_department or user.user_role is Role.CENTRE_CLERK) and pending,
    }


@blp.post("/dossiers/<code>/result")
@signed_in(Role.DEPARTMENT_CLERK)
@use_case
def create_result(code: str):
    """Tạo kết quả: the result packet now, and the dossier page offering its label."""
    item = services.create_result(Actor.of(g.user), code)
    return redirect(url_for("dossier_pages.timeline", code=item.dossier.reference, result=item.code))


@blp.get("/dossiers/<code>/return")
@signed_in(Role.DEPARTMENT_CLERK, Role.CENTRE_CLERK)
def return_form(code: str):
    return render_template("outcomes/return.html", dossier=find_dossier(code), form=_return_form(), refusal=None)


@blp.post("/dossiers/<code>/return")
@signed_in(Role.DEPARTMENT_CLERK, Role.CENTRE_CLERK)
@use_case
def return_dossier(code: str):
    form = _return_form()
    try:
        if not form.validate_on_submit():
            raise Unprocessable(gettext("Choose what happens to the dossier and a reason from the list."))
        record = services.return_dossier(
            Actor.of(g.user),
            code,
            reason_code=form.reason_code.data,
            reason_text_given=form.reason_text.data,
            withdrawn=form.ending.data == "withdrawn",
        )
    except ApiError as refusal:
        db.session.rollback()
        page = render_template("outcomes/return.html", dossier=find_dossier(code), form=form, refusal=refusal)
        return page, refusal.status
    return redirect(url_for("dossier_pages.timeline", code=record.dossier.reference, returned=record.item.code))
