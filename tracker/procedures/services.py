"""The procedure catalogue (danh mục thủ tục hành chính): finding, creating and changing procedures."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, select
from unidecode import unidecode

from tracker.audit.services import record_change
from tracker.auth.models import User
from tracker.auth.services import require_role
from tracker.domain.custody import Role, UnitKind
from tracker.dossiers.models import Procedure
from tracker.errors import Conflict, NotFound, Unprocessable
from tracker.extensions import db
from tracker.units.services import find_unit


@dataclass(frozen=True)
class ProcedureDetails:
    code: str  # mã thủ tục
    name: str
    department: str  # the responsible unit's code
    processing_days: int  # thời hạn giải quyết, working days
    papers: list[str] = field(default_factory=list)  # thành phần hồ sơ
    active: bool = True


def folded(text: str) -> str:
    """Lowercase without diacritics (đ as d), for searching as people type on any keyboard."""
    return unidecode(text or "").lower()


def procedure_search(q: str | None = None, *, active: bool | None = None, department: str | None = None) -> Select:
    """Procedures by code, those whose code or name contains every word of q (diacritics ignored)."""
    statement = select(Procedure).order_by(Procedure.code)
    if active is not None:
        statement = statement.where(Procedure.active.is_(active))
    if department:
        statement = statement.where(Procedure.department_id == find_unit(department).id)
    for word in folded(q or "").split():
        statement = statement.where(Procedure.search_text.contains(word, autoescape=True))
    return statement


def find_procedure(code: str) -> Procedure:
    procedure = db.session.scalar(select(Procedure).where(Procedure.code == code.strip()))
    if procedure is None:
        raise NotFound(f"Không có thủ tục mã {code}.", code="procedure_not_found", details={"procedure": code})
    return procedure


def checked_department(code: str):
    department = find_unit(code)
    if department.unit_kind != UnitKind.DEPARTMENT:
        raise Unprocessable(
            f"{department.name} không phải là sở, ngành giải quyết thủ tục.",
            code="not_a_department",
            details={"department": ["must be a unit of kind department"]},
        )
    return department


def create_procedure(user: User, details: ProcedureDetails) -> Procedure:
    """A new procedure in the catalogue; admins only."""
    require_role(user, Role.ADMIN)
    if db.session.scalar(select(Procedure.id).where(Procedure.code == details.code)) is not None:
        raise Conflict(
            f"Thủ tục mã {details.code} đã có trong danh mục.", code="procedure_exists", details={"code": details.code}
        )
    return record_procedure(Procedure(code=details.code), details, user)


def update_procedure(user: User, code: str, details: ProcedureDetails) -> Procedure:
    """A procedure's new name, department, processing time, papers or state; admins only."""
    require_role(user, Role.ADMIN)
    return record_procedure(find_procedure(code), details, user)


def save_procedure(details: ProcedureDetails, actor: User | None = None) -> tuple[Procedure, bool]:
    """Create or update the procedure with this code (imports, the demo); whether it is new."""
    procedure = db.session.scalar(select(Procedure).where(Procedure.code == details.code))
    new = procedure is None
    return record_procedure(procedure or Procedure(code=details.code), details, actor), new


def record_procedure(procedure: Procedure, details: ProcedureDetails, actor: User | None) -> Procedure:
    """The one place a procedure's facts are written, and the audit log told of the change."""
    before = _audited(procedure) if procedure.id is not None else None
    procedure.department = checked_department(details.department)
    procedure.name = details.name.strip()
    procedure.processing_days = details.processing_days
    procedure.papers = [paper.strip() for paper in details.papers if paper.strip()]
    procedure.active = details.active
    procedure.search_text = folded(f"{procedure.code} {procedure.name}")[:700]
    db.session.add(procedure)
    db.session.flush()
    after = _audited(procedure)
    if after != before:
        record_change(actor, "create" if before is None else "edit", "procedure", procedure.code, before, after)
    return procedure


def _audited(procedure: Procedure) -> dict:
    return {
        "name": procedure.name, "department": procedure.department.code, "processing_days": procedure.processing_days,
        "papers": list(procedure.papers), "active": procedure.active,
    }  # fmt: skip
