from marshmallow import Schema, fields, validate

from tracker.api.fields import Timestamp
from tracker.outbox.services import EventType

EVENT_TYPES = [event_type.value for event_type in EventType]


class NewWebhookSubscriptionSchema(Schema):
    url = fields.Url(required=True, schemes={"http", "https"}, require_tld=False, validate=validate.Length(max=2000))
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENT_TYPES)), required=True, validate=validate.Length(min=1)
    )
    description = fields.String(load_default="", validate=validate.Length(max=500))


class WebhookSubscriptionSchema(Schema):
    id = fields.Integer()
    url = fields.String()
    events = fields.List(fields.String())
    description = fields.String()
    active = fields.Boolean()
    created_at = Timestamp()
    created_by = fields.Function(lambda subscription: subscription.created_by.username)


class NewWebhookSecretSchema(WebhookSubscriptionSchema):
    """The only answer that shows the signing secret."""

    secret = fields.String()


class WebhookDeliverySchema(Schema):
    id = fields.Integer()
    event_id = fields.Function(lambda delivery: delivery.event.public_id)
    event_type = fields.Function(lambda delivery: delivery.event.type)
    status = fields.String()
    attempts = fields.Integer()
    next_attempt_at = Timestamp()
    last_status = fields.Integer(allow_none=True)
    last_error = fields.String(allow_none=True)
    created_at = Timestamp()
    delivered_at = Timestamp(allow_none=True)
