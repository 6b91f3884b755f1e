"""The citizen's lookup: where a dossier is, from its code and the last digits of the phone given.

A wrong code and a wrong phone get the same answer, and each client address has a bounded
number of tries in a window, so that codes cannot be enumerated. The answer carries units and
times only: never the applicant's name, phone or address, nor who handled the dossier.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import selectinload

from tracker.custody.models import Item
from tracker.database import utcnow
from tracker.domain.codes import normalise
from tracker.domain.custody import EventKind, ItemKind, UnitKind
from tracker.dossiers.models import Dossier
from tracker.errors import ApiError
from tracker.extensions import db
from tracker.lookup.models import LookupAttempt

THROTTLE_WINDOW = timedelta(minutes=15)
THROTTLE_LIMIT = 10  # lookups per client address per window
PHONE_DIGITS = 4


class TooManyLookups(ApiError):
    status = 429
    code = "too_many_lookups"


@dataclass(frozen=True)
class PublicStep:
    step: str  # received_by_post, at_centre, at_department, result_ready, result_on_its_way, delivered
    occurred_at: datetime
    unit: str


@dataclass(frozen=True)
class PublicJourney:
    reference: str
    procedure_name: str
    department: str
    received_at: datetime
    due_at: datetime | None
    result_ready: bool
    delivered: bool
    steps: list[PublicStep]


def count_attempt(client: str) -> None:
    """Record one lookup from client, refusing it when the window's tries are used up."""
    now = utcnow()
    db.session.execute(delete(LookupAttempt).where(LookupAttempt.attempted_at < now - THROTTLE_WINDOW))
    tries = db.session.scalar(select(func.count()).select_from(LookupAttempt).where(LookupAttempt.client == client))
    if tries >= THROTTLE_LIMIT:
        minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
        raise TooManyLookups(
            f"Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau {minutes} phút.",
            details={"retry_after_seconds": int(THROTTLE_WINDOW.total_seconds())},
        )
    db.session.add(LookupAttempt(client=client[:64], attempted_at=now))
    db.session.flush()


def public_journey(code: str, phone_digits: str) -> PublicJourney | None:
    """The dossier's public journey, or None when the code or the phone digits do not match."""
    value = normalise(code)
    digits = "".join(c for c in phone_digits if c.isdigit())
    if not value or len(digits) != PHONE_DIGITS:
        return None
    by_postal_id = select(Item.dossier_id).where(Item.postal_id == value).scalar_subquery()
    dossier = db.session.scalar(
        select(Dossier)
        .where(or_(Dossier.code == code.strip(), Dossier.tracking_code == value, Dossier.id == by_postal_id))
        .options(selectinload(Dossier.items).selectinload(Item.events))
    )
    if dossier is None or not "".join(c for c in dossier.applicant_phone if c.isdigit()).endswith(digits):
        return None
    steps = sorted((s for item in dossier.items for s in _steps(item)), key=lambda s: s.occurred_at)
    outcomes = [item for item in dossier.items if item.kind != ItemKind.APPLICATION.value]
    return PublicJourney(
        reference=dossier.reference,
        procedure_name=dossier.procedure_name,
        department=dossier.department.name,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        result_ready=bool(outcomes),
        delivered=any(step.step == "delivered" for step in steps),
        steps=steps,
    )


def _steps(item: Item) -> list[PublicStep]:
    steps = []
    application = item.kind == ItemKind.APPLICATION.value
    for event in item.events:
        kind, unit_kind = event.kind, event.unit.unit_kind
        if kind == EventKind.DELIVERED.value:
            step = "delivered"
        elif kind == EventKind.REGISTERED.value:
            step = "received_by_post" if application else "result_ready"
        elif kind != EventKind.RECEIVED.value:
            continue
        elif application:
            step = {UnitKind.CENTRE: "at_centre", UnitKind.DEPARTMENT: "at_department"}.get(unit_kind, "at_centre")
        else:
            step = "result_on_its_way"
        steps.append(PublicStep(step, event.occurred_at, event.unit.name))
    return steps
