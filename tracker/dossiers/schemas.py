from marshmallow import Schema, fields, post_dump, validate

from tracker.api.fields import Code, FullMatch, Timestamp, unit_code
from tracker.api.pagination import page_of
from tracker.custody.schemas import ItemWithTimelineSchema
from tracker.privacy.services import applicant_contact


def text(max_length: int) -> list:
    """Required text that is not just spaces."""
    return [validate.Length(min=1, max=max_length), FullMatch(r"\s*\S[\s\S]*", error="must not be blank")]


class DossierSchema(Schema):
    # mã hồ sơ: may be left out when the one-stop system has not numbered the dossier yet
    code = fields.String(load_default=None, validate=FullMatch(r"^[A-Za-z0-9._-]{1,64}$"))
    tracking_code = fields.String(dump_only=True)
    procedure_code = fields.String(required=True, validate=text(64))
    procedure_name = fields.String(required=True, validate=text(500))
    applicant_name = fields.String(required=True, validate=text(200))
    applicant_phone = fields.String(load_default="", validate=FullMatch(r"^[0-9+ .()-]{0,32}$"))
    applicant_address = fields.String(load_default="", validate=validate.Length(max=500))
    department = unit_code("department", required=True, metadata={"type": "string"})
    received_at = Timestamp(required=True)
    due_at = Timestamp(load_default=None)
    status = fields.String(dump_only=True)
    created_at = Timestamp(dump_only=True)
    personal_data_masked = fields.Boolean(
        dump_only=True, metadata={"description": "phone and address masked: your unit has no part in this dossier"}
    )

    @post_dump(pass_original=True)
    def shown_contact(self, data: dict, dossier, **kwargs) -> dict:
        contact = applicant_contact(dossier)
        data.update(
            applicant_phone=contact.phone, applicant_address=contact.address, personal_data_masked=contact.masked
        )
        return data


class DossierDetailSchema(DossierSchema):
    items = fields.List(fields.Nested(ItemWithTimelineSchema))


class DossierPageSchema(page_of(DossierSchema)):
    """A page of a search: past the count's limit, total is a lower bound (total_exact false)."""

    total_exact = fields.Boolean()


class DossierFilterSchema(Schema):
    department = Code(load_default=None)
    holder = Code(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(["open", "delivered", "returned", "withdrawn"]))
    q = fields.String(load_default=None, validate=validate.Length(max=200))


class DossierAttachSchema(Schema):
    """What the centre attaches once the one-stop system has numbered the dossier."""

    code = fields.String(load_default=None, validate=validate.Regexp(r"^[A-Za-z0-9._/-]{1,64}$"))
    due_at = Timestamp(load_default=None)
