"""Finding a dossier by anything printed on its papers, and the journey of each of its items."""

from __future__ import annotations

from flask import g, render_template, request

from tracker.api.pagination import paginate
from tracker.delays.journeys import legs_by_item
from tracker.dossiers.services import dossier_search, find_dossier
from tracker.pages.delivery.views import packet_state
from tracker.pages.outcomes.views import dossier_actions
from tracker.printing.services import may_print_label
from tracker.web.shell import EVERYONE, page_blueprint, signed_in

blp = page_blueprint("dossier_pages", __name__)

RESULTS_PER_PAGE = 30


@blp.get("/dossiers")
@signed_in(*EVERYONE)
def search():
    query = request.args.get("q", "").strip()
    page = max(request.args.get("page", 1, type=int), 1)
    found = None
    if query:
        statement = dossier_search(department=None, holder=None, status=None, q=query)
        found = paginate(statement, page, RESULTS_PER_PAGE)
    return render_template("dossiers/dossier_search.html", query=query, found=found)


@blp.get("/dossiers/<code>")
@signed_in(*EVERYONE)
def timeline(code: str):
    dossier = find_dossier(code, with_timeline=True)
    return render_template(
        "dossiers/dossier.html",
        dossier=dossier,
        legs=legs_by_item(dossier.id),
        may_print=lambda item: may_print_label(g.user, item),
        actions=dossier_actions(g.user, dossier),
        packet_state=lambda item: packet_state(g.user, item),
    )
