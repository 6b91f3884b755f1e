"""The intake form as typed: kept whole on a refusal, with each refusal next to its field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext, lazy_gettext
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from tracker.api.fields import local_timezone
from tracker.counter.services import Intake, PaperCount, proposed_appointment
from tracker.domain.codes import is_valid_s10, normalise
from tracker.dossiers.models import Procedure
from tracker.errors import ApiError
from tracker.extensions import db
from tracker.procedures.services import find_procedure, procedure_search

PHONE = re.compile(r"^[0-9+ .()-]{8,32}$")
DOSSIER_CODE = re.compile(r"^[A-Za-z0-9._/-]{1,64}$")
CHOICE_SEPARATOR = " — "  # between code and name in the procedure list
MAX_MATCHES = 20
TEXT_FIELDS = ("applicant_name", "applicant_phone", "applicant_address", "postal_id", "code", "received_at",
               "appointment")  # fmt: skip

# Refusals of the services, shown next to the field they are about.
REFUSAL_FIELDS = {
    "postal_id_required": "postal_id",
    "postal_id_in_use": "postal_id",
    "invalid_postal_id": "postal_id",
    "invalid_check_character": "postal_id",
    "dossier_exists": "code",
    "due_before_received": "appointment",
    "occurred_at_in_future": "received_at",
}
REFUSALS = {
    "postal_id_in_use": lazy_gettext("This S10 number is already on another packet: scan the one on this packet."),
    "dossier_exists": lazy_gettext("A dossier with this code is already registered: check the code."),
    "due_before_received": lazy_gettext("The appointment date cannot be before the received time."),
    "occurred_at_in_future": lazy_gettext("The received time is in the future: check it."),
    "postal_id_required": lazy_gettext("Scan or type the S10 number stuck on the packet."),
}


def choice_label(procedure: Procedure) -> str:
    return f"{procedure.code}{CHOICE_SEPARATOR}{procedure.name}"


def matching_procedures(wanted: str) -> list[Procedure]:
    """The procedure picked from the list, typed by its exact code, or those whose words match."""
    code = wanted.split(CHOICE_SEPARATOR, 1)[0].strip()
    exact = db.session.scalar(select(Procedure).where(Procedure.code == code, Procedure.active.is_(True)))
    if exact is not None:
        return [exact]
    return list(db.session.scalars(procedure_search(wanted, active=True).limit(MAX_MATCHES)))


@dataclass
class PaperRow:
    name: str
    originals: str = "0"
    copies: str = "0"
    required: bool = True  # listed by the procedure; the last row is free for another paper


@dataclass
class IntakeForm:
    procedure: Procedure
    values: dict[str, str]
    papers: list[PaperRow]
    errors: dict[str, str] = field(default_factory=dict)
    proposal: datetime | None = None

    @classmethod
    def blank(cls, procedure: Procedure, now: datetime) -> IntakeForm:
        proposal = proposed_appointment(procedure, now)
        values = dict.fromkeys(TEXT_FIELDS, "") | {
            "received_at": now.strftime("%Y-%m-%dT%H:%M"),
            "appointment": proposal.date().isoformat(),
        }
        papers = [PaperRow(name, "1", "0") for name in procedure.papers] + [PaperRow("", required=False)]
        return cls(procedure, values, papers, proposal=proposal)

    @classmethod
    def submitted(cls, form: MultiDict) -> IntakeForm:
        procedure = find_procedure(form.get("procedure_code", ""))
        values = {name: form.get(name, "").strip() for name in TEXT_FIELDS}
        rows = zip(form.getlist("paper"), form.getlist("originals"), form.getlist("copies"), strict=False)
        papers = [PaperRow(name.strip(), originals.strip(), copies.strip()) for name, originals, copies in rows]
        for row in papers:
            row.required = row.name in procedure.papers
        if not papers or papers[-1].required:
            papers.append(PaperRow("", required=False))
        instance = cls(procedure, values, papers)
        instance.check()
        return instance

    def check(self) -> None:
        """Every field's refusal at once, in the page's language."""
        v, errors = self.values, self.errors
        if not v["applicant_name"]:
            errors["applicant_name"] = gettext("Enter the applicant's full name.")
        if not PHONE.match(v["applicant_phone"]) or sum(c.isdigit() for c in v["applicant_phone"]) < 8:
            errors["applicant_phone"] = gettext("Enter a phone number of at least 8 digits.")
        if not v["applicant_address"]:
            errors["applicant_address"] = gettext("Enter the applicant's address, where the result is delivered.")
        if v["postal_id"] and not is_valid_s10(v["postal_id"]):
            errors["postal_id"] = gettext(
                "This is not a valid S10 number (2 letters, 8 digits, a check digit, 2 letters): scan it again."
            )
        if v["code"] and not DOSSIER_CODE.match(v["code"]):
            errors["code"] = gettext("A dossier code has only letters, digits and . _ / -")
        if self._received_at() is None:
            errors["received_at"] = gettext("Enter the received date and time.")
        if v["appointment"] and self._appointment() is None:
            errors["appointment"] = gettext("Enter the appointment date as a date.")
        if any(not (row.originals or "0").isdigit() or not (row.copies or "0").isdigit() for row in self.papers):
            errors["papers"] = gettext("Counts of originals and copies are whole numbers.")
        elif not self._counted_papers():
            errors["papers"] = gettext("Tick at least one paper handed in, with its number of originals or copies.")

    def _received_at(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.values["received_at"]).replace(tzinfo=local_timezone())
        except ValueError:
            return None

    def _appointment(self) -> date | None:
        try:
            return date.fromisoformat(self.values["appointment"]) if self.values["appointment"] else None
        except ValueError:
            return None

    def _counted_papers(self) -> list[PaperCount]:
        counted = [PaperCount(row.name, int(row.originals or 0), int(row.copies or 0)) for row in self.papers]
        return [paper for paper in counted if paper.name and paper.originals + paper.copies > 0]

    def intake(self) -> Intake:
        return Intake(
            procedure_code=self.procedure.code,
            applicant_name=self.values["applicant_name"],
            applicant_phone=self.values["applicant_phone"],
            applicant_address=self.values["applicant_address"],
            papers=self._counted_papers(),
            postal_id=normalise(self.values["postal_id"]) or None,
            code=self.values["code"] or None,
            received_at=self._received_at(),
            appointment=self._appointment(),
        )

    def refused(self, error: ApiError) -> None:
        """A refusal of the services, next to the field it is about."""
        name = REFUSAL_FIELDS.get(error.code)
        if name is None:
            raise error
        self.errors[name] = str(REFUSALS.get(error.code, error.message))
