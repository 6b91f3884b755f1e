"""The admin's units page: add a unit, rename one, deactivate one that holds nothing."""

from __future__ import annotations

from flask import g, make_response, redirect, render_template, request, url_for

from tracker.api.transactions import use_case
from tracker.domain.custody import Role, UnitKind
from tracker.errors import ApiError
from tracker.extensions import db
from tracker.pages.administration.forms import NewUnitForm
from tracker.units import services
from tracker.web.shell import page_blueprint, signed_in

blp = page_blueprint("unit_admin", __name__, url_prefix="/admin")


def _units_page(form: NewUnitForm, refusal: ApiError | None = None):
    """The page; after a refusal, nothing written, what was typed kept and the reason shown."""
    if refusal is not None:
        db.session.rollback()
        if "code" in refusal.details or refusal.code == "unit_exists":
            form.code.errors = [*form.code.errors, refusal.message]
    status = 422 if refusal is not None or form.errors else 200
    message = refusal.message if refusal is not None and not form.errors else None
    page = render_template("administration/units.html", units=services.all_units(), form=form, refusal=message)
    return make_response(page, status)


@blp.route("/units", methods=["GET", "POST"])
@signed_in(Role.ADMIN)
@use_case
def units():
    form = NewUnitForm()
    if not form.validate_on_submit():
        return _units_page(form)
    try:
        services.add_unit(g.user, form.code.data, form.name.data.strip(), UnitKind(form.kind.data))
    except ApiError as error:
        return _units_page(form, error)
    return redirect(url_for("unit_admin.units", saved=1))


@blp.post("/units/<code>")
@signed_in(Role.ADMIN)
@use_case
def change_unit(code: str):
    unit = services.find_unit(code)
    active = {"1": True, "0": False}.get(request.form.get("active", ""))
    try:
        services.change_unit(g.user, unit, name=request.form.get("name", "")[:200], active=active)
    except ApiError as error:
        return _units_page(NewUnitForm(formdata=None), error)
    return redirect(url_for("unit_admin.units", saved=1))
