"""What my unit holds: every packet here now, how long it has waited, and a new transfer from a selection."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext

from tracker.api.transactions import use_case
from tracker.custody.queries import usual_destinations
from tracker.custody.services import Actor
from tracker.domain.custody import ItemKind
from tracker.errors import ApiError, Unprocessable
from tracker.extensions import db
from tracker.holdings.services import HOLDING_STATUSES, HoldingFilters, holdings, transfer_selected
from tracker.web.shell import HANDLERS, page_blueprint, signed_in

blp = page_blueprint("holdings_pages", __name__)

PER_PAGE = 50


def _filters() -> HoldingFilters:
    kind = request.values.get("kind")
    status = request.values.get("status")
    return HoldingFilters(
        kind=kind if kind in {k.value for k in ItemKind} else None,
        status=status if status in HOLDING_STATUSES else None,
        q=request.values.get("q", "").strip()[:200] or None,
    )


def _page(refusal: ApiError | None = None, selected: list[str] | None = None):
    filters = _filters()
    page = max(request.values.get("page", 1, type=int), 1)
    return render_template(
        "holdings/holdings.html",
        filters=filters,
        held=holdings(g.user, filters, page, PER_PAGE),
        destinations=usual_destinations(g.user.unit),
        chosen_destination=request.form.get("to_unit"),
        selected=set(selected or ()),
        refusal=refusal,
    ), (refusal.status if refusal else 200)


@blp.get("/holdings")
@signed_in(*HANDLERS)
def overview():
    return _page()


@blp.post("/holdings/transfer")
@signed_in(*HANDLERS)
@use_case
def new_transfer():
    """The ticked packets in a new draft transfer, opened at the scan station to check and dispatch."""
    codes = request.form.getlist("item")
    try:
        if not codes:
            raise Unprocessable(gettext("Select at least one packet."), code="nothing_selected")
        transfer = transfer_selected(Actor.of(g.user), request.form.get("to_unit", ""), codes)
    except ApiError as refusal:
        db.session.rollback()
        return _page(refusal, codes)
    return redirect(url_for("scanning.station", code=transfer.code))
