"""Handing a packet to the applicant, and the attempts that failed.

Each function is one use case's writes; the caller commits. Every attempt is a custody event
(`delivered` or `delivery_failed`, with the unit and the item, hence the dossier) plus a
DeliveryRecord naming the recipient or the reason: what the outbox needs for
`item.delivered` and `item.delivery_failed`.
"""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass

from flask import current_app
from PIL import Image, UnidentifiedImageError
from sqlalchemy import and_, func, select

from tracker.auth.models import User
from tracker.auth.services import require_role
from tracker.custody import handout
from tracker.custody.legs import DWELL
from tracker.custody.models import Item, Leg
from tracker.custody.services import Actor, record_event
from tracker.delivery.models import DeliveryRecord
from tracker.domain.custody import EventKind, Role
from tracker.domain.journey_end import (
    DELIVERY_FAILURE_REASONS,
    FOR_THE_APPLICANT,
    NEEDS_TEXT,
    RecipientKind,
    flagged_for_return,
    reason_text,
)
from tracker.errors import Conflict, PayloadTooLarge, Unprocessable
from tracker.extensions import db

DELIVERED, FAILED = "delivered", "failed"
SIGNATURE_PREFIX = "data:image/png;base64,"
# A signature drawn on a phone is a few kilobytes; this leaves room and no more.
SIGNATURE_MAX_BYTES = 200_000


@dataclass(frozen=True)
class Recipient:
    """Who received the packet: the applicant, or a person they authorised (name, ID's last digits)."""

    kind: RecipientKind = RecipientKind.APPLICANT
    name: str | None = None
    id_last_digits: str | None = None


def require_deliverer(user: User) -> None:
    """The post delivers; the centre hands results over at its counter."""
    require_role(user, Role.POSTAL_STAFF, Role.CENTRE_CLERK)


def signature_png(data_url: str | None) -> bytes | None:
    """The PNG inside a canvas's data URL, refused if it is not one or is too big."""
    if not data_url:
        return None
    if not data_url.startswith(SIGNATURE_PREFIX):
        raise _bad_signature("Chữ ký phải là ảnh PNG (data:image/png;base64,...).")
    encoded = data_url[len(SIGNATURE_PREFIX) :]
    if len(encoded) > SIGNATURE_MAX_BYTES * 4 // 3 + 4:
        raise PayloadTooLarge(
            f"Ảnh chữ ký quá lớn (tối đa {SIGNATURE_MAX_BYTES // 1000} kB).",
            code="signature_too_large",
            details={"signature": [f"at most {SIGNATURE_MAX_BYTES} bytes"]},
        )
    try:
        png = base64.b64decode(encoded, validate=True)
        with Image.open(io.BytesIO(png)) as image:
            if image.format != "PNG":
                raise _bad_signature("Chữ ký phải là ảnh PNG.")
            image.verify()
    except (binascii.Error, UnidentifiedImageError, OSError, SyntaxError) as error:
        raise _bad_signature("Ảnh chữ ký không đọc được: ký lại rồi gửi lại.") from error
    return png


def _bad_signature(message: str) -> Unprocessable:
    return Unprocessable(message, code="invalid_signature", details={"signature": [message]})


def _checked_recipient(recipient: Recipient, item: Item) -> Recipient:
    name = (recipient.name or "").strip()
    digits = (recipient.id_last_digits or "").strip()
    if recipient.kind is RecipientKind.APPLICANT:
        return Recipient(recipient.kind, name or item.dossier.applicant_name, digits or None)
    if not name or not digits:
        raise Unprocessable(
            "Người được uỷ quyền nhận: ghi họ tên và các số cuối của giấy tờ tuỳ thân.",
            code="authorised_recipient_incomplete",
            details={
                field: ["required for an authorised person"]
                for field, value in (("recipient_name", name), ("id_last_digits", digits))
                if not value
            },
        )
    return Recipient(recipient.kind, name, digits)


def _require_for_the_applicant(item: Item) -> None:
    if item.kind not in FOR_THE_APPLICANT:
        raise Conflict(
            f"Bưu gửi {item.code} là hồ sơ gửi đi, không phải kết quả hay hồ sơ trả lại: không trả cho công dân.",
            code="not_for_the_applicant",
            details={"item": item.code, "kind": item.kind},
        )


def deliver(
    actor: Actor, item_code: str, recipient: Recipient, signature: str | None, note: str | None = None
) -> DeliveryRecord:
    """The applicant (or an authorised person) received the packet and signed: the journey ends."""
    require_deliverer(actor.user)
    png = signature_png(signature)
    item = handout.deliverable_item(actor, item_code)
    _require_for_the_applicant(item)
    checked = _checked_recipient(recipient, item)
    event = handout.deliver_item(actor, item, note)
    record = DeliveryRecord(
        event=event, item=item, unit_id=actor.unit_id, outcome=DELIVERED, occurred_at=actor.occurred_at,
        recipient_kind=checked.kind.value, recipient_name=checked.name, id_last_digits=checked.id_last_digits,
        signature_png=png,
    )  # fmt: skip
    db.session.add(record)
    db.session.flush()
    return record


@dataclass(frozen=True)
class FailedAttempt:
    record: DeliveryRecord
    failed_attempts: int  # by the holding unit, this one included
    max_attempts: int

    @property
    def flagged_for_return(self) -> bool:
        return flagged_for_return(self.failed_attempts, self.max_attempts)


def record_failed_attempt(
    actor: Actor, item_code: str, reason_code: str, reason_text_given: str | None
) -> FailedAttempt:
    """A delivery that did not happen (not at home, refused, ...): the packet stays with the unit."""
    require_deliverer(actor.user)
    if reason_code not in DELIVERY_FAILURE_REASONS:
        raise Unprocessable(
            "Chọn lý do trong danh sách.",
            code="invalid_reason",
            details={"reason_code": list(DELIVERY_FAILURE_REASONS)},
        )
    if reason_code == NEEDS_TEXT and not (reason_text_given or "").strip():
        raise Unprocessable(
            "Với lý do khác, hãy ghi rõ lý do.",
            code="reason_text_required",
            details={"reason_text": ["required when reason_code is other"]},
        )
    item = handout.deliverable_item(actor, item_code)
    _require_for_the_applicant(item)
    note = reason_text(DELIVERY_FAILURE_REASONS, reason_code, reason_text_given)
    event = record_event(actor, EventKind.DELIVERY_FAILED, item=item, note=note)
    record = DeliveryRecord(
        event=event, item=item, unit_id=actor.unit_id, outcome=FAILED, occurred_at=actor.occurred_at,
        reason_code=reason_code, reason_text=(reason_text_given or "").strip() or None,
    )  # fmt: skip
    db.session.add(record)
    db.session.flush()
    return FailedAttempt(record, failed_attempts(item), max_attempts())


def max_attempts() -> int:
    return current_app.config["DELIVERY_MAX_ATTEMPTS"]


def failed_attempts_here():
    """Per item row: the failed deliveries by the unit holding it since it last arrived there."""
    held_since = (
        select(Leg.started_at)
        .where(Leg.item_id == Item.id, Leg.kind == DWELL, Leg.ended_at.is_(None))
        .correlate(Item)
        .scalar_subquery()
    )
    return (
        select(func.count(DeliveryRecord.id))
        .where(
            and_(
                DeliveryRecord.item_id == Item.id,
                DeliveryRecord.outcome == FAILED,
                DeliveryRecord.unit_id == Item.holder_unit_id,
                DeliveryRecord.occurred_at >= held_since,
            )
        )
        .correlate(Item)
        .scalar_subquery()
    )


def failed_attempts(item: Item) -> int:
    return db.session.scalar(select(failed_attempts_here()).select_from(Item).where(Item.id == item.id)) or 0


def delivery_of(item: Item) -> DeliveryRecord | None:
    """The record of the packet's delivery, if it was delivered."""
    return db.session.scalar(
        select(DeliveryRecord).where(DeliveryRecord.item_id == item.id, DeliveryRecord.outcome == DELIVERED)
    )


def attempts_of(item: Item) -> list[DeliveryRecord]:
    """Every attempt to deliver the packet, oldest first."""
    statement = select(DeliveryRecord).where(DeliveryRecord.item_id == item.id)
    return list(db.session.scalars(statement.order_by(DeliveryRecord.occurred_at, DeliveryRecord.id)))
