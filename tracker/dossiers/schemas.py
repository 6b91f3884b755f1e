from marshmallow import Schema, fields, validate

from tracker.api.fields import Code, Timestamp
from tracker.custody.schemas import ItemWithTimelineSchema


def text(max_length: int) -> list:
    """Required text that is not just spaces."""
    return [validate.Length(min=1, max=max_length), validate.Regexp(r"\S", error="must not be blank")]


class DossierSchema(Schema):
    # mã hồ sơ: may be left out when the one-stop system has not numbered the dossier yet
    code = fields.String(load_default=None, validate=validate.Regexp(r"^[A-Za-z0-9._/-]{1,64}$"))
    tracking_code = fields.String(dump_only=True)
    procedure_code = fields.String(required=True, validate=text(64))
    procedure_name = fields.String(required=True, validate=text(500))
    applicant_name = fields.String(required=True, validate=text(200))
    applicant_phone = fields.String(load_default="", validate=validate.Regexp(r"^[0-9+ .()-]{0,32}$"))
    applicant_address = fields.String(load_default="", validate=validate.Length(max=500))
    department = fields.Function(lambda dossier: dossier.department.code, deserialize=str, required=True)
    received_at = Timestamp(required=True)
    due_at = Timestamp(load_default=None)
    status = fields.String(dump_only=True)
    created_at = Timestamp(dump_only=True)


class DossierDetailSchema(DossierSchema):
    items = fields.List(fields.Nested(ItemWithTimelineSchema))


class DossierFilterSchema(Schema):
    department = Code(load_default=None)
    holder = Code(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(["open", "delivered", "returned", "withdrawn"]))
    q = fields.String(load_default=None, validate=validate.Length(max=200))
