from __future__ import annotations

from sqlalchemy import select

from tracker.audit.services import record_change
from tracker.auth.models import User
from tracker.auth.services import require_role
from tracker.domain.custody import Role, UnitKind
from tracker.errors import Conflict, NotFound
from tracker.extensions import db
from tracker.units.models import Unit


def find_unit(code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code.strip().upper()))
    if unit is None:
        raise NotFound(f"Không có đơn vị mã {code}.", code="unit_not_found", details={"unit": code})
    return unit


def create_unit(code: str, name: str, kind: UnitKind) -> Unit:
    code = code.strip().upper()
    if db.session.scalar(select(Unit.id).where(Unit.code == code)) is not None:
        raise Conflict(f"Mã đơn vị {code} đã có.", code="unit_exists")
    unit = Unit(code=code, name=name, kind=kind.value, active=True)
    db.session.add(unit)
    return unit


def add_unit(actor: User, code: str, name: str, kind: UnitKind) -> Unit:
    """A new unit (admin), recorded in the audit log."""
    require_role(actor, Role.ADMIN)
    unit = create_unit(code, name, kind)
    record_change(actor, "create", "unit", unit.code, None, {"name": name, "kind": kind.value, "active": True})
    return unit


def all_units() -> list[Unit]:
    """Every unit, by kind (post offices, departments, the centre), then by name."""
    return list(db.session.scalars(select(Unit).order_by(Unit.kind.desc(), Unit.name)))


def other_units(unit: Unit) -> list[Unit]:
    """The active units a transfer from this one can go to."""
    return [other for other in all_units() if other.active and other.id != unit.id]
