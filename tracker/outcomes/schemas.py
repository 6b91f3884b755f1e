from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from tracker.api.fields import Timestamp
from tracker.custody.schemas import DeviceStampSchema, ItemSchema
from tracker.domain.journey_end import RETURN_REASONS
from tracker.outcomes.services import RETURN_GROUPINGS


class ResultItemSchema(ItemSchema):
    label_url = fields.Function(
        lambda item: f"/api/v1/items/{item.code}/label.pdf", metadata={"description": "print it now"}
    )


class ReturnSchema(DeviceStampSchema):
    reason_code = fields.String(required=True, validate=validate.OneOf(list(RETURN_REASONS)))
    reason_text = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
    withdrawn = fields.Boolean(load_default=False, metadata={"description": "rút hồ sơ rather than trả lại"})


class DossierReturnSchema(Schema):
    dossier = fields.Function(lambda record: record.dossier.reference)
    status = fields.Function(lambda record: record.dossier.status, metadata={"enum": ["returned", "withdrawn"]})
    withdrawn = fields.Boolean()
    reason_code = fields.String()
    reason_text = fields.String(allow_none=True)
    reason = fields.Function(lambda record: record.event.note, metadata={"description": "as recorded on the event"})
    unit = fields.Function(lambda record: record.event.unit.code)
    occurred_at = Timestamp()
    item = fields.Nested(ItemSchema)


class ReturnReportArgsSchema(Schema):
    from_ = Timestamp(required=True, data_key="from")
    to = Timestamp(required=True)
    group_by = fields.String(load_default="department", validate=validate.OneOf(RETURN_GROUPINGS))

    @validates_schema
    def period_is_forward(self, data, **kwargs):
        if data["to"] <= data["from_"]:
            raise ValidationError("must be after from", "to")


class ReturnCountSchema(Schema):
    key = fields.String(metadata={"description": "unit code or procedure code"})
    name = fields.String()
    returned = fields.Integer()
    withdrawn = fields.Integer()
    total = fields.Integer()


class ReturnReportSchema(Schema):
    group_by = fields.String()
    rows = fields.List(fields.Nested(ReturnCountSchema))
