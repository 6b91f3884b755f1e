from marshmallow import Schema, fields, validate

from tracker.api.fields import Timestamp
from tracker.api.pagination import PageArgs


class AuditArgs(PageArgs):
    actor = fields.String(validate=validate.Length(min=1, max=64), metadata={"description": "a username"})
    target_type = fields.String(validate=validate.Length(min=1, max=64))
    from_ = Timestamp(data_key="from")
    to = Timestamp()


class AuditEntrySchema(Schema):
    id = fields.Integer()
    occurred_at = Timestamp()
    actor = fields.Function(lambda entry: entry.actor.username if entry.actor else None)
    action = fields.String()
    target_type = fields.String()
    target_key = fields.String()
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)
