from marshmallow import Schema, fields, validate

from tracker.api.fields import FullMatch, Timestamp, unit_code
from tracker.domain.custody import Role


class CredentialsSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))


class UserSchema(Schema):
    username = fields.String(required=True, validate=FullMatch(r"^[a-z0-9_.-]{2,64}$"))
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(required=True, validate=validate.OneOf([r.value for r in Role]))
    unit = unit_code("unit")


class NewUserSchema(UserSchema):
    unit = fields.String(required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=8, max=256))


class TokenSchema(Schema):
    token = fields.String()
    expires_at = Timestamp()
    user = fields.Nested(UserSchema)
