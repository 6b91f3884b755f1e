"""The delivery note of a delivered packet: who may print it and what it says. Rendering is labels/'s job."""

from __future__ import annotations

from labels.delivery_note import DeliveryNote, render_delivery_note
from tracker.auth.models import User
from tracker.custody.lookup import find_item
from tracker.custody.models import Item
from tracker.delivery.models import DeliveryRecord
from tracker.delivery.services import delivery_of
from tracker.domain.custody import Role
from tracker.domain.journey_end import RECIPIENT_KINDS, RecipientKind
from tracker.errors import Forbidden, NotFound
from tracker.printing.services import local_text


def may_print_note(user: User, record: DeliveryRecord) -> bool:
    """The unit that handed the packet over, and those who oversee."""
    return user.unit_id == record.unit_id or user.user_role in (Role.SUPERVISOR, Role.ADMIN)


def delivery_note(record: DeliveryRecord) -> DeliveryNote:
    item, dossier = record.item, record.item.dossier
    return DeliveryNote(
        item_code=item.code,
        dossier_code=dossier.reference,
        procedure_name=dossier.procedure_name,
        kind=item.kind,
        applicant_name=dossier.applicant_name,
        applicant_address=dossier.applicant_address,
        unit_name=record.event.unit.name,
        delivered_at=local_text(record.occurred_at),
        recipient_name=record.recipient_name or "",
        recipient_role=RECIPIENT_KINDS[RecipientKind(record.recipient_kind)],
        id_last_digits=record.id_last_digits or "",
        staff_name=record.event.actor.full_name,
        signature_png=record.signature_png,
    )


def delivery_note_pdf(user: User, item_code: str) -> tuple[Item, bytes]:
    item = find_item(item_code)
    record = delivery_of(item)
    if record is None:
        raise NotFound(
            f"Bưu gửi {item.code} chưa được giao cho người nhận.", code="not_delivered", details={"item": item.code}
        )
    if not may_print_note(user, record):
        raise Forbidden(
            f"Chỉ đơn vị đã giao bưu gửi {item.code} mới in được phiếu giao.",
            code="outside_own_unit",
            details={"item": item.code},
        )
    return item, render_delivery_note(delivery_note(record))
