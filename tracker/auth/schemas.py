from flask import g
from marshmallow import Schema, fields, validate

from tracker.api.fields import FullMatch, Timestamp, unit_code
from tracker.api.pagination import PageArgs
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
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))


class TokenSchema(Schema):
    token = fields.String()
    expires_at = Timestamp()
    user = fields.Nested(UserSchema)


class AccountSchema(UserSchema):
    active = fields.Boolean(dump_only=True)
    must_change_password = fields.Boolean(dump_only=True)


class UserFilterArgs(PageArgs):
    unit = fields.String(validate=validate.Length(min=1, max=32))
    role = fields.String(validate=validate.OneOf([r.value for r in Role]))


class UserChangesSchema(Schema):
    full_name = fields.String(validate=validate.Length(min=1, max=200))
    role = fields.String(validate=validate.OneOf([r.value for r in Role]))
    unit = fields.String(validate=validate.Length(min=1, max=32))
    active = fields.Boolean()


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))
    new_password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))


class OneTimePasswordSchema(Schema):
    username = fields.String()
    one_time_password = fields.String()


class TokenArgs(PageArgs):
    username = fields.String(validate=validate.Length(min=1, max=64))


class TokenInfoSchema(Schema):
    id = fields.Integer()
    username = fields.Function(lambda token: token.user.username)
    created_at = Timestamp()
    expires_at = Timestamp()
    current = fields.Function(lambda token: token.id == g.get("token_id"))
