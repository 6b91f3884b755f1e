from marshmallow import Schema, fields, validate

from tracker.api.fields import Code, FullMatch, Timestamp, unit_code
from tracker.custody.schemas import ItemWithTimelineSchema


def text(max_length: int) -> list:
    """Required text that is not just spaces."""
    return [validate.Length(min=1, max=max_length), FullMatch(r"\s*\S[\s\S]*", error="must not be blank")]


class DossierSchema(Schema):
    code = fields.String(required=True, validate=FullMatch(r"^[A-Za-z0-9._-]{1,64}$"))
    procedure_code = fields.String(required=True, validate=text(64))
    procedure_name = fields.String(required=True, validate=text(500))
    applicant_name = fields.String(required=True, validate=text(200))
    applicant_phone = fields.String(load_default="", validate=FullMatch(r"^[0-9+ .()-]{0,32}$"))
    applicant_address = fields.String(load_default="", validate=validate.Length(max=500))
    department = unit_code("department", required=True, metadata={"type": "string"})
    received_at = Timestamp(required=True)
    due_at = Timestamp(required=True)
    status = fields.String(dump_only=True)
    created_at = Timestamp(dump_only=True)


class DossierDetailSchema(DossierSchema):
    items = fields.List(fields.Nested(ItemWithTimelineSchema))


class DossierFilterSchema(Schema):
    department = Code(load_default=None)
    holder = Code(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(["open", "delivered"]))
    q = fields.String(load_default=None, validate=validate.Length(max=200))
