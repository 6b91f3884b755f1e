"""The counter (tiếp nhận): pick the procedure, fill in the applicant and papers, scan the S10, save, print."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, g, redirect, render_template, request, url_for

from tracker.api.fields import local_timezone
from tracker.api.transactions import use_case
from tracker.counter import services
from tracker.custody.lookup import find_item
from tracker.domain.custody import Role
from tracker.errors import ApiError
from tracker.extensions import db
from tracker.pages.counter.forms import IntakeForm, matching_procedures
from tracker.printing.blueprint import document
from tracker.printing.receipts import intake_papers_pdf
from tracker.procedures.services import procedure_search
from tracker.web.shell import page_blueprint, signed_in

blp = page_blueprint("counter", __name__)

COUNTER_ROLES = (Role.POSTAL_STAFF, Role.CENTRE_CLERK)
DATALIST_SIZE = 1000


@blp.get("/counter")
@signed_in(*COUNTER_ROLES)
def intake():
    """The procedure chooser, then, once one procedure is chosen, the intake form."""
    wanted = request.args.get("procedure", "").strip()
    matches = matching_procedures(wanted) if wanted else []
    if len(matches) == 1:
        form = IntakeForm.blank(matches[0], datetime.now(local_timezone()))
        return _intake_form(form)
    catalogue = db.session.scalars(procedure_search(active=True).limit(DATALIST_SIZE)).all()
    return render_template("counter/choose_procedure.html", wanted=wanted, matches=matches, catalogue=catalogue)


def _intake_form(form: IntakeForm, status: int = 200):
    return render_template("counter/intake.html", form=form), status


@blp.post("/counter")
@signed_in(*COUNTER_ROLES)
@use_case
def register():
    """One use case: the dossier, its papers and its packet, or nothing and the form again."""
    form = IntakeForm.submitted(request.form)
    if form.errors:
        return _intake_form(form, 422)
    try:
        item = services.take_in(g.user, form.intake())
    except ApiError as error:
        db.session.rollback()
        form.refused(error)
        return _intake_form(form, 422)
    return redirect(url_for("counter.registered", code=item.code))


@blp.get("/counter/registered/<code>")
@signed_in(*COUNTER_ROLES)
def registered(code: str):
    item = find_item(code)
    return render_template("counter/registered.html", item=item, dossier=item.dossier)


@blp.post("/counter/registered/<code>/papers.pdf")
@signed_in(*COUNTER_ROLES)
@use_case
def papers_pdf(code: str):
    """The label and the citizen's receipt in one PDF; the label counts as printed."""
    item = find_item(code)
    public_url = current_app.config.get("TRACKER_PUBLIC_URL")
    path = url_for("lookup.form", code=item.dossier.tracking_code, _external=not public_url)
    lookup_url = f"{public_url}{path}" if public_url else path
    item, pdf = intake_papers_pdf(g.user, code, lookup_url)
    return document(pdf, "application/pdf", f"bien-nhan-{item.dossier.tracking_code}.pdf", inline=False)
