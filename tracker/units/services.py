from __future__ import annotations

from sqlalchemy import func, select

from tracker.audit.services import record_change
from tracker.auth.models import User
from tracker.auth.services import require_role
from tracker.custody.models import Item, Transfer
from tracker.domain.custody import Role, TransferStatus, UnitKind
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
    record_change(actor, "create", "unit", unit.code, None, _unit_snapshot(unit))
    return unit


def all_units() -> list[Unit]:
    """Every unit, by kind (post offices, departments, the centre), then by name."""
    return list(db.session.scalars(select(Unit).order_by(Unit.kind.desc(), Unit.name)))


def unit_codes() -> dict[int, str]:
    """Every unit's code by its id: units are a few dozen, read at once."""
    return dict(db.session.execute(select(Unit.id, Unit.code)).all())


def _unit_snapshot(unit: Unit) -> dict:
    return {"name": unit.name, "kind": unit.kind, "active": unit.active}


def what_unit_holds(unit: Unit) -> dict[str, int]:
    """Items it holds, transfers not yet received from or to it, and its active accounts."""
    open_statuses = (TransferStatus.DRAFT.value, TransferStatus.DISPATCHED.value)
    involved = (Transfer.from_unit_id == unit.id) | (Transfer.to_unit_id == unit.id)
    return {
        "items": db.session.scalar(select(func.count()).where(Item.holder_unit_id == unit.id)),
        "open_transfers": db.session.scalar(
            select(func.count()).select_from(Transfer).where(involved, Transfer.status.in_(open_statuses))
        ),
        "active_users": db.session.scalar(select(func.count()).where(User.unit_id == unit.id, User.active)),
    }


def change_unit(actor: User, unit: Unit, name: str | None = None, active: bool | None = None) -> Unit:
    """Rename a unit, or deactivate it (only when it holds nothing) or activate it again (admin)."""
    require_role(actor, Role.ADMIN)
    before = _unit_snapshot(unit)
    if active is False and unit.active:
        holdings = what_unit_holds(unit)
        if any(holdings.values()):
            raise Conflict(
                f"Đơn vị {unit.code} còn {holdings['items']} gói hồ sơ, {holdings['open_transfers']} phiếu chưa nhận "
                f"và {holdings['active_users']} tài khoản đang hoạt động: chuyển hoặc khoá hết rồi mới ngừng đơn vị.",
                code="unit_not_empty",
                details=holdings,
            )
    unit.name = name.strip() if name and name.strip() else unit.name
    unit.active = unit.active if active is None else active
    after = _unit_snapshot(unit)
    if after != before:
        action = {(True, False): "disable", (False, True): "enable"}.get((before["active"], unit.active), "edit")
        record_change(actor, action, "unit", unit.code, before, after)
    return unit
