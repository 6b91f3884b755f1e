"""What goes on labels and slips, and who may print them. Rendering is labels/'s job."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from labels.barcodes import code128_svg
from labels.handover_slip import HandoverSlip, SlipLine, render_handover_slip
from labels.item_labels import ItemLabel, LabelSize, render_item_labels
from labels.zpl import render_item_label_zpl
from tracker.auth.models import User
from tracker.auth.services import require_handler
from tracker.custody.lookup import find_item, find_transfer, scanned
from tracker.custody.models import Item, Transfer
from tracker.database import utcnow
from tracker.domain.custody import ItemKind, TransferStatus
from tracker.errors import Forbidden, PayloadTooLarge, Unprocessable
from tracker.extensions import db
from tracker.units.models import Unit

MAX_LABELS_PER_REQUEST = 500

TRANSFER_STATUS_TEXT = {
    TransferStatus.DRAFT: "Đang lập, chưa giao",
    TransferStatus.DISPATCHED: "Đã giao, chờ bên nhận kiểm đếm",
    TransferStatus.RECEIVED: "Đã nhận đủ",
    TransferStatus.RECEIVED_WITH_DISCREPANCIES: "Đã nhận, có sai lệch",
    TransferStatus.CANCELLED: "Đã huỷ",
}


def local_text(moment: datetime | None, pattern: str = "%d/%m/%Y %H:%M") -> str:
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(current_app.config["TRACKER_TIMEZONE"])).strftime(pattern)


def destination_of(item: Item) -> str:
    """Where the packet is going: its transfer's addressee, else where its kind is headed."""
    if item.current_transfer is not None:
        return item.current_transfer.to_unit.name
    if item.kind == ItemKind.APPLICATION.value:
        return item.dossier.department.name
    return "Trả cho người nộp hồ sơ"


def item_label(item: Item) -> ItemLabel:
    dossier = item.dossier
    return ItemLabel(
        item_code=item.code,
        dossier_code=dossier.reference,
        procedure_name=dossier.procedure_name,
        kind=item.kind,
        destination=destination_of(item),
        due_date=local_text(dossier.due_at, "%d/%m/%Y") if dossier.due_at else "",
        applicant_name=dossier.applicant_name,
    )


def require_may_print_label(user: User, item: Item) -> None:
    """Only the unit holding an item, or the one that sent it on its way, prints its label."""
    require_handler(user)
    sender = item.current_transfer.from_unit_id if item.current_transfer else None
    if user.unit_id not in (item.holder_unit_id, sender):
        raise Forbidden(
            f"Chỉ đơn vị đang giữ hoặc đã gửi bưu gửi {item.code} mới in được nhãn của nó.",
            code="outside_own_unit",
            details={"item": item.code},
        )


def may_print_label(user: User, item: Item) -> bool:
    try:
        require_may_print_label(user, item)
    except Forbidden:
        return False
    return True


def printable_item(user: User, code: str) -> Item:
    item = find_item(code)
    require_may_print_label(user, item)
    return item


def item_label_pdf(user: User, code: str, size: LabelSize) -> tuple[Item, bytes]:
    item = printable_item(user, code)
    return item, render_item_labels([item_label(item)], size)


def item_label_zpl(user: User, code: str) -> tuple[Item, str]:
    item = printable_item(user, code)
    return item, render_item_label_zpl(item_label(item))


def barcode_svg(code: str) -> tuple[str, bytes]:
    """The SVG of a scanned or typed code; a misread check character is refused like a scan."""
    value = scanned(code).value
    try:
        return value, code128_svg(value)
    except ValueError as error:
        raise Unprocessable(
            f"{value} không in được thành mã vạch Code 128.", code="invalid_barcode_text", details={"code": value}
        ) from error


def item_labels_pdf(user: User, codes: list[str], size: LabelSize) -> bytes:
    """One PDF of the items' labels in the order given; they count as printed."""
    if len(codes) > MAX_LABELS_PER_REQUEST:
        raise PayloadTooLarge(
            f"Tối đa {MAX_LABELS_PER_REQUEST} nhãn mỗi lần in; hãy chia thành nhiều lần.",
            code="too_many_labels",
            details={"limit": MAX_LABELS_PER_REQUEST, "requested": len(codes)},
        )
    items = [printable_item(user, code) for code in codes]
    pdf = render_item_labels([item_label(item) for item in items], size)
    mark_printed(items)
    return pdf


def mark_printed(items: list[Item]) -> None:
    now = utcnow()
    for item in items:
        item.label_printed_at = now


def unprinted_items(unit: Unit) -> list[Item]:
    """Items the unit holds whose label has never been printed, oldest first."""
    statement = (
        select(Item)
        .where(Item.holder_unit_id == unit.id, Item.label_printed_at.is_(None))
        .options(selectinload(Item.dossier))
        .order_by(Item.created_at, Item.id)
    )
    return list(db.session.scalars(statement))


def require_may_print_slip(user: User, transfer: Transfer) -> None:
    require_handler(user)
    if user.unit_id not in (transfer.from_unit_id, transfer.to_unit_id):
        raise Forbidden(
            f"Chỉ bên giao và bên nhận mới in được phiếu {transfer.code}.",
            code="outside_own_unit",
            details={"transfer": transfer.code},
        )


def handover_slip(transfer: Transfer) -> HandoverSlip:
    lines = [
        SlipLine(
            item_code=line.item.code,
            dossier_code=line.item.dossier.reference,
            procedure_name=line.item.dossier.procedure_name,
            applicant_name=line.item.dossier.applicant_name,
            kind=line.item.kind,
            postal_id=line.item.postal_id or "",
            outcome=line.outcome,
            damaged=line.damaged,
        )
        for line in transfer.lines
    ]
    return HandoverSlip(
        transfer_code=transfer.code,
        from_unit=transfer.from_unit.name,
        to_unit=transfer.to_unit.name,
        status=TRANSFER_STATUS_TEXT[transfer.transfer_status],
        dispatched_at=local_text(transfer.dispatched_at),
        seal_number=transfer.seal_number or "",
        bag_count=transfer.bag_count,
        sender_name=transfer.dispatched_by.full_name if transfer.dispatched_by else "",
        received_at=local_text(transfer.received_at),
        receiver_name=transfer.received_by.full_name if transfer.received_by else "",
        seal_intact=transfer.seal_intact,
        receipt_note=transfer.receipt_note or "",
        lines=lines,
    )


def handover_slip_pdf(user: User, transfer_code: str) -> tuple[Transfer, bytes]:
    transfer = find_transfer(transfer_code)
    require_may_print_slip(user, transfer)
    return transfer, render_handover_slip(handover_slip(transfer))


def unprinted_on(transfer: Transfer) -> list[str]:
    """The codes of the transfer's items whose label was never printed, in manifest order."""
    return [line.item.code for line in transfer.lines if line.item.label_printed_at is None]
