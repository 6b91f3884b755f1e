from flask.views import MethodView
from flask_smorest import Blueprint

from tracker.api.transactions import use_case
from tracker.auth.services import authenticate_request, current_user
from tracker.webhooks import services
from tracker.webhooks.schemas import (
    NewWebhookSecretSchema,
    NewWebhookSubscriptionSchema,
    WebhookDeliverySchema,
    WebhookSubscriptionSchema,
)

blp = Blueprint("webhooks", __name__, url_prefix="/api/v1/webhooks", description="Webhook (quản trị)")
blp.before_request(authenticate_request)


@blp.route("")
class Subscriptions(MethodView):
    @blp.response(200, WebhookSubscriptionSchema(many=True))
    def get(self):
        """Every webhook subscription, without its secret (admin)."""
        return services.list_subscriptions(current_user())

    @use_case
    @blp.arguments(NewWebhookSubscriptionSchema)
    @blp.response(201, NewWebhookSecretSchema)
    def post(self, args):
        """Subscribe an endpoint to event types (admin); the answer shows the signing secret, once."""
        return services.create_subscription(current_user(), args["url"], args["events"], args["description"])


@blp.route("/<int:subscription_id>")
class Subscription(MethodView):
    @blp.response(200, WebhookSubscriptionSchema)
    def get(self, subscription_id: int):
        """One subscription (admin)."""
        return services.find_subscription(current_user(), subscription_id)

    @use_case
    @blp.response(204)
    def delete(self, subscription_id: int):
        """Unsubscribe: nothing more is sent, pending deliveries are dropped (admin)."""
        services.delete_subscription(current_user(), subscription_id)


@blp.route("/<int:subscription_id>/deliveries")
class Deliveries(MethodView):
    @blp.response(200, WebhookDeliverySchema(many=True))
    def get(self, subscription_id: int):
        """The subscription's latest deliveries, newest first (admin)."""
        return services.recent_deliveries(services.find_subscription(current_user(), subscription_id))


@blp.route("/<int:subscription_id>/deliveries/<int:delivery_id>/resend")
class Resend(MethodView):
    @use_case
    @blp.response(200, WebhookDeliverySchema)
    def post(self, subscription_id: int, delivery_id: int):
        """Send a delivery again at the worker's next pass, with the same webhook-id (admin)."""
        return services.resend_delivery(current_user(), subscription_id, delivery_id)
