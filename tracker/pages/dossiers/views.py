"""Finding a dossier by anything printed on its papers, and the journey of each of its items."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for

from labels.item_labels import LabelSize
from tracker.api.transactions import use_case
from tracker.counter.services import papers_of
from tracker.delays.journeys import legs_by_item
from tracker.domain.custody import Role
from tracker.dossiers.attach import attach_one_stop_facts, revisions_of
from tracker.dossiers.search import search_dossiers
from tracker.dossiers.services import find_dossier
from tracker.errors import ApiError
from tracker.extensions import db
from tracker.pages.delivery.views import packet_state
from tracker.pages.dossiers.attach_form import AttachForm
from tracker.pages.outcomes.views import dossier_actions
from tracker.printing.blueprint import document
from tracker.printing.services import item_labels_pdf, may_print_label
from tracker.privacy.services import applicant_contact
from tracker.web.shell import EVERYONE, HANDLERS, page_blueprint, signed_in

blp = page_blueprint("dossier_pages", __name__)

RESULTS_PER_PAGE = 30


@blp.get("/dossiers")
@signed_in(*EVERYONE)
@use_case  # an unmasked read of personal data is logged
def search():
    query = request.args.get("q", "").strip()
    page = max(request.args.get("page", 1, type=int), 1)
    found = None
    if query:
        found = search_dossiers(q=query, page=page, per_page=RESULTS_PER_PAGE)
    return render_template("dossiers/dossier_search.html", query=query, found=found, contact=applicant_contact)


@blp.get("/dossiers/<code>")
@signed_in(*EVERYONE)
@use_case  # an unmasked read of personal data is logged
def timeline(code: str):
    return _dossier_page(find_dossier(code, with_timeline=True))


def _dossier_page(dossier, attach: AttachForm | None = None, status: int = 200):
    return render_template(
        "dossiers/dossier.html",
        dossier=dossier,
        legs=legs_by_item(dossier.id),
        may_print=lambda item: may_print_label(g.user, item),
        contact=applicant_contact(dossier),
        revisions=revisions_of(dossier),
        papers=papers_of(dossier),
        attach=attach or AttachForm.of(dossier),
        actions=dossier_actions(g.user, dossier),
        packet_state=lambda item: packet_state(g.user, item),
    ), status


@blp.post("/dossiers/<code>/attach")
@signed_in(Role.CENTRE_CLERK)
@use_case
def attach(code: str):
    """The centre attaches the mã hồ sơ and the appointment date; a refusal keeps what was typed."""
    dossier = find_dossier(code, with_timeline=True)
    form = AttachForm.submitted(request.form)
    if not form.errors:
        try:
            attach_one_stop_facts(g.user, dossier, code=form.code, due_at=form.due_at(), source="centre")
        except ApiError as error:
            db.session.rollback()
            form.refused(error)
    if form.errors:
        return _dossier_page(dossier, form, 422)
    return redirect(url_for("dossier_pages.timeline", code=dossier.reference, attached=1))


@blp.post("/dossiers/<code>/items/<item_code>/label.pdf")
@signed_in(*HANDLERS)
@use_case
def reprint_label(code: str, item_code: str):
    """A label printed again from the dossier's page; it counts as printed."""
    return document(item_labels_pdf(g.user, [item_code], LabelSize.THERMAL), "application/pdf", f"nhan-{item_code}.pdf")
