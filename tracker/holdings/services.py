"""What a unit holds now: its packets, how long each has waited, and which way each is going."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, false, func, not_, or_, select
from sqlalchemy.orm import aliased, selectinload

from tracker.auth.models import User
from tracker.auth.services import require_handler
from tracker.calendar.services import working_clock
from tracker.custody.legs import DWELL
from tracker.custody.models import Item, Leg, Transfer
from tracker.custody.packing import add_item
from tracker.custody.services import Actor, open_transfer
from tracker.database import utcnow
from tracker.delivery.services import failed_attempts_here, max_attempts
from tracker.domain.custody import ItemKind, ItemStatus, UnitKind
from tracker.domain.journey_end import FOR_THE_APPLICANT
from tracker.dossiers.models import Dossier
from tracker.extensions import db
from tracker.units.models import Unit

# to_send: waiting to be sent on; awaiting_delivery: results and returned papers at a post office;
# returned: returned papers; flagged: failed deliveries enough to send it back to the centre.
HOLDING_STATUSES = ("to_send", "awaiting_delivery", "returned", "flagged")


@dataclass(frozen=True)
class Holding:
    item: Item
    held_since: datetime
    working_hours_held: float
    limit_hours: float | None
    failed_attempts: int
    flagged_for_return: bool

    @property
    def over_limit(self) -> bool:
        return self.limit_hours is not None and self.working_hours_held > self.limit_hours


@dataclass(frozen=True)
class HoldingFilters:
    kind: str | None = None
    status: str | None = None
    q: str | None = None


def _statement(user: User, filters: HoldingFilters) -> Select:
    holder = aliased(Unit)
    failed = failed_attempts_here()
    flagged = failed >= max_attempts()
    at_a_post_for_the_applicant = and_(Item.kind.in_(FOR_THE_APPLICANT), holder.kind == UnitKind.POST.value)
    statuses = {
        "to_send": or_(not_(at_a_post_for_the_applicant), flagged),
        "awaiting_delivery": and_(at_a_post_for_the_applicant, not_(flagged)),
        "returned": Item.kind == ItemKind.RETURNED.value,
        "flagged": flagged,
    }
    statement = (
        select(Item, Leg.started_at, Leg.start_clock, Leg.limit_hours.label("limit"), failed.label("failed"))
        .select_from(Leg)
        .join(holder, holder.id == Leg.from_unit_id)
        .join(Item, Item.id == Leg.item_id)
        .join(Dossier, Dossier.id == Item.dossier_id)
        .where(
            Leg.kind == DWELL,
            Leg.ended_at.is_(None),
            Item.holder_unit_id == user.unit_id,
            Item.status.in_([ItemStatus.HELD.value, ItemStatus.PACKED.value]),
        )
        .options(selectinload(Item.dossier), selectinload(Item.current_transfer))
        .order_by(Leg.start_clock, Item.id)
    )
    if filters.kind:
        statement = statement.where(Item.kind == filters.kind)
    if filters.status:
        statement = statement.where(statuses.get(filters.status, false()))
    if filters.q and filters.q.strip():
        text = filters.q.strip()
        pattern = f"%{text}%"
        statement = statement.where(
            or_(
                Item.code == text.upper(),
                Item.postal_id == text.upper(),
                Dossier.tracking_code == text.upper(),
                Dossier.code.ilike(pattern),
                Dossier.applicant_name.ilike(pattern),
                Dossier.procedure_name.ilike(pattern),
                Dossier.procedure_code == text,
            )
        )
    return statement


def holdings(user: User, filters: HoldingFilters, page: int, per_page: int, now: datetime | None = None) -> dict:
    """One page of the packets the user's unit holds now, longest held first; pagination in the body."""
    require_handler(user)
    statement = _statement(user, filters)
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    now_clock = working_clock(now or utcnow())
    most = max_attempts()
    rows = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page))
    items = [
        Holding(
            item=item,
            held_since=started_at,
            working_hours_held=round(max(now_clock - start_clock, 0) / 3600, 1),
            limit_hours=limit_hours,
            failed_attempts=failed,
            flagged_for_return=failed >= most,
        )
        for item, started_at, start_clock, limit_hours, failed in rows
    ]
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def transfer_selected(actor: Actor, to_unit_code: str, item_codes: list[str]) -> Transfer:
    """A new draft transfer to to_unit holding the selected packets, ready for the scan station."""
    transfer = open_transfer(actor, to_unit_code)
    for code in item_codes:
        add_item(actor, transfer.code, code)
    return transfer
