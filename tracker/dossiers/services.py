"""Registering dossiers and finding them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from tracker.auth.models import User
from tracker.auth.services import require_role
from tracker.calendar.services import working_clock
from tracker.custody.legs import first_answer
from tracker.custody.models import Item
from tracker.database import utcnow
from tracker.domain.codes import CodeKind, new_code
from tracker.domain.custody import Role, UnitKind
from tracker.dossiers.models import Dossier, DossierRevision, search_columns
from tracker.errors import Conflict, NotFound, Unprocessable
from tracker.extensions import db
from tracker.outbox import custody as outbox
from tracker.units.models import Unit
from tracker.units.services import find_unit


@dataclass(frozen=True)
class DossierDetails:
    code: str | None  # mã hồ sơ; None until the one-stop system gives one
    procedure_code: str
    procedure_name: str
    applicant_name: str
    applicant_phone: str
    applicant_address: str
    department: str  # unit code
    received_at: datetime
    due_at: datetime | None


def register_dossier(user: User, details: DossierDetails) -> Dossier:
    """Record a dossier from the one-stop system; post offices and the centre register them."""
    require_role(user, Role.POSTAL_STAFF, Role.CENTRE_CLERK)
    department = find_unit(details.department)
    if department.unit_kind != UnitKind.DEPARTMENT:
        raise Unprocessable(
            f"{department.name} không phải là sở, ngành xử lý hồ sơ.",
            code="not_a_department",
            details={"department": ["must be a unit of kind department"]},
        )
    if details.due_at is not None and details.due_at < details.received_at:
        raise Unprocessable(
            "Ngày hẹn trả phải sau ngày tiếp nhận.",
            code="due_before_received",
            details={"due_at": ["must not be before received_at"]},
        )
    if details.code is not None:
        refuse_taken_code(details.code)
    dossier = Dossier(**new_dossier_values(user, details, department))
    db.session.add(dossier)
    db.session.flush()
    outbox.dossier_registered(dossier)
    return dossier


def new_dossier_values(user: User, details: DossierDetails, department: Unit) -> dict:
    """The columns of a new dossier from checked details, with the tracker's own code.

    Plain values, so that an import can insert thousands of them in one statement.
    """
    fields = {k: v for k, v in vars(details).items() if k != "department"}
    tracking_code = new_code(CodeKind.DOSSIER)
    return dict(
        **fields,
        **search_columns(fields | {"tracking_code": tracking_code}),
        tracking_code=tracking_code,
        department_id=department.id,
        status="open",
        received_clock=working_clock(details.received_at),
        due_clock=working_clock(details.due_at) if details.due_at else None,
        created_at=utcnow(),
        created_by_id=user.id,
    )


def refuse_taken_code(code: str) -> None:
    if db.session.scalar(select(Dossier.id).where(Dossier.code == code)) is not None:
        raise Conflict(f"Hồ sơ {code} đã được đăng ký.", code="dossier_exists", details={"code": code})


def find_dossier(code: str, *, with_timeline: bool = False) -> Dossier:
    """The dossier with this mã hồ sơ or this tracking code."""
    code = code.strip()
    statement = select(Dossier).where(or_(Dossier.code == code, Dossier.tracking_code == code.upper()))
    if with_timeline:
        statement = statement.options(selectinload(Dossier.items).selectinload(Item.events))
    dossier = db.session.scalar(statement)
    if dossier is None:
        raise NotFound(f"Không có hồ sơ mã {code}.", code="dossier_not_found", details={"dossier": code})
    return dossier


def amend_dossier(user: User, dossier: Dossier, changes: dict, source: str) -> list[DossierRevision]:
    """Change a dossier's recorded facts (code, due_at, applicant, ...), keeping each old value.

    Only what really changes is written and recorded; clock readings follow their times.
    """
    if "code" in changes and changes["code"] not in (None, dossier.code):
        refuse_taken_code(changes["code"])
    revisions = []
    now = utcnow()
    for field, value in changes.items():
        old = getattr(dossier, field)
        if old == value:
            continue
        revisions.append(
            DossierRevision(
                dossier_id=dossier.id, field=field, old_value=_as_text(old), new_value=_as_text(value),
                source=source, changed_at=now, changed_by_id=user.id,
            )
        )  # fmt: skip
        setattr(dossier, field, value)
        if field in ("received_at", "due_at"):
            setattr(dossier, field.replace("_at", "_clock"), working_clock(value) if value else None)
        if field == "department":  # has the new department sent anything on already
            dossier.answered_at = db.session.scalar(select(first_answer(dossier.id, value.id)))
    db.session.add_all(revisions)
    db.session.flush()
    return revisions


def _as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Unit):
        return value.code
    return value.isoformat() if isinstance(value, datetime) else str(value)
