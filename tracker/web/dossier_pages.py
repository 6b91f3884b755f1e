"""Finding a dossier by anything printed on its papers, and the journey of each of its items."""

from __future__ import annotations

from flask import g, render_template, request
from flask_babel import lazy_gettext

from tracker.api.pagination import paginate
from tracker.delays.journeys import legs_by_item
from tracker.dossiers.services import dossier_search, find_dossier
from tracker.printing.services import may_print_label
from tracker.web.dashboard import LEG_KIND_NAMES
from tracker.web.pages import EVERYONE, page_blueprint, signed_in

blp = page_blueprint("dossier_pages")

RESULTS_PER_PAGE = 30
EVENT_NAMES = {
    "registered": lazy_gettext("Registered"),
    "packed": lazy_gettext("Packed into a transfer"),
    "unpacked": lazy_gettext("Taken out of a transfer"),
    "dispatched": lazy_gettext("Handed over"),
    "received": lazy_gettext("Received"),
    "received_unexpected": lazy_gettext("Received, not on the list"),
    "missing": lazy_gettext("Missing on receipt"),
    "damaged": lazy_gettext("Damaged"),
    "seal_broken": lazy_gettext("Seal broken"),
    "delivered": lazy_gettext("Delivered to the applicant"),
    "transfer_cancelled": lazy_gettext("Transfer cancelled"),
}
ITEM_KINDS = {
    "application": lazy_gettext("application papers"),
    "result": lazy_gettext("result"),
    "returned": lazy_gettext("returned papers"),
}
ITEM_STATUSES = {
    "held": lazy_gettext("held"),
    "packed": lazy_gettext("packed"),
    "in_transit": lazy_gettext("in transit"),
    "missing": lazy_gettext("missing"),
    "delivered": lazy_gettext("delivered"),
}


@blp.get("/dossiers")
@signed_in(*EVERYONE)
def search():
    query = request.args.get("q", "").strip()
    page = max(request.args.get("page", 1, type=int), 1)
    found = None
    if query:
        statement = dossier_search(department=None, holder=None, status=None, q=query)
        found = paginate(statement, page, RESULTS_PER_PAGE)
    return render_template("dossier_search.html", query=query, found=found)


@blp.get("/dossiers/<code>")
@signed_in(*EVERYONE)
def timeline(code: str):
    dossier = find_dossier(code, with_timeline=True)
    return render_template(
        "dossier.html",
        dossier=dossier,
        legs=legs_by_item(dossier.id),
        event_names=EVENT_NAMES,
        leg_names=LEG_KIND_NAMES,
        item_kinds=ITEM_KINDS,
        item_statuses=ITEM_STATUSES,
        may_print=lambda item: may_print_label(g.user, item),
    )
