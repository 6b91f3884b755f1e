"""Fields shared by every schema: times with offsets, codes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from marshmallow import ValidationError, fields, validate

from tracker.domain.calendar import SUPPORTED_DAYS
from tracker.domain.codes import normalise


def local_timezone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TRACKER_TIMEZONE"])


OUTSIDE_SUPPORTED_DAYS = (
    f"must be between {SUPPORTED_DAYS.first.isoformat()} and {SUPPORTED_DAYS.last.isoformat()} (the supported range)"
)


def is_supported_time(moment: datetime) -> bool:
    """Whether moment falls on a day the working calendar covers, in the province's time zone."""
    try:
        return moment.astimezone(local_timezone()).date() in SUPPORTED_DAYS
    except OverflowError:  # year 1 or 9999 moved across midnight by the offset
        return False


class Timestamp(fields.AwareDateTime):
    """ISO 8601 with an offset in (a naive time is refused) and out (in the province's zone).

    A time outside SUPPORTED_DAYS is refused, unless supported_only=False (scan batches refuse
    such an entry alone, not the whole batch).
    """

    def __init__(self, *, supported_only: bool = True, **kwargs):
        super().__init__(format="iso", **kwargs)
        self.supported_only = supported_only

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        if self.supported_only and not is_supported_time(moment):
            raise ValidationError(OUTSIDE_SUPPORTED_DAYS)
        return moment

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        if value is None:
            return None
        return super()._serialize(value.astimezone(local_timezone()), attr, obj, **kwargs)


class Code(fields.String):
    """A code as scanned or typed: NFKC-normalised, spaces dropped, compared uppercase; never a `/`,
    which could not be put back in a URL path."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        code = normalise(super()._deserialize(value, attr, data, **kwargs))
        if "/" in code:
            raise ValidationError("must not contain /")
        return code


def _unit_code_in(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError("Not a valid string.")
    return value


def unit_code(attribute: str, **kwargs) -> fields.Function:
    """The code of a related unit, or null when there is none (e.g. an item in transit); as input, a unit code."""

    def code_of(obj):
        unit = getattr(obj, attribute)
        return unit.code if unit is not None else None

    return fields.Function(code_of, deserialize=_unit_code_in, **kwargs)


class StrictBoolean(fields.Boolean):
    """JSON true or false only: 0, 1, "yes" are refused as the contract's boolean says."""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class FullMatch(validate.Regexp):
    """A regular expression the whole value must match: `$` alone lets a trailing newline through."""

    def __call__(self, value: str) -> str:
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value
