"""The scan station: open a transfer to a unit, scan items into it, dispatch, print."""

from __future__ import annotations

from flask import g, redirect, render_template, url_for
from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import SelectField

from labels.item_labels import LabelSize
from tracker.api.transactions import use_case
from tracker.auth.services import require_own_unit
from tracker.custody import services
from tracker.custody.lookup import find_transfer
from tracker.custody.queries import transfers_between, usual_destinations
from tracker.custody.services import Actor
from tracker.domain.custody import TransferStatus
from tracker.printing.blueprint import document
from tracker.printing.services import item_labels_pdf, unprinted_on
from tracker.web.scanner import scanner_messages
from tracker.web.shell import HANDLERS, page_blueprint, signed_in

blp = page_blueprint("scanning", __name__)


class OpenTransferForm(FlaskForm):
    to_unit = SelectField(lazy_gettext("Receiving unit"))


def _open_transfer_form() -> OpenTransferForm:
    form = OpenTransferForm()
    form.to_unit.choices = [(unit.code, f"{unit.name} ({unit.code})") for unit in usual_destinations(g.user.unit)]
    return form


@blp.get("/scan")
@signed_in(*HANDLERS)
def start():
    unit = g.user.unit
    drafts = transfers_between(from_unit=unit, statuses=(TransferStatus.DRAFT,))
    sent = transfers_between(from_unit=unit, statuses=(TransferStatus.DISPATCHED,), limit=10)
    return render_template("station/scan_start.html", form=_open_transfer_form(), drafts=drafts, sent=sent)


@blp.post("/scan")
@signed_in(*HANDLERS)
@use_case
def open_transfer():
    form = _open_transfer_form()
    if not form.validate_on_submit():
        return redirect(url_for("scanning.start"))
    transfer = services.open_transfer(Actor.of(g.user), form.to_unit.data)
    return redirect(url_for("scanning.station", code=transfer.code))


def _own_transfer(code: str):
    transfer = find_transfer(code)
    require_own_unit(g.user, transfer.from_unit, gettext("This transfer was not opened by your unit."))
    return transfer


@blp.get("/scan/<code>")
@signed_in(*HANDLERS)
def station(code: str):
    transfer = _own_transfer(code)
    return render_template(
        "station/scan_station.html",
        transfer=transfer,
        is_draft=transfer.transfer_status is TransferStatus.DRAFT,
        unprinted=unprinted_on(transfer),
        messages=scanner_messages(),
    )


@blp.post("/scan/<code>/cancel")
@signed_in(*HANDLERS)
@use_case
def cancel(code: str):
    """Abandon a draft from the page; nothing was handed over."""
    services.cancel_transfer(Actor.of(g.user), _own_transfer(code).code)
    return redirect(url_for("scanning.start"))


@blp.post("/scan/<code>/labels.pdf")
@signed_in(*HANDLERS)
@use_case
def print_labels(code: str):
    """The labels of the transfer's items never printed before; they count as printed now."""
    transfer = _own_transfer(code)
    codes = unprinted_on(transfer)
    if not codes:
        return redirect(url_for("scanning.station", code=transfer.code))
    return document(item_labels_pdf(g.user, codes, LabelSize.THERMAL), "application/pdf", f"nhan-{transfer.code}.pdf")
