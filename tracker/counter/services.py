"""Intake at the counter: a dossier, its papers and its packet registered in one use case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from tracker.auth.models import User
from tracker.auth.services import require_role
from tracker.calendar.services import current_calendar
from tracker.counter.models import DossierPaper
from tracker.custody.models import Item
from tracker.custody.services import Actor, create_item
from tracker.domain.custody import ItemKind, Role
from tracker.dossiers.models import Dossier, Procedure
from tracker.dossiers.services import DossierDetails, register_dossier
from tracker.errors import Unprocessable
from tracker.extensions import db
from tracker.procedures.services import find_procedure


@dataclass(frozen=True)
class PaperCount:
    name: str
    originals: int  # bản chính
    copies: int  # bản sao


@dataclass(frozen=True)
class Intake:
    procedure_code: str
    applicant_name: str
    applicant_phone: str
    applicant_address: str
    papers: list[PaperCount]
    postal_id: str | None  # the S10 number stuck on the packet
    code: str | None  # mã hồ sơ, when the one-stop system has already given one
    received_at: datetime
    appointment: date | None  # None: proposed from the procedure's processing time


def proposed_appointment(procedure: Procedure, received_at: datetime) -> datetime:
    """Received time plus the procedure's working days, at the close of that day's office hours."""
    return current_calendar().add_working_days(received_at, procedure.processing_days)


def take_in(user: User, intake: Intake) -> Item:
    """Register the dossier, its papers and its application packet; the caller commits."""
    require_role(user, Role.POSTAL_STAFF, Role.CENTRE_CLERK)
    procedure = find_procedure(intake.procedure_code)
    if user.user_role is Role.POSTAL_STAFF and not intake.postal_id:
        raise Unprocessable(
            "Quét hoặc nhập số hiệu bưu gửi S10 dán trên bì hồ sơ.",
            code="postal_id_required",
            details={"postal_id": ["required at a post office"]},
        )
    calendar = current_calendar()
    due_at = (
        calendar.end_of_office_hours(intake.appointment)
        if intake.appointment
        else proposed_appointment(procedure, intake.received_at)
    )
    dossier = register_dossier(
        user,
        DossierDetails(
            code=intake.code or None,
            procedure_code=procedure.code,
            procedure_name=procedure.name,
            applicant_name=intake.applicant_name,
            applicant_phone=intake.applicant_phone,
            applicant_address=intake.applicant_address,
            department=procedure.department.code,
            received_at=intake.received_at,
            due_at=due_at,
        ),
    )
    db.session.add_all(
        DossierPaper(dossier_id=dossier.id, position=number, name=paper.name, originals=paper.originals,
                     copies=paper.copies)
        for number, paper in enumerate(intake.papers, start=1)
    )  # fmt: skip
    return create_item(Actor.of(user, intake.received_at), dossier.tracking_code, ItemKind.APPLICATION,
                       intake.postal_id)  # fmt: skip


def papers_of(dossier: Dossier) -> list[DossierPaper]:
    statement = select(DossierPaper).where(DossierPaper.dossier_id == dossier.id).order_by(DossierPaper.position)
    return list(db.session.scalars(statement))
