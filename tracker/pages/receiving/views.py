"""Receiving: open a transfer addressed to my unit, tick off what arrived, confirm, print the receipt."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext

from tracker.auth.services import require_own_unit
from tracker.custody.lookup import find_transfer
from tracker.custody.queries import arrived_elsewhere, transfers_between
from tracker.custody.receipts import summarise_receipt
from tracker.domain.custody import TransferStatus
from tracker.web.scanner import scanner_messages
from tracker.web.shell import HANDLERS, page_blueprint, signed_in

blp = page_blueprint("receiving", __name__)


@blp.get("/receive")
@signed_in(*HANDLERS)
def inbox():
    coming = transfers_between(to_unit=g.user.unit, statuses=(TransferStatus.DISPATCHED,))
    strays = arrived_elsewhere(g.user.unit)
    return render_template("receiving/receive_inbox.html", coming=coming, strays=strays)


@blp.get("/receive/open")
@signed_in(*HANDLERS)
def open_scanned():
    """The transfer whose barcode was scanned (or typed) on the inbox page."""
    transfer = find_transfer(request.args.get("code", ""))
    return redirect(url_for("receiving.checklist", code=transfer.code))


@blp.get("/receive/<code>")
@signed_in(*HANDLERS)
def checklist(code: str):
    transfer = find_transfer(code)
    require_own_unit(g.user, transfer.to_unit, gettext("This transfer is not addressed to your unit."))
    if transfer.transfer_status is TransferStatus.DISPATCHED:
        return render_template("receiving/receive_checklist.html", transfer=transfer, messages=scanner_messages())
    return render_template("receiving/receipt.html", transfer=transfer, receipt=summarise_receipt(transfer))
