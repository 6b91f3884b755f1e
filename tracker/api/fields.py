"""Fields shared by every schema: times with offsets, codes."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from marshmallow import fields


def local_timezone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TRACKER_TIMEZONE"])


class Timestamp(fields.AwareDateTime):
    """ISO 8601 with an offset in (a naive time is refused) and out (in the province's zone)."""

    def __init__(self, **kwargs):
        super().__init__(format="iso", **kwargs)

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        if value is None:
            return None
        return super()._serialize(value.astimezone(local_timezone()), attr, obj, **kwargs)


class Code(fields.String):
    """A code as scanned or typed: surrounding spaces dropped, compared uppercase."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return "".join(text.split()).upper()


def unit_code(attribute: str) -> fields.Function:
    """The code of a related unit, or null when there is none (e.g. an item in transit)."""

    def code_of(obj):
        unit = getattr(obj, attribute)
        return unit.code if unit is not None else None

    return fields.Function(code_of)
