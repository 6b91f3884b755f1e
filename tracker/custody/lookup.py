"""Finding items and transfers by what was scanned, optionally locking their rows."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from tracker.custody.models import Item, Transfer
from tracker.database import note_locked
from tracker.domain.codes import CodeKind, InvalidCheckCharacter, ScannedCode, classify
from tracker.dossiers.models import Dossier
from tracker.errors import Conflict, NotFound, Unprocessable
from tracker.extensions import db
from tracker.units.models import Unit


def scanned(raw: str) -> ScannedCode:
    """Classify a scanned string, refusing a misread check character before any lookup."""
    try:
        return classify(raw)
    except InvalidCheckCharacter as error:
        raise Unprocessable(
            f"Mã {error.code} sai ký tự kiểm tra: quét lại hoặc gõ lại mã in trên nhãn.",
            code="invalid_check_character",
            details={"code": error.code},
        ) from error


def _locked(statement, model, lock: bool):
    # FOR UPDATE OF the model's own table: its joined-eager relations stay unlocked.
    if not lock:
        return db.session.scalar(statement)
    found = db.session.scalar(statement.with_for_update(of=model).execution_options(populate_existing=True))
    if found is not None:
        note_locked(db.session, found)
    return found


def item_key(raw: str) -> tuple[str, str]:
    """The items' column and value an item's code or S10 postal id names; refused when it names none."""
    code = scanned(raw)
    if code.kind is CodeKind.TRANSFER:
        raise Unprocessable(
            f"{code.value} là mã phiếu bàn giao, không phải mã bưu gửi.",
            code="not_an_item_code",
            details={"code": code.value},
        )
    if code.kind is not CodeKind.ITEM and not code.is_postal_id:
        raise no_item(code.value)
    return ("postal_id" if code.is_postal_id else "code"), code.value


def no_item(value: str) -> NotFound:
    return NotFound(f"Không có bưu gửi mã {value}.", code="item_not_found", details={"code": value})


def find_item(raw: str, *, lock: bool = False) -> Item:
    """The item whose code or S10 postal id was scanned."""
    return _find_item_by(*item_key(raw), lock)


def _find_item_by(column: str, value: str, lock: bool) -> Item:
    # The dossier comes in the same query: every answer about an item names its dossier.
    statement = select(Item).options(joinedload(Item.dossier)).where(getattr(Item, column) == value)
    item = _locked(statement, Item, lock)
    if item is None:
        raise no_item(value)
    return item


def packet_key(raw: str, unit: Unit) -> tuple[str, str]:
    """The items' column and value naming the item scanned, or, for a dossier's code, the one
    packet of that dossier the unit holds.

    A dossier's code (its mã hồ sơ or the tracker's own) is what a clerk often has in hand;
    when the unit holds several packets of that dossier the caller must choose one, and so
    must the dossier's department while the dossier still awaits its result.
    """
    code = scanned(raw)
    if code.kind is CodeKind.ITEM or code.is_postal_id or code.kind is CodeKind.TRANSFER:
        return item_key(raw)
    dossier = db.session.scalar(
        select(Dossier).where(or_(Dossier.code == raw.strip(), Dossier.tracking_code == code.value))
    )
    if dossier is None:
        raise NotFound(
            f"Không có bưu gửi hay hồ sơ mã {code.value}.", code="item_not_found", details={"code": code.value}
        )
    held = db.session.scalars(
        select(Item.code).where(Item.dossier_id == dossier.id, Item.holder_unit_id == unit.id).order_by(Item.id)
    ).all()
    if not held:
        raise Conflict(
            f"Đơn vị bạn không giữ bưu gửi nào của hồ sơ {dossier.reference}.",
            code="item_not_held",
            details={"dossier": dossier.reference, "holder": None},
        )
    if dossier.department_id == unit.id and dossier.awaits_result:
        # At its department a dossier's code usually means "its result is ready": ask, never guess.
        raise Conflict(
            f"Hồ sơ {dossier.reference} chưa có bì kết quả: tạo kết quả, hoặc chọn bưu gửi cần quét.",
            code="result_awaited",
            details={"dossier": dossier.reference, "items": list(held)},
        )
    if len(held) > 1:
        raise Conflict(
            f"Đơn vị bạn giữ {len(held)} bưu gửi của hồ sơ {dossier.reference}: chọn bưu gửi cần quét.",
            code="several_packets",
            details={"dossier": dossier.reference, "items": list(held)},
        )
    return "code", held[0]


def find_packet(raw: str, unit: Unit) -> Item:
    """The item scanned, or the one packet of a scanned dossier the unit holds (packet_key)."""
    return _find_item_by(*packet_key(raw, unit), lock=False)


def find_transfer(raw: str, *, lock: bool = False) -> Transfer:
    code = scanned(raw)
    searchable = code.kind is CodeKind.TRANSFER
    transfer = _locked(select(Transfer).where(Transfer.code == code.value), Transfer, lock) if searchable else None
    if transfer is None:
        raise NotFound(
            f"Không có phiếu bàn giao mã {code.value}.", code="transfer_not_found", details={"code": code.value}
        )
    return transfer
