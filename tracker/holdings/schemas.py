from marshmallow import Schema, fields, validate

from tracker.api.fields import Timestamp
from tracker.domain.custody import ItemKind
from tracker.holdings.services import HOLDING_STATUSES


class HoldingFilterSchema(Schema):
    kind = fields.String(load_default=None, validate=validate.OneOf([k.value for k in ItemKind]))
    status = fields.String(load_default=None, validate=validate.OneOf(HOLDING_STATUSES))
    q = fields.String(load_default=None, validate=validate.Length(max=200))


class HoldingSchema(Schema):
    item = fields.Function(lambda h: h.item.code)
    postal_id = fields.Function(lambda h: h.item.postal_id)
    dossier = fields.Function(lambda h: h.item.dossier.reference)
    procedure = fields.Function(
        lambda h: {"code": h.item.dossier.procedure_code, "name": h.item.dossier.procedure_name}
    )
    kind = fields.Function(lambda h: h.item.kind)
    status = fields.Function(lambda h: h.item.status)
    transfer = fields.Function(lambda h: h.item.current_transfer.code if h.item.current_transfer else None)
    held_since = Timestamp()
    working_hours_held = fields.Float()
    limit_hours = fields.Float(allow_none=True)
    over_limit = fields.Boolean()
    failed_attempts = fields.Integer()
    flagged_for_return = fields.Boolean()
