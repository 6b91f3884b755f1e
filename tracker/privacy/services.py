"""The applicant's phone number and address: shown only to those whose task needs them.

Nghị định 13/2023/NĐ-CP on personal data protection: collect and show only what the task
needs. Unmasked to supervisors and admins, to the dossier's department, the unit that
registered it, and every unit that holds, held or will receive one of its items (a custody
event at that unit, or a transfer from or to it carrying the item). Everyone else sees
`09******78` and the last part of the address. Every unmasked read is logged.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, request
from sqlalchemy import exists, or_, select

from tracker.auth.models import User
from tracker.custody.models import CustodyEvent, Item, Transfer, TransferItem
from tracker.database import utcnow
from tracker.domain.custody import Role
from tracker.dossiers.models import Dossier
from tracker.extensions import db
from tracker.privacy.models import PersonalDataRead

OVERSEERS = (Role.SUPERVISOR, Role.ADMIN)
MASK = "*"


@dataclass(frozen=True)
class Contact:
    phone: str
    address: str
    masked: bool


def mask_phone(phone: str) -> str:
    """The first two and last two digits: 0912 345 678 -> 09******78."""
    digits = "".join(character for character in phone if character.isdigit())
    if len(digits) <= 4:
        return MASK * len(digits)
    return digits[:2] + MASK * (len(digits) - 4) + digits[-2:]


def mask_address(address: str) -> str:
    """Only the last part (the district or province): 'Số 5, đường Lê Lợi, TP Vinh' -> '***, TP Vinh'."""
    parts = [part.strip() for part in address.split(",") if part.strip()]
    if not parts:
        return ""
    return f"{MASK * 3}, {parts[-1]}" if len(parts) > 1 else MASK * 3


def may_see(user: User, dossier: Dossier) -> bool:
    """Whether the user's role or unit has a part in this dossier's journey."""
    if user.user_role in OVERSEERS:
        return True
    unit = user.unit_id
    if unit == dossier.department_id:
        return True
    creator_unit = select(User.unit_id).where(User.id == dossier.created_by_id).scalar_subquery()
    items = select(Item.id).where(Item.dossier_id == dossier.id)
    holds = exists().where(Item.dossier_id == dossier.id, Item.holder_unit_id == unit)
    held = exists().where(CustodyEvent.item_id.in_(items), CustodyEvent.unit_id == unit)
    on_transfer = (
        exists()
        .where(TransferItem.item_id.in_(items), TransferItem.transfer_id == Transfer.id)
        .where(or_(Transfer.from_unit_id == unit, Transfer.to_unit_id == unit))
    )
    return bool(db.session.scalar(select(or_(creator_unit == unit, holds, held, on_transfer))))


def _channel() -> str:
    return "api" if request.path.startswith("/api/") else "page"


def applicant_contact(dossier: Dossier, channel: str | None = None) -> Contact:
    """The applicant's phone and address as the signed-in user may see them; an unmasked
    read is logged (once per dossier and request) in the request's transaction."""
    user: User = g.user
    decided: dict[int, bool] = request.environ.setdefault("tracker.personal_data_access", {})
    if dossier.id not in decided:
        decided[dossier.id] = may_see(user, dossier)
        if decided[dossier.id] and (dossier.applicant_phone or dossier.applicant_address):
            db.session.add(
                PersonalDataRead(
                    user_id=user.id, dossier_id=dossier.id, read_at=utcnow(), channel=channel or _channel()
                )
            )
    if decided[dossier.id]:
        return Contact(dossier.applicant_phone, dossier.applicant_address, masked=False)
    return Contact(mask_phone(dossier.applicant_phone), mask_address(dossier.applicant_address), masked=True)
