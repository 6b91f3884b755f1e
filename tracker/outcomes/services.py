"""Results and returns: the packet a department (or the centre) sends back for a dossier.

Each function is one use case's writes; the caller commits. The custody event each writes
(`registered` on the new packet, and `dossier_returned` with its reason) carries the unit,
the item and so the dossier: what the outbox needs for `dossier.returned`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from tracker.auth.models import User
from tracker.auth.services import require_own_unit, require_role
from tracker.custody.models import Item
from tracker.custody.services import Actor, create_item, record_event
from tracker.domain.custody import EventKind, ItemKind, Role
from tracker.domain.journey_end import NEEDS_TEXT, RETURN_REASONS, DossierEnd, reason_text
from tracker.dossiers.models import Dossier
from tracker.dossiers.services import find_dossier
from tracker.errors import Conflict, Unprocessable
from tracker.extensions import db
from tracker.outcomes.models import DossierReturn
from tracker.units.models import Unit

OPEN = "open"


def _require_department_clerk_of(user: User, dossier: Dossier) -> None:
    require_role(user, Role.DEPARTMENT_CLERK)
    require_own_unit(user, dossier.department, f"Hồ sơ {dossier.reference} do {dossier.department.name} giải quyết.")


def _require_open(dossier: Dossier) -> None:
    if dossier.status != OPEN:
        raise Conflict(
            f"Hồ sơ {dossier.reference} đã kết thúc (trạng thái: {dossier.status}).",
            code="dossier_closed",
            details={"dossier": dossier.reference, "status": dossier.status},
        )


def _require_no_result(dossier: Dossier) -> None:
    if dossier.has_result:
        raise Conflict(
            f"Hồ sơ {dossier.reference} đã có bì kết quả.",
            code="result_exists",
            details={"dossier": dossier.reference},
        )


def create_result(actor: Actor, dossier_code: str) -> Item:
    """The result packet (bì kết quả) of a dossier, held by its department, ready for its label."""
    dossier = find_dossier(dossier_code)
    _require_department_clerk_of(actor.user, dossier)
    _require_open(dossier)
    _require_no_result(dossier)
    return create_item(actor, dossier.tracking_code, ItemKind.RESULT)


def _checked_reason(code: str, text: str | None) -> None:
    if code not in RETURN_REASONS:
        raise Unprocessable(
            "Chọn lý do trong danh sách.", code="invalid_reason", details={"reason_code": list(RETURN_REASONS)}
        )
    if code == NEEDS_TEXT and not (text or "").strip():
        raise Unprocessable(
            "Với lý do khác, hãy ghi rõ lý do.",
            code="reason_text_required",
            details={"reason_text": ["required when reason_code is other"]},
        )


def return_dossier(
    actor: Actor, dossier_code: str, *, reason_code: str, reason_text_given: str | None, withdrawn: bool
) -> DossierReturn:
    """Trả lại / rút hồ sơ: the dossier ends unprocessed and its papers go back in a returned packet.

    The department that handles the dossier, or the centre (at intake), records it.
    """
    dossier = find_dossier(dossier_code)
    require_role(actor.user, Role.DEPARTMENT_CLERK, Role.CENTRE_CLERK)
    if actor.user.user_role is Role.DEPARTMENT_CLERK:
        _require_department_clerk_of(actor.user, dossier)
    _require_open(dossier)
    _require_no_result(dossier)
    _checked_reason(reason_code, reason_text_given)
    item = create_item(actor, dossier.tracking_code, ItemKind.RETURNED)
    verb = "Rút hồ sơ" if withdrawn else "Trả lại hồ sơ"
    event = record_event(
        actor,
        EventKind.DOSSIER_RETURNED,
        item=item,
        note=f"{verb}: {reason_text(RETURN_REASONS, reason_code, reason_text_given)}",
    )
    db.session.flush()
    dossier.status = (DossierEnd.WITHDRAWN if withdrawn else DossierEnd.RETURNED).value
    record = DossierReturn(
        dossier=dossier,
        item=item,
        event=event,
        unit_id=actor.unit_id,
        withdrawn=withdrawn,
        reason_code=reason_code,
        reason_text=(reason_text_given or "").strip() or None,
        occurred_at=actor.occurred_at,
    )
    db.session.add(record)
    db.session.flush()
    return record


RETURN_GROUPINGS = ("department", "procedure")


@dataclass(frozen=True)
class ReturnCount:
    key: str
    name: str
    returned: int
    withdrawn: int

    @property
    def total(self) -> int:
        return self.returned + self.withdrawn


def return_counts(user: User, start: datetime, end: datetime, group_by: str) -> list[ReturnCount]:
    """Returned and withdrawn dossiers recorded in [start, end), by department or by procedure, most first.

    The province reports these counts; supervisors and admins read them.
    """
    require_role(user, Role.SUPERVISOR, Role.ADMIN)
    if group_by == "department":
        key, name = Unit.code, func.max(Unit.name)
    else:
        key, name = Dossier.procedure_code, func.max(Dossier.procedure_name)
    withdrawn = DossierReturn.withdrawn.is_(True)
    statement = (
        select(
            key,
            name,
            func.sum(case((withdrawn, 0), else_=1)),
            func.sum(case((withdrawn, 1), else_=0)),
        )
        .select_from(DossierReturn)
        .join(Dossier, Dossier.id == DossierReturn.dossier_id)
        .join(Unit, Unit.id == Dossier.department_id)
        .where(DossierReturn.occurred_at >= start, DossierReturn.occurred_at < end)
        .group_by(key)
        .order_by(func.count().desc(), key)
    )
    return [ReturnCount(k, n, int(r), int(w)) for k, n, r, w in db.session.execute(statement)]
