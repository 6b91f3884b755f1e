"""One row of the one-stop system's export checked and turned into a dossier's facts.

Every check is made here, before anything is written, and each failure is said in
Vietnamese with what to correct, so a clerk can fix the file and import it again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tracker.domain.codes import is_valid_s10, normalise
from tracker.domain.custody import UnitKind
from tracker.dossiers.models import Procedure
from tracker.dossiers.services import DossierDetails
from tracker.extensions import db
from tracker.imports.reading import folded
from tracker.units.models import Unit

DOSSIER_CODE = re.compile(r"^[A-Za-z0-9._/-]{1,64}$")
PHONE = re.compile(r"^[0-9+ .()-]{0,32}$")
VIETNAMESE_TIME = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
TIME_LAYOUTS = "dd/mm/yyyy hh:mm, dd/mm/yyyy hoặc ISO 8601"
TEXT_LIMITS = {"procedure_code": 64, "procedure_name": 500, "applicant_name": 200, "applicant_address": 500}
MOBILE_DIGITS = 10  # Vietnamese numbers: 0 and nine digits; a spreadsheet cell may have dropped the 0


@dataclass(frozen=True)
class ImportedDossier:
    """What one row says about a dossier, checked: its facts and the S10 id on its packet."""

    details: DossierDetails
    department: Unit
    postal_id: str | None


class RowRefused(Exception):
    """A row that cannot be imported; reasons by field, in Vietnamese."""

    def __init__(self, reasons: dict[str, str]):
        super().__init__("; ".join(reasons.values()))
        self.reasons = reasons


class RowReader:
    """Turns rows into dossier facts with the units and procedures read once per import."""

    def __init__(self, timezone: str, due_time: time):
        self.zone = ZoneInfo(timezone)
        self.due_time = due_time
        units = db.session.scalars(select(Unit)).all()
        self.units = {folded(unit.code): unit for unit in units} | {folded(unit.name): unit for unit in units}
        self.procedures = {p.code: p for p in db.session.scalars(select(Procedure).where(Procedure.active))}

    def read(self, cells: dict[str, object]) -> ImportedDossier:
        reasons: dict[str, str] = {}
        text = {field: _text(value) for field, value in cells.items()}
        code = text.get("code", "")
        if not DOSSIER_CODE.match(code):
            reasons["code"] = "Mã hồ sơ trống hoặc có ký tự không hợp lệ (chỉ chữ, số và . _ / -)."
        procedure = self.procedures.get(text.get("procedure_code", ""))
        if procedure is not None:
            text["procedure_name"] = text.get("procedure_name") or procedure.name
            text["department"] = text.get("department") or procedure.department.code
        for field, limit in TEXT_LIMITS.items():
            value = text.get(field, "")
            if field != "applicant_address" and not value:
                reasons[field] = f"Thiếu {FIELD_NAMES[field]}."
            elif len(value) > limit:
                reasons[field] = f"{FIELD_NAMES[field].capitalize()} dài quá {limit} ký tự."
        phone = _phone(cells.get("applicant_phone"))
        if not PHONE.match(phone):
            reasons["applicant_phone"] = "Số điện thoại chỉ gồm chữ số, dấu cách, dấu chấm, +, - và ngoặc."
        department = self._department(text.get("department", ""), reasons)
        received_at = self._moment(cells.get("received_at"), "received_at", reasons, required=True)
        due_at = self._moment(cells.get("due_at"), "due_at", reasons, required=False)
        if received_at and due_at and due_at < received_at:
            reasons["due_at"] = "Ngày hẹn trả trước ngày tiếp nhận."
        postal_id = normalise(text.get("postal_id", "")) or None
        if postal_id and not is_valid_s10(postal_id):
            reasons["postal_id"] = f"Số hiệu bưu gửi {postal_id} không đúng dạng S10 (ví dụ EB123456785VN)."
        if reasons:
            raise RowRefused(reasons)
        details = DossierDetails(
            code=code,
            procedure_code=text["procedure_code"],
            procedure_name=text["procedure_name"],
            applicant_name=text["applicant_name"],
            applicant_phone=phone,
            applicant_address=text.get("applicant_address", ""),
            department=department.code,
            received_at=received_at,
            due_at=due_at,
        )
        return ImportedDossier(details, department, postal_id)

    def _department(self, name_or_code: str, reasons: dict[str, str]) -> Unit | None:
        unit = self.units.get(folded(name_or_code))
        if not name_or_code:
            reasons["department"] = "Thiếu cơ quan giải quyết (mã hoặc tên đơn vị)."
        elif unit is None:
            reasons["department"] = f"Không có đơn vị '{name_or_code}': ghi mã hoặc đúng tên đơn vị."
        elif unit.unit_kind != UnitKind.DEPARTMENT:
            reasons["department"] = f"{unit.name} không phải là sở, ngành giải quyết hồ sơ."
        else:
            return unit
        return None

    def _moment(self, value: object, field: str, reasons: dict[str, str], *, required: bool) -> datetime | None:
        if value in (None, ""):
            if required:
                reasons[field] = f"Thiếu {FIELD_NAMES[field]}."
            return None
        moment = value if isinstance(value, datetime) else _parse_time(str(value).strip(), field, self.due_time)
        if moment is None:
            reasons[field] = f"{FIELD_NAMES[field].capitalize()} '{value}' không đúng dạng {TIME_LAYOUTS}."
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=self.zone)


FIELD_NAMES = {
    "procedure_code": "mã thủ tục",
    "procedure_name": "tên thủ tục",
    "applicant_name": "chủ hồ sơ",
    "applicant_address": "địa chỉ",
    "received_at": "ngày tiếp nhận",
    "due_at": "ngày hẹn trả",
}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _phone(value: object) -> str:
    """A number typed into a spreadsheet as a number has lost its leading 0: put it back."""
    phone = _text(value)
    if isinstance(value, int | float) and len(phone) == MOBILE_DIGITS - 1:
        return "0" + phone
    return phone


def _parse_time(text: str, field: str, due_time: time) -> datetime | None:
    """dd/mm/yyyy [hh:mm[:ss]] as Vietnamese offices write it, or ISO 8601."""
    if found := VIETNAMESE_TIME.match(text):
        day, month, year, hour, minute, second = (int(part) if part else None for part in found.groups())
        try:
            if hour is None:
                return _day_at(date(year, month, day), field, due_time)
            return datetime(year, month, day, hour, minute, second or 0)
        except ValueError:
            return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    is_plain_day = len(text) == len("2026-11-02")
    return _day_at(parsed.date(), field, due_time) if is_plain_day else parsed


def _day_at(day: date, field: str, due_time: time) -> datetime:
    """A date alone: received at the day's start, due at the end of its office hours."""
    return datetime.combine(day, due_time if field == "due_at" else time(0, 0))
