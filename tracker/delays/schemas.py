from datetime import date, datetime, time

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from tracker.api.fields import Code, StrictBoolean, Timestamp, local_timezone, unit_code
from tracker.api.pagination import page_of
from tracker.delays.histograms import LEG_KINDS
from tracker.delays.reports import GROUPINGS
from tracker.delays.selects import DELAY_KINDS
from tracker.domain.custody import UnitKind

UNIT_KINDS = [k.value for k in UnitKind]


class DelayFilterSchema(Schema):
    unit = Code(load_default=None, metadata={"description": "sending or receiving unit"})
    from_unit = Code(load_default=None)
    to_unit = Code(load_default=None)
    kind = fields.String(load_default=None, validate=validate.OneOf(DELAY_KINDS))
    finished_from = Timestamp(load_default=None, metadata={"description": "finished_late: from (default 7 days ago)"})
    finished_to = Timestamp(load_default=None, metadata={"description": "finished_late: until (default now)"})
    as_of = Timestamp(load_default=None, metadata={"description": "measure as at this time (default now)"})


class DelaySchema(Schema):
    kind = fields.String(metadata={"enum": list(DELAY_KINDS)})
    item = fields.Function(lambda d: d.item.code if d.item else None)
    dossier = fields.Function(lambda d: d.dossier.reference)
    procedure = fields.Function(lambda d: d.dossier.procedure_name)
    route = fields.Function(lambda d: {"from": d.from_unit.code, "to": d.to_unit.code if d.to_unit else None})
    holder = fields.Function(lambda d: d.from_unit.code, metadata={"description": "who holds or last handed it"})
    started_at = Timestamp()
    due_at = Timestamp(attribute="dossier.due_at")
    limit_hours = fields.Float()
    elapsed_hours = fields.Float()


class DelayPageSchema(page_of(DelaySchema)):
    """A page of delays: past the count's bound, total is a lower bound (total_exact false)."""

    total_exact = fields.Boolean()


class DayOrTimestamp(Timestamp):
    """A timestamp with its offset, or a plain date: the start of that day in the province."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and len(value) == 10:
            try:
                return datetime.combine(date.fromisoformat(value), time(), tzinfo=local_timezone())
            except ValueError:
                pass  # not a date: let the timestamp parser say what is wrong
        return super()._deserialize(value, attr, data, **kwargs)


class ReportArgsSchema(Schema):
    from_ = DayOrTimestamp(required=True, data_key="from", metadata={"description": "e.g. 2026-10-01 or a timestamp"})
    to = DayOrTimestamp(required=True, metadata={"description": "exclusive: 2026-11-01 ends October"})
    group_by = fields.String(load_default="route", validate=validate.OneOf(GROUPINGS))
    leg_kind = fields.String(load_default="transit", validate=validate.OneOf(LEG_KINDS))

    @validates_schema
    def period_is_forward(self, data, **kwargs):
        if data["to"] <= data["from_"]:
            raise ValidationError("must be after from", "to")


class ReportRowSchema(Schema):
    group = fields.String()
    count = fields.Integer()
    median_hours = fields.Float()
    p90_hours = fields.Float()
    max_hours = fields.Float()
    on_time_ratio = fields.Float()
    wall_median_hours = fields.Float()


class ReportSchema(Schema):
    group_by = fields.String()
    leg_kind = fields.String()
    rows = fields.List(fields.Nested(ReportRowSchema))


class RouteLimitSchema(Schema):
    leg_kind = fields.String(required=True, validate=validate.OneOf(["transit", "dwell"]))
    from_kind = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(UNIT_KINDS))
    to_kind = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(UNIT_KINDS))
    from_unit = unit_code("from_unit", allow_none=True, metadata={"type": "string"})
    to_unit = unit_code("to_unit", allow_none=True, metadata={"type": "string"})
    limit_hours = fields.Float(required=True, validate=validate.Range(min=0, min_inclusive=False))


class RouteLimitSetSchema(Schema):
    rules = fields.List(fields.Nested(RouteLimitSchema), required=True)


class CalendarDaySchema(Schema):
    day = fields.Date(required=True)
    working = StrictBoolean(
        required=True, allow_none=True, metadata={"description": "false: day off; true: make-up day; null: normal"}
    )
    note = fields.String(load_default="", validate=validate.Length(max=200))
