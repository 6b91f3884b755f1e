"""Dossiers in from the one-stop system: the upsert by mã hồ sơ of one dossier.

A dossier the post registered at the counter has no mã hồ sơ yet; a row that names it (the
same S10 number, or the same applicant phone and procedure within a day) is a match, which a
person confirms before the mã hồ sơ is attached. Every change goes through amend_dossier, so
the old value of each fact is kept as a revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import insert, select

from tracker.auth.models import User
from tracker.auth.services import require_role
from tracker.calendar.services import current_calendar
from tracker.custody.models import Item
from tracker.domain.custody import Role
from tracker.domain.text import digits_of
from tracker.dossiers.models import Dossier
from tracker.dossiers.services import amend_dossier, new_dossier_values
from tracker.errors import Conflict, Unprocessable
from tracker.extensions import db
from tracker.imports.rows import ImportedDossier, RowReader, RowRefused
from tracker.outbox import custody as outbox
from tracker.units.services import unit_codes

IMPORTERS = (Role.ADMIN, Role.CENTRE_CLERK)
MATCH_WINDOW = timedelta(days=1)
SOURCE = "import"


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    MATCHED = "matched"  # a counter dossier got its mã hồ sơ
    AWAITING_CONFIRMATION = "awaiting_confirmation"  # a counter dossier matches; nothing written


@dataclass(frozen=True)
class Upsert:
    """What became of one dossier. A new one is given as its column values (`created`), so
    that an import inserts a whole batch in one statement; the others as the recorded dossier."""

    outcome: Outcome
    dossier: Dossier | None = None
    created: dict | None = None
    rule: str | None = None  # how a counter dossier was matched: postal_id or phone_procedure


def row_reader() -> RowReader:
    """Rows read in the province's time zone; a bare appointment date is due at closing time."""
    closing = current_calendar().office_hours[-1][1]
    return RowReader(current_app.config["TRACKER_TIMEZONE"], closing)


def recorded_dossiers(codes: list[str]) -> dict[str, Dossier]:
    """The dossiers that already have these mã hồ sơ, by code: one query for a batch of rows."""
    return {d.code: d for d in db.session.scalars(select(Dossier).where(Dossier.code.in_(codes)))}


def upsert_dossier(
    user: User,
    imported: ImportedDossier,
    recorded: Dossier | None,
    *,
    confirm_matches: bool,
    match_counter: bool = True,
) -> Upsert:
    """Plan a new dossier for this mã hồ sơ, or bring `recorded` (the one with it) up to date."""
    details = imported.details
    if recorded is not None:
        revisions = amend_dossier(user, recorded, _changes(imported), SOURCE)
        return Upsert(Outcome.UPDATED if revisions else Outcome.UNCHANGED, recorded)
    match = _counter_match(imported, by_phone=match_counter)
    if match is None:
        return Upsert(Outcome.CREATED, created=new_dossier_values(user, details, imported.department))
    counter, rule = match
    if not confirm_matches:
        return Upsert(Outcome.AWAITING_CONFIRMATION, counter, rule=rule)
    amend_dossier(user, counter, {"code": details.code, **_changes(imported)}, SOURCE)
    return Upsert(Outcome.MATCHED, counter, rule=rule)


def _changes(imported: ImportedDossier) -> dict:
    """The facts the row states; a blank appointment date never erases a known one."""
    facts = vars(imported.details)
    changes = {name: value for name, value in facts.items() if name not in ("code", "department", "due_at")}
    if facts["due_at"] is not None:
        changes["due_at"] = facts["due_at"]
    changes["department"] = imported.department
    return changes


def _counter_match(imported: ImportedDossier, *, by_phone: bool) -> tuple[Dossier, str] | None:
    """The counter-registered dossier (no mã hồ sơ yet) this row describes, if exactly one.

    An S10 number is always looked up: on another numbered dossier, the row is wrong.
    """
    details = imported.details
    if imported.postal_id:
        dossier = db.session.scalar(select(Dossier).join(Item).where(Item.postal_id == imported.postal_id))
        if dossier is not None and dossier.code is None:
            return dossier, "postal_id"
        if dossier is not None:
            raise RowRefused({"postal_id": f"Số hiệu bưu gửi {imported.postal_id} thuộc hồ sơ khác ({dossier.code})."})
    phone = digits_of(details.applicant_phone)
    if not (by_phone and phone):
        return None
    candidates = db.session.scalars(
        select(Dossier).where(
            Dossier.code.is_(None),
            Dossier.procedure_code == details.procedure_code,
            Dossier.received_at.between(details.received_at - MATCH_WINDOW, details.received_at + MATCH_WINDOW),
        )
    )
    found = [dossier for dossier in candidates if digits_of(dossier.applicant_phone) == phone]
    if len(found) > 1:
        codes = ", ".join(dossier.tracking_code for dossier in found)
        raise RowRefused(
            {"code": f"Nhiều hồ sơ tiếp nhận tại quầy cùng số điện thoại và thủ tục ({codes}): gắn mã hồ sơ bằng tay."}
        )
    return (found[0], "phone_procedure") if found else None


def insert_dossiers(values: list[dict]) -> None:
    """New dossiers written in one statement (many thousands a second), each announced."""
    if values:
        db.session.execute(insert(Dossier), values)
        codes = unit_codes()
        outbox.dossiers_registered(values, codes)


def push_dossier(user: User, code: str, facts: dict, *, confirm_matches: bool) -> tuple[Outcome, Dossier]:
    """PUT of one dossier by the one-stop system: the import's checks and upsert, for one row.

    A push cannot be asked a question, so a counter match it has not confirmed is a conflict.
    """
    require_role(user, *IMPORTERS)
    try:
        imported = row_reader().read({**facts, "code": code})
    except RowRefused as refusal:
        raise Unprocessable(str(refusal), code="validation_error", details=refusal.reasons) from refusal
    try:
        upsert = upsert_dossier(user, imported, recorded_dossiers([code]).get(code), confirm_matches=confirm_matches)
    except RowRefused as refusal:
        raise Conflict(str(refusal), code="match_ambiguous", details=refusal.reasons) from refusal
    if upsert.outcome == Outcome.AWAITING_CONFIRMATION:
        raise Conflict(
            f"Hồ sơ tiếp nhận tại quầy {upsert.dossier.tracking_code} có vẻ là hồ sơ này: "
            "gửi lại với confirm_matches=true để gắn mã hồ sơ cho nó.",
            code="match_needs_confirmation",
            details={"tracking_code": upsert.dossier.tracking_code, "rule": upsert.rule},
        )
    if upsert.created is not None:
        insert_dossiers([upsert.created])
        return upsert.outcome, recorded_dossiers([code])[code]
    db.session.flush()
    return upsert.outcome, upsert.dossier
