"""Delivery to the applicant: find the packet, record who received it with their signature,
or why the delivery failed; print the delivery note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, HiddenField, RadioField, SelectField, StringField
from wtforms.validators import Optional

from tracker.api.transactions import use_case
from tracker.auth.models import User
from tracker.custody.lookup import find_item, scanned
from tracker.custody.models import Item
from tracker.custody.services import Actor
from tracker.delivery import services
from tracker.delivery.models import DeliveryRecord
from tracker.delivery.notes import may_print_note
from tracker.delivery.services import Recipient
from tracker.domain.codes import CodeKind
from tracker.domain.custody import ItemStatus, Role
from tracker.domain.journey_end import FOR_THE_APPLICANT, RecipientKind, flagged_for_return
from tracker.dossiers.services import find_dossier
from tracker.errors import ApiError, Unprocessable
from tracker.extensions import db
from tracker.holdings.services import HoldingFilters, holdings
from tracker.web import names
from tracker.web.shell import page_blueprint, signed_in

blp = page_blueprint("delivery_pages", __name__, static_folder="static", static_url_path="/static/delivery")

DELIVERERS = (Role.POSTAL_STAFF, Role.CENTRE_CLERK)
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"
# Which form field a refusal's details name: the service's names, the form's names.
FIELD_OF = {"occurred_at": "delivered_at"}


class DeliveryForm(FlaskForm):
    recipient_kind = RadioField(lazy_gettext("Who receives it"), default=RecipientKind.APPLICANT.value)
    recipient_name = StringField(lazy_gettext("Name of the person receiving it"))
    id_last_digits = StringField(lazy_gettext("Last digits of their identity document"))
    delivered_at = DateTimeLocalField(lazy_gettext("Time of delivery"), format=LOCAL_MINUTE, validators=[Optional()])
    signature = HiddenField()
    note = StringField(lazy_gettext("Note"))


class AttemptForm(FlaskForm):
    reason_code = SelectField(lazy_gettext("Why it could not be delivered"))
    reason_text = StringField(lazy_gettext("Details (required for another reason)"))


def _forms() -> tuple[DeliveryForm, AttemptForm]:
    delivery = DeliveryForm()
    delivery.recipient_kind.choices = list(names.RECIPIENT_KINDS.items())
    attempt = AttemptForm(prefix="attempt")
    attempt.reason_code.choices = list(names.DELIVERY_FAILURE_REASONS.items())
    return delivery, attempt


def _local_now() -> datetime:
    return datetime.now(ZoneInfo(current_app.config["TRACKER_TIMEZONE"])).replace(second=0, microsecond=0)


def packets_scanned(raw: str) -> list:
    """The packets a scan names: an item code or S10 id, or a dossier code (its packets for the applicant here)."""
    code = scanned(raw)
    if code.kind is CodeKind.ITEM or code.is_postal_id:
        return [find_item(raw)]
    dossier = find_dossier(raw)
    return [
        item
        for item in dossier.items
        if item.kind in FOR_THE_APPLICANT
        and item.holder_unit_id == g.user.unit_id
        and item.item_status is ItemStatus.HELD
    ]


@blp.get("/delivery")
@signed_in(*DELIVERERS)
def start():
    query = request.args.get("code", "").strip()
    found, error = None, None
    if query:
        try:
            found = packets_scanned(query)
        except ApiError as refusal:
            error = refusal.message
        else:
            if len(found) == 1:
                return redirect(url_for("delivery_pages.packet", code=found[0].code))
            if not found:
                error = gettext("Your unit holds no result or returned papers of this dossier.")
    waiting = [h for h in holdings(g.user, HoldingFilters(), 1, 200)["items"] if h.item.kind in FOR_THE_APPLICANT]
    return render_template("delivery/start.html", query=query, found=found, error=error, waiting=waiting)


def _packet_page(code: str, delivery: DeliveryForm, attempt: AttemptForm, refusal: ApiError | None = None):
    item = find_item(code)
    field = None
    if refusal is not None:
        field = next((FIELD_OF.get(name, name) for name in refusal.details if isinstance(name, str)), None)
    if delivery.delivered_at.data is None:
        delivery.delivered_at.data = _local_now().replace(tzinfo=None)
    may_deliver = item.holder_unit_id == g.user.unit_id and item.item_status is ItemStatus.HELD
    return render_template(
        "delivery/packet.html",
        item=item,
        delivery=delivery,
        attempt=attempt,
        may_deliver=may_deliver and item.kind in FOR_THE_APPLICANT,
        record=services.delivery_of(item),
        attempts=services.attempts_of(item),
        failed_here=services.failed_attempts(item) if may_deliver else 0,
        max_attempts=services.max_attempts(),
        refusal=refusal,
        refused_field=field,
        invalid=lambda name: {"aria-invalid": "true", "aria-describedby": f"{name}-error"} if name == field else {},
    ), (refusal.status if refusal else 200)


@blp.get("/delivery/<code>")
@signed_in(*DELIVERERS)
def packet(code: str):
    return _packet_page(code, *_forms())


def _occurred_at(form: DeliveryForm) -> datetime | None:
    if form.delivered_at.data is None:
        return None
    return form.delivered_at.data.replace(tzinfo=ZoneInfo(current_app.config["TRACKER_TIMEZONE"]))


@blp.post("/delivery/<code>")
@signed_in(*DELIVERERS)
@use_case
def deliver(code: str):
    delivery, attempt = _forms()
    try:
        if not delivery.validate_on_submit():
            raise Unprocessable(gettext("Check the time of delivery."), details={"delivered_at": []})
        if not delivery.signature.data:
            message = gettext("Ask the person receiving it to sign in the box, then save again.")
            raise Unprocessable(message, details={"signature": []})
        recipient = Recipient(
            RecipientKind(delivery.recipient_kind.data), delivery.recipient_name.data, delivery.id_last_digits.data
        )
        actor = Actor.of(g.user, _occurred_at(delivery))
        services.deliver(actor, code, recipient, delivery.signature.data, delivery.note.data or None)
    except ApiError as refusal:
        db.session.rollback()
        return _packet_page(code, delivery, attempt, refusal)
    return redirect(url_for("delivery_pages.packet", code=find_item(code).code, delivered=1))


@blp.post("/delivery/<code>/attempts")
@signed_in(*DELIVERERS)
@use_case
def failed_attempt(code: str):
    delivery, attempt = _forms()
    try:
        if not attempt.validate_on_submit():
            raise Unprocessable(gettext("Choose a reason from the list."), details={"reason_code": []})
        services.record_failed_attempt(Actor.of(g.user), code, attempt.reason_code.data, attempt.reason_text.data)
    except ApiError as refusal:
        db.session.rollback()
        return _packet_page(code, delivery, attempt, refusal)
    return redirect(url_for("delivery_pages.packet", code=find_item(code).code, failed=1))


@dataclass(frozen=True)
class PacketState:
    """What the dossier page says and offers about one packet's delivery."""

    may_deliver: bool
    failed_attempts: int
    flagged_for_return: bool
    record: DeliveryRecord | None
    may_print_note: bool


def packet_state(user: User, item: Item) -> PacketState:
    if item.kind not in FOR_THE_APPLICANT:
        return PacketState(False, 0, False, None, False)
    here = item.holder_unit_id == user.unit_id and item.item_status is ItemStatus.HELD
    failed = services.failed_attempts(item) if item.holder_unit_id is not None else 0
    record = services.delivery_of(item)
    return PacketState(
        may_deliver=here and user.user_role in DELIVERERS,
        failed_attempts=failed,
        flagged_for_return=flagged_for_return(failed, services.max_attempts()),
        record=record,
        may_print_note=record is not None and may_print_note(user, record),
    )
