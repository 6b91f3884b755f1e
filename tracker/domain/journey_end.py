"""The end of a dossier's journey: why it is returned, who may receive it, why a delivery failed.

Each list is code -> the Vietnamese text printed and recorded; pages show them translated.
"""

from __future__ import annotations

from enum import StrEnum

from tracker.domain.custody import ItemKind

# What travels back to the applicant, and only that is handed to them.
FOR_THE_APPLICANT = (ItemKind.RESULT.value, ItemKind.RETURNED.value)

# Lý do trả lại hồ sơ / rút hồ sơ.
RETURN_REASONS = {
    "missing_papers": "Thiếu giấy tờ",
    "invalid_papers": "Giấy tờ không hợp lệ",
    "not_eligible": "Không đủ điều kiện giải quyết",
    "wrong_authority": "Không thuộc thẩm quyền giải quyết",
    "citizen_withdrew": "Công dân rút hồ sơ",
    "other": "Lý do khác",
}

# Lý do phát không thành công.
DELIVERY_FAILURE_REASONS = {
    "not_home": "Không có nhà",
    "refused": "Người nhận từ chối nhận",
    "wrong_address": "Sai địa chỉ",
    "unreachable": "Không liên lạc được",
    "other": "Lý do khác",
}

# A reason that says nothing by itself needs words of its own.
NEEDS_TEXT = "other"


class RecipientKind(StrEnum):
    APPLICANT = "applicant"  # người nộp hồ sơ
    AUTHORISED = "authorised"  # người được uỷ quyền


RECIPIENT_KINDS = {RecipientKind.APPLICANT: "Người nộp hồ sơ", RecipientKind.AUTHORISED: "Người được uỷ quyền"}


class DossierEnd(StrEnum):
    """A dossier's status once it leaves processing without a result."""

    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


def reason_text(reasons: dict[str, str], code: str, text: str | None) -> str:
    """The reason as recorded on the event: the list's words, then the clerk's own."""
    words = (text or "").strip()
    return f"{reasons[code]}: {words}" if words else reasons[code]


def flagged_for_return(failed_attempts: int, max_attempts: int) -> bool:
    """After this many failed deliveries the packet goes back to the centre."""
    return failed_attempts >= max_attempts
