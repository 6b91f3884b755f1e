"""Route limits: how many working hours a leg may take, and the SQL that finds each leg's limit."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import aliased

from tracker.audit.services import record_change
from tracker.auth.models import User
from tracker.auth.services import require_role
from tracker.custody.models import Leg
from tracker.database import utcnow
from tracker.delays.models import SlaRule, SlaRuleChange
from tracker.domain.custody import Role, UnitKind
from tracker.errors import Unprocessable
from tracker.extensions import db
from tracker.units.models import Unit
from tracker.units.services import find_unit

LIMITED_KINDS = ("transit", "dwell")  # a journey has no route limit: its on-time counts never change


@dataclass(frozen=True)
class RouteLimit:
    leg_kind: str  # transit or dwell
    limit_hours: float
    from_kind: str | None = None
    to_kind: str | None = None
    from_unit: str | None = None  # unit codes: an override for one unit or one pair of units
    to_unit: str | None = None


def current_limits() -> list[SlaRule]:
    return list(db.session.scalars(select(SlaRule).order_by(SlaRule.leg_kind, SlaRule.id)))


def _as_route_limit(rule: SlaRule) -> RouteLimit:
    from_unit, to_unit = (unit.code if unit else None for unit in (rule.from_unit, rule.to_unit))
    return RouteLimit(rule.leg_kind, rule.limit_hours, rule.from_kind, rule.to_kind, from_unit, to_unit)


def _invalid(message: str, field: str) -> Unprocessable:
    return Unprocessable(message, code="invalid_route_limit", details={field: [message]})


def _checked(limit: RouteLimit) -> RouteLimit:
    kinds = {k.value for k in UnitKind}
    if limit.limit_hours <= 0:
        raise _invalid("Thời hạn phải lớn hơn 0 giờ làm việc.", "limit_hours")
    by_units = limit.from_unit is not None
    if limit.leg_kind == "transit":
        pair = (limit.from_unit, limit.to_unit) if by_units else (limit.from_kind, limit.to_kind)
        if None in pair:
            raise _invalid("Thời hạn vận chuyển cần cả nơi gửi và nơi nhận (loại đơn vị hoặc mã đơn vị).", "to_kind")
    elif limit.to_kind or limit.to_unit:
        raise _invalid("Thời hạn lưu giữ chỉ gắn với một đơn vị hoặc một loại đơn vị.", "to_kind")
    if not by_units and limit.from_kind not in kinds:
        raise _invalid(f"Loại đơn vị phải là một trong {sorted(kinds)}.", "from_kind")
    return limit


def legs_judged_by_limits() -> int:
    """How many legs a change of the route limits judges again (their on-time counts are rebuilt)."""
    return db.session.scalar(select(func.count()).select_from(Leg).where(Leg.kind.in_(LIMITED_KINDS)))


def replace_limits(user: User, limits: list[RouteLimit]) -> list[SlaRule]:
    """The whole set of route limits, replaced at once and recorded with who changed it."""
    require_role(user, Role.SUPERVISOR, Role.ADMIN)
    checked = [_checked(limit) for limit in limits]
    units = {code: find_unit(code) for limit in checked for code in (limit.from_unit, limit.to_unit) if code}
    keys = [(x.leg_kind, x.from_kind, x.to_kind, x.from_unit, x.to_unit) for x in checked]
    if len(set(keys)) != len(keys):
        raise _invalid("Mỗi tuyến chỉ có một thời hạn.", "rules")
    before = [asdict(_as_route_limit(rule)) for rule in current_limits()]
    db.session.execute(delete(SlaRule))
    for limit in checked:
        db.session.add(
            SlaRule(
                leg_kind=limit.leg_kind,
                from_kind=None if limit.from_unit else limit.from_kind,
                to_kind=None if limit.from_unit else limit.to_kind,
                from_unit=units.get(limit.from_unit),
                to_unit=units.get(limit.to_unit),
                limit_hours=limit.limit_hours,
            )
        )
    history = json.dumps([asdict(limit) for limit in checked], ensure_ascii=False)
    db.session.add(SlaRuleChange(changed_by_id=user.id, changed_at=utcnow(), rules=history))
    record_change(user, "replace", "route_limits", "all", {"rules": before}, {"rules": [asdict(x) for x in checked]})
    db.session.flush()
    from tracker.delays.rollups import rebuild_rollups  # the rollup reads the limits from this module

    rebuild_rollups(LIMITED_KINDS)
    return current_limits()


def transit_limit_hours(rules: list[SlaRule], sender: Unit, receiver: Unit) -> float | None:
    """A route's transit limit, for drawing it: the pair's override, else its kinds' rule (as leg_limit_hours)."""
    transit = [rule for rule in rules if rule.leg_kind == "transit"]
    for rule in transit:
        if (rule.from_unit_id, rule.to_unit_id) == (sender.id, receiver.id):
            return rule.limit_hours
    for rule in transit:
        if rule.from_unit_id is None and (rule.from_kind, rule.to_kind) == (sender.kind, receiver.kind):
            return rule.limit_hours
    return None


def units_with_dwell_limit() -> list[int]:
    """Units where holding an item too long counts as late (post offices and the centre by default)."""
    kinds = select(SlaRule.from_kind).where(SlaRule.leg_kind == "dwell", SlaRule.from_unit_id.is_(None))
    overrides = select(SlaRule.from_unit_id).where(SlaRule.leg_kind == "dwell", SlaRule.from_unit_id.is_not(None))
    return list(db.session.scalars(select(Unit.id).where(Unit.kind.in_(kinds) | Unit.id.in_(overrides))))


def kept_limit(working_seconds, limit_hours):
    """A leg is on time if it took no longer than its limit, or has no limit."""
    return limit_hours.is_(None) | (working_seconds <= limit_hours * 3600)


def leg_limit_hours():
    """Joins and an expression giving each leg's limit: a unit override, else its kinds' rule.

    Returns (from_unit alias, to_unit alias, a function adding the joins to a select, the
    limit expression). Legs with no rule (time at a department) get NULL: never late.
    """
    sender, receiver = aliased(Unit), aliased(Unit)
    by_units, by_kinds = aliased(SlaRule), aliased(SlaRule)
    dwell = Leg.kind == "dwell"

    def joined(statement):
        return (
            statement.join(sender, Leg.from_unit_id == sender.id)
            .outerjoin(receiver, Leg.to_unit_id == receiver.id)
            .outerjoin(
                by_units,
                and_(
                    by_units.leg_kind == Leg.kind,
                    by_units.from_unit_id == Leg.from_unit_id,
                    or_(dwell, by_units.to_unit_id == Leg.to_unit_id),
                ),
            )
            .outerjoin(
                by_kinds,
                and_(
                    by_kinds.leg_kind == Leg.kind,
                    by_kinds.from_unit_id.is_(None),
                    by_kinds.from_kind == sender.kind,
                    or_(dwell, by_kinds.to_kind == receiver.kind),
                ),
            )
        )

    return sender, receiver, joined, func.coalesce(by_units.limit_hours, by_kinds.limit_hours)
