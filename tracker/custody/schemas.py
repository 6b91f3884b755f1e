from marshmallow import Schema, fields, pre_load, validate

from tracker.api.fields import Code, FullMatch, StrictBoolean, Timestamp, unit_code
from tracker.api.idempotency import KEY_PATTERN, KEY_RULE
from tracker.custody.scans import ScanAction
from tracker.domain.custody import ItemKind, ItemStatus, TransferStatus

MAX_BATCH_ENTRIES = 1000


class EventSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    unit = unit_code("unit")
    actor = fields.Function(lambda event: event.actor.username)
    transfer = fields.Function(lambda event: event.transfer.code if event.transfer else None)
    occurred_at = Timestamp()
    recorded_at = Timestamp()
    device_id = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    corrects = fields.Integer(attribute="corrects_id", allow_none=True)
    counterpart_unit = unit_code("counterpart_unit")
    related_transfer = fields.Function(lambda event: event.related_transfer.code if event.related_transfer else None)
    content_hash = fields.String()
    previous_hash = fields.String(allow_none=True)


class ItemSchema(Schema):
    """An Item, or any object with the same attributes (the packing path's rows)."""

    code = fields.String()
    dossier_code = fields.String()
    kind = fields.String()
    status = fields.String(metadata={"enum": [s.value for s in ItemStatus]})
    holder = fields.String(attribute="holder_code", allow_none=True, metadata={"description": "unit code"})
    postal_id = fields.String(allow_none=True)
    transfer = fields.String(attribute="transfer_code", allow_none=True)
    created_at = Timestamp()


class ItemWithTimelineSchema(ItemSchema):
    events = fields.List(fields.Nested(EventSchema))


class DeviceStampSchema(Schema):
    """When and where a scan happened, for scans sent late; server time when absent."""

    occurred_at = Timestamp(load_default=None)
    device_id = fields.String(load_default=None, validate=validate.Length(max=64))


class NewItemSchema(DeviceStampSchema):
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in ItemKind]))
    postal_id = Code(load_default=None, validate=validate.Length(max=13))


class DeliverySchema(DeviceStampSchema):
    note = fields.String(load_default=None, validate=validate.Length(max=1000))
    recipient_kind = fields.String(load_default="applicant", validate=validate.OneOf(["applicant", "authorised"]))
    recipient_name = fields.String(
        load_default=None, validate=validate.Length(max=200), metadata={"description": "default: the applicant"}
    )
    id_last_digits = fields.String(
        load_default=None,
        validate=validate.Regexp(r"^[0-9]{3,6}$", error="3 to 6 digits"),
        metadata={"description": "last digits of the identity document (required for an authorised person)"},
    )
    signature = fields.String(
        load_default=None, metadata={"description": "the recipient's signature as a data:image/png;base64 URL"}
    )


class TransferLineSchema(Schema):
    item_code = fields.Function(lambda line: line.item.code)
    dossier_code = fields.Function(lambda line: line.item.dossier.reference)
    kind = fields.Function(lambda line: line.item.kind)
    on_manifest = fields.Boolean()
    outcome = fields.String(allow_none=True)
    damaged = fields.Boolean()
    added_at = Timestamp()
    arrived_at = Timestamp(allow_none=True)


class TransferSchema(Schema):
    code = fields.String()
    status = fields.String(metadata={"enum": [s.value for s in TransferStatus]})
    from_unit = unit_code("from_unit")
    to_unit = unit_code("to_unit")
    created_at = Timestamp()
    dispatched_at = Timestamp(allow_none=True)
    seal_number = fields.String(allow_none=True)
    bag_count = fields.Integer(allow_none=True)
    received_at = Timestamp(allow_none=True)
    seal_intact = fields.Boolean(allow_none=True)
    receipt_note = fields.String(allow_none=True)


class TransferDetailSchema(TransferSchema):
    item_count = fields.Integer()
    items = fields.List(fields.Nested(TransferLineSchema), attribute="lines")


class NewTransferSchema(Schema):
    to_unit = Code(required=True)


class TransferFilterSchema(Schema):
    from_unit = Code(load_default=None)
    to_unit = Code(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf([s.value for s in TransferStatus]))


class ScanItemSchema(DeviceStampSchema):
    item_code = Code(required=True, validate=validate.Length(min=1, max=64))


class PackedItemSchema(Schema):
    transfer = fields.String(attribute="transfer_code")
    item = fields.Nested(ItemSchema)
    item_count = fields.Integer()


SEAL_NUMBER = {"validate": validate.Length(max=64), "metadata": {"description": "số niêm phong"}}
BAG_COUNT = {"validate": validate.Range(min=1, max=999), "metadata": {"description": "how many sealed bags"}}


class DispatchSchema(DeviceStampSchema):
    seal_number = fields.String(load_default=None, **SEAL_NUMBER)
    bag_count = fields.Integer(load_default=None, **BAG_COUNT)


class ReceiveSchema(DeviceStampSchema):
    # Required: an empty body must not receive a transfer with every item missing.
    scanned = fields.List(Code(validate=validate.Length(min=1, max=64)), required=True)
    damaged = fields.List(Code(validate=validate.Length(min=1, max=64)), load_default=list)
    seal_intact = StrictBoolean(load_default=None, allow_none=True)
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class UnexpectedItemSchema(Schema):
    code = fields.String()
    previous_holder = fields.String(allow_none=True, metadata={"description": "unit that held or sent it"})
    previous_transfer = fields.String(allow_none=True, metadata={"description": "transfer it was in or lost from"})


class ReceiptSchema(Schema):
    transfer = fields.Nested(TransferDetailSchema)
    received = fields.List(fields.String())
    missing = fields.List(fields.String())
    unexpected = fields.List(fields.String())
    damaged = fields.List(fields.String())
    unexpected_items = fields.List(fields.Nested(UnexpectedItemSchema))


class ScanEntrySchema(Schema):
    idempotency_key = fields.String(required=True, validate=FullMatch(KEY_PATTERN, error=f"must be {KEY_RULE}"))
    code = Code(required=True, validate=validate.Length(min=1, max=64))
    action = fields.Enum(ScanAction, by_value=True, required=True)
    transfer_code = Code(load_default=None, allow_none=True)
    # Checked per entry: a scanner with a wrong clock gets that entry refused, the rest applied.
    occurred_at = Timestamp(required=True, supported_only=False)
    device_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    # With action dispatch: what the dispatch endpoint takes.
    seal_number = fields.String(load_default=None, allow_none=True, **SEAL_NUMBER)
    bag_count = fields.Integer(load_default=None, allow_none=True, **BAG_COUNT)


class ScanBatchSchema(Schema):
    """The contract's bare list of entries, or {"scans": [...]}."""

    @pre_load
    def accept_bare_list(self, data, **kwargs):
        return {"scans": data} if isinstance(data, list) else data

    scans = fields.List(
        fields.Nested(ScanEntrySchema), required=True, validate=validate.Length(min=1, max=MAX_BATCH_ENTRIES)
    )


class ScannedItemSchema(Schema):
    code = fields.String()
    dossier_code = fields.String()
    procedure_name = fields.String()


class ScanOutcomeSchema(Schema):
    idempotency_key = fields.String()
    action = fields.String()
    code = fields.String()
    outcome = fields.String(metadata={"enum": ["applied", "duplicate", "refused"]})
    error = fields.Dict(allow_none=True)
    item = fields.Nested(ScannedItemSchema, allow_none=True, metadata={"description": "the item scanned, if known"})
    unexpected = fields.Nested(
        UnexpectedItemSchema, allow_none=True, metadata={"description": "a receive not on the manifest: where it was"}
    )


class ScanBatchResultSchema(Schema):
    results = fields.List(fields.Nested(ScanOutcomeSchema))
    applied = fields.Integer()
    duplicates = fields.Integer()
    refused = fields.Integer()
