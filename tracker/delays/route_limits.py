"""Changing the route limits: checked, replaced whole, recorded with who changed them, and the
limits and on-time counts of the legs they judge set again; and the recent changes, as the page shows them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from tracker.audit.models import AuditEntry
from tracker.audit.services import record_change
from tracker.auth.models import User
from tracker.auth.services import require_role
from tracker.custody.models import Leg
from tracker.database import utcnow
from tracker.delays.leg_limits import judge_legs
from tracker.delays.models import SlaRule, SlaRuleChange
from tracker.delays.rollups import rebuild_rollups
from tracker.delays.sla import LIMITED_KINDS, current_limits
from tracker.domain.custody import Role, UnitKind
from tracker.errors import Unprocessable
from tracker.extensions import db
from tracker.units.services import find_unit

AUDIT_TARGET = "route_limits"


@dataclass(frozen=True)
class RouteLimit:
    leg_kind: str  # transit or dwell
    limit_hours: float
    from_kind: str | None = None
    to_kind: str | None = None
    from_unit: str | None = None  # unit codes: an override for one unit or one pair of units
    to_unit: str | None = None


def route_limit_of(rule: SlaRule) -> RouteLimit:
    """A stored rule as the RouteLimit that would set it again."""
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
    before = [asdict(route_limit_of(rule)) for rule in current_limits()]
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
    record_change(user, "replace", AUDIT_TARGET, "all", {"rules": before}, {"rules": [asdict(x) for x in checked]})
    db.session.flush()
    db.session.execute(judge_legs(Leg.kind.in_(LIMITED_KINDS)))
    rebuild_rollups(LIMITED_KINDS)
    return current_limits()


@dataclass(frozen=True)
class LimitChange:
    changed_at: datetime
    changed_by: str | None
    added: list[dict]
    removed: list[dict]


def _difference(left: list[dict], right: list[dict]) -> list[dict]:
    return [rule for rule in left if rule not in right]


def recent_limit_changes(count: int = 10) -> list[LimitChange]:
    """The last changes, newest first, each as the rules it added and the rules it removed
    (a changed number of hours is a removed rule and an added one)."""
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.target_type == AUDIT_TARGET)
        .order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc())
        .limit(count)
    )
    changes = []
    for entry in entries:
        before, after = (entry.before or {}).get("rules", []), (entry.after or {}).get("rules", [])
        who = entry.actor.username if entry.actor else None
        changes.append(LimitChange(entry.occurred_at, who, _difference(after, before), _difference(before, after)))
    return changes
