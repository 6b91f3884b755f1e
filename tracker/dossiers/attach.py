"""The centre attaches what the one-stop system gave a dossier: its mã hồ sơ and appointment date."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tracker.auth.models import User
from tracker.auth.services import require_role
from tracker.domain.custody import Role
from tracker.dossiers.models import Dossier, DossierRevision
from tracker.dossiers.services import amend_dossier
from tracker.errors import Unprocessable
from tracker.extensions import db


def attach_one_stop_facts(
    user: User, dossier: Dossier, *, code: str | None, due_at: datetime | None, source: str
) -> list[DossierRevision]:
    """Set (or correct) the mã hồ sơ and the appointment date; each change is kept as a revision."""
    require_role(user, Role.CENTRE_CLERK)
    changes = {name: value for name, value in (("code", code), ("due_at", due_at)) if value is not None}
    if not changes:
        raise Unprocessable(
            "Nhập mã hồ sơ hoặc ngày hẹn trả.", code="nothing_to_attach", details={"code": ["or due_at is required"]}
        )
    if due_at is not None and due_at < dossier.received_at:
        raise Unprocessable(
            "Ngày hẹn trả phải sau ngày tiếp nhận.",
            code="due_before_received",
            details={"due_at": ["must not be before received_at"]},
        )
    return amend_dossier(user, dossier, changes, source)


def revisions_of(dossier: Dossier) -> list[tuple[DossierRevision, User]]:
    """Every change to the dossier's facts, oldest first, with who made it."""
    statement = (
        select(DossierRevision, User)
        .join(User, User.id == DossierRevision.changed_by_id)
        .where(DossierRevision.dossier_id == dossier.id)
        .order_by(DossierRevision.changed_at, DossierRevision.id)
    )
    return [(revision, user) for revision, user in db.session.execute(statement)]
