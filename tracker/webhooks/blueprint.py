from flask.views import MethodView
from flask_smorest import Blueprint

from tracker.api.pagination import PageArgs, page_of, paginate
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
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(WebhookSubscriptionSchema))
    def get(self, args):
        """Every webhook subscription, without its secret (admin)."""
        return paginate(services.subscriptions_query(current_user()), args["page"], args["per_page"])

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
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(WebhookDeliverySchema))
    def get(self, args, subscription_id: int):
        """The subscription's deliveries, newest first (admin)."""
        subscription = services.find_subscription(current_user(), subscription_id)
        return paginate(services.deliveries_query(subscription), args["page"], args["per_page"])


@blp.route("/<int:subscription_id>/deliveries/<int:delivery_id>/resend")
class Resend(MethodView):
    @use_case
    @blp.response(200, WebhookDeliverySchema)
    def post(self, subscription_id: int, delivery_id: int):
        """Send a delivery again at the worker's next pass, with the same webhook-id (admin)."""
        return services.resend_delivery(current_user(), subscription_id, delivery_id)
