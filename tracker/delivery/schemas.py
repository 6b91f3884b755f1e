from marshmallow import Schema, fields, validate

from tracker.api.fields import Timestamp
from tracker.custody.schemas import DeviceStampSchema, ItemSchema
from tracker.delivery.services import delivery_of
from tracker.domain.journey_end import DELIVERY_FAILURE_REASONS


class DeliveryRecordSchema(Schema):
    outcome = fields.String(metadata={"enum": ["delivered", "failed"]})
    occurred_at = Timestamp()
    unit = fields.Function(lambda record: record.event.unit.code)
    recipient_kind = fields.String(allow_none=True)
    recipient_name = fields.String(allow_none=True)
    id_last_digits = fields.String(allow_none=True)
    signed = fields.Function(lambda record: record.signature_png is not None)
    reason_code = fields.String(allow_none=True)
    reason = fields.Function(lambda record: record.event.note if record.outcome == "failed" else None)


class DeliveredItemSchema(ItemSchema):
    delivery = fields.Function(lambda item: DeliveryRecordSchema().dump(delivery_of(item)))
    delivery_note_url = fields.Function(lambda item: f"/api/v1/items/{item.code}/delivery-note.pdf")


class DeliveryAttemptSchema(DeviceStampSchema):
    reason_code = fields.String(required=True, validate=validate.OneOf(list(DELIVERY_FAILURE_REASONS)))
    reason_text = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class FailedAttemptSchema(Schema):
    item = fields.Nested(ItemSchema, attribute="record.item")
    attempt = fields.Nested(DeliveryRecordSchema, attribute="record")
    failed_attempts = fields.Integer(metadata={"description": "failed attempts by your unit since it received it"})
    max_attempts = fields.Integer()
    flagged_for_return = fields.Boolean(metadata={"description": "send it back to the centre"})
