"""Route limits: how many working hours a leg may take, and the SQL that finds each leg's limit.

Reading them only: changing them is tracker/delays/route_limits.py."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from tracker.custody.models import Leg
from tracker.delays.models import SlaRule
from tracker.extensions import db
from tracker.units.models import Unit

LIMITED_KINDS = ("transit", "dwell")  # a journey has no route limit: its on-time counts never change


def current_limits() -> list[SlaRule]:
    return list(db.session.scalars(select(SlaRule).order_by(SlaRule.leg_kind, SlaRule.id)))


def limit_hours_of(rules: list[SlaRule], leg_kind: str, sender: Unit, receiver: Unit | None) -> float | None:
    """A leg's limit, as leg_limit_hours finds it: the unit's (or pair's) override, else its kinds' rule."""
    mine = [rule for rule in rules if rule.leg_kind == leg_kind]
    dwell = leg_kind == "dwell"
    for rule in mine:
        if rule.from_unit_id == sender.id and (dwell or rule.to_unit_id == receiver.id):
            return rule.limit_hours
    for rule in mine:
        if rule.from_unit_id is None and rule.from_kind == sender.kind and (dwell or rule.to_kind == receiver.kind):
            return rule.limit_hours
    return None


def transit_limit_hours(rules: list[SlaRule], sender: Unit, receiver: Unit) -> float | None:
    """A route's transit limit, for drawing it."""
    return limit_hours_of(rules, "transit", sender, receiver)


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
