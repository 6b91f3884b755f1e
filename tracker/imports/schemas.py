from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields

from tracker.api.fields import Code, Timestamp
from tracker.domain.codes import is_valid_s10
from tracker.dossiers.schemas import DossierSchema


class ImportOptionsSchema(Schema):
    dry_run = fields.Boolean(load_default=False, metadata={"description": "check and count, write nothing"})
    confirm_matches = fields.Boolean(
        load_default=False, metadata={"description": "attach the mã hồ sơ to matched counter dossiers"}
    )


class ImportFileSchema(Schema):
    file = Upload(required=True, metadata={"description": "CSV (UTF-8, `,` or `;`) or XLSX export"})


class RefusalSchema(Schema):
    row = fields.Integer()
    code = fields.String(allow_none=True)
    reasons = fields.Dict(keys=fields.String(), values=fields.String())


class MatchSchema(Schema):
    row = fields.Integer()
    code = fields.String()
    tracking_code = fields.String()
    rule = fields.String(metadata={"description": "postal_id or phone_procedure"})
    applicant_name = fields.String()
    received_at = Timestamp()
    confirmed = fields.Boolean()


class ImportReportSchema(Schema):
    dry_run = fields.Boolean()
    rows = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    refusals = fields.List(fields.Nested(RefusalSchema))
    matches = fields.List(fields.Nested(MatchSchema))


class DossierPushSchema(DossierSchema):
    """One dossier pushed by the one-stop system; its mã hồ sơ is in the path."""

    postal_id = Code(
        load_default=None, validate=lambda value: is_valid_s10(value) or _not_s10(),
        metadata={"description": "UPU S10 id of its packet: finds the dossier registered at the counter"},
    )  # fmt: skip


def _not_s10():
    raise ValidationError("not a valid UPU S10 id (e.g. EB123456785VN)")


class PushOptionsSchema(Schema):
    confirm_matches = fields.Boolean(load_default=False)
