"""The route limits' recent changes, as the route-limits page shows them: who, when, what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from tracker.audit.models import AuditEntry
from tracker.extensions import db

AUDIT_TARGET = "route_limits"


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
