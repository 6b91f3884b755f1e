"""The centre's form to attach the mã hồ sơ and the appointment date, as typed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext, lazy_gettext
from werkzeug.datastructures import MultiDict

from tracker.api.fields import local_timezone
from tracker.calendar.services import current_calendar
from tracker.dossiers.models import Dossier
from tracker.errors import ApiError

DOSSIER_CODE = re.compile(r"^[A-Za-z0-9._/-]{1,64}$")
REFUSALS = {
    "dossier_exists": ("code", lazy_gettext("A dossier with this code is already registered: check the code.")),
    "due_before_received": ("appointment", lazy_gettext("The appointment date cannot be before the received time.")),
    "nothing_to_attach": ("code", lazy_gettext("Enter the dossier code or the appointment date.")),
}


@dataclass
class AttachForm:
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, dossier: Dossier) -> AttachForm:
        appointment = dossier.due_at.astimezone(local_timezone()).date().isoformat() if dossier.due_at else ""
        return cls({"code": dossier.code or "", "appointment": appointment})

    @classmethod
    def submitted(cls, form: MultiDict) -> AttachForm:
        instance = cls({name: form.get(name, "").strip() for name in ("code", "appointment")})
        if instance.values["code"] and not DOSSIER_CODE.match(instance.values["code"]):
            instance.errors["code"] = gettext("A dossier code has only letters, digits and . _ / -")
        if instance.values["appointment"] and instance._appointment() is None:
            instance.errors["appointment"] = gettext("Enter the appointment date as a date.")
        return instance

    @property
    def code(self) -> str | None:
        return self.values["code"] or None

    def _appointment(self) -> date | None:
        try:
            return date.fromisoformat(self.values["appointment"])
        except ValueError:
            return None

    def due_at(self) -> datetime | None:
        """The appointment as the close of office hours on that day."""
        day = self._appointment() if self.values["appointment"] else None
        return current_calendar().end_of_office_hours(day) if day else None

    def refused(self, error: ApiError) -> None:
        if error.code not in REFUSALS:
            raise error
        name, message = REFUSALS[error.code]
        self.errors[name] = str(message)
