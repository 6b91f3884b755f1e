"""Who changed what: administrative changes recorded in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from tracker.audit.models import AuditEntry
from tracker.auth.models import User
from tracker.database import utcnow
from tracker.extensions import db


def record_change(
    actor: User | None,
    action: str,
    target_type: str,
    target_key: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    """Add an audit entry to the current transaction (committed, or rolled back, with the change).

    actor is None for changes made from the command line; before is None for a creation,
    after is None for a removal; both are JSON-serialisable values (strings, numbers, lists).
    """
    entry = AuditEntry(
        occurred_at=utcnow(),
        actor=actor,
        action=action,
        target_type=target_type,
        target_key=str(target_key),
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry


def audit_query(
    actor_username: str | None = None,
    target_type: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Select:
    """Audit entries, newest first, filtered by who, what kind of target and period."""
    statement = select(AuditEntry).order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc())
    if actor_username:
        statement = statement.join(User, AuditEntry.actor_id == User.id).where(User.username == actor_username)
    if target_type:
        statement = statement.where(AuditEntry.target_type == target_type)
    if since is not None:
        statement = statement.where(AuditEntry.occurred_at >= since)
    if until is not None:
        statement = statement.where(AuditEntry.occurred_at < until)
    return statement


def target_types() -> list[str]:
    """The kinds of target the log holds, for the page's filter."""
    return list(db.session.scalars(select(AuditEntry.target_type).distinct().order_by(AuditEntry.target_type)))
