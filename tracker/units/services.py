from __future__ import annotations

from sqlalchemy import select

from tracker.domain.custody import UnitKind
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


def other_units(unit: Unit) -> list[Unit]:
    """The active units a transfer from this one can go to, post offices first."""
    statement = select(Unit).where(Unit.active.is_(True), Unit.id != unit.id).order_by(Unit.kind.desc(), Unit.name)
    return list(db.session.scalars(statement))
