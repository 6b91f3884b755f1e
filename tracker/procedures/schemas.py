from marshmallow import Schema, fields, validate

from tracker.api.fields import Code
from tracker.dossiers.schemas import text

PROCEDURE_CODE = validate.Regexp(r"^[0-9A-Za-z.\-_]{1,64}$", error="letters, digits, dots and dashes only")
PAPER = fields.String(validate=validate.Length(min=1, max=500))


class ProcedureSchema(Schema):
    code = fields.String(required=True, validate=PROCEDURE_CODE)
    name = fields.String(required=True, validate=text(500))
    department = fields.Function(
        lambda procedure: procedure.department.code, deserialize=str, required=True, validate=validate.Length(min=1)
    )
    processing_days = fields.Integer(required=True, validate=validate.Range(min=0, max=365))
    papers = fields.List(PAPER, load_default=list, validate=validate.Length(max=100))
    active = fields.Boolean(load_default=True)


class ProcedureChangeSchema(ProcedureSchema):
    """An edit: the code is in the path, never changed."""

    class Meta:
        exclude = ("code",)


class ProcedureFilterSchema(Schema):
    q = fields.String(load_default=None, validate=validate.Length(max=200))
    active = fields.Boolean(load_default=None)
    department = Code(load_default=None)
