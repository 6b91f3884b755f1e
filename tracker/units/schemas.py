from marshmallow import Schema, fields, validate

from tracker.api.fields import FullMatch
from tracker.domain.custody import UnitKind


class UnitSchema(Schema):
    code = fields.String(required=True, validate=FullMatch(r"^[A-Za-z0-9_.-]{2,32}$"))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in UnitKind]))
