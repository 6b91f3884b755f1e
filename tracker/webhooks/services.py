"""Webhook subscriptions (admin only) and the deliveries the worker makes of each event."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime

from sqlalchemy import Select, select

from tracker.auth.models import User
from tracker.auth.services import require_role
from tracker.database import utcnow
from tracker.domain.custody import Role
from tracker.errors import NotFound
from tracker.extensions import db
from tracker.outbox.models import OutboxEvent
from tracker.webhooks.models import WebhookDelivery, WebhookSubscription

PENDING, SUCCEEDED, FAILED = "pending", "succeeded", "failed"


def new_secret() -> str:
    """A Standard Webhooks signing secret: whsec_ and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def create_subscription(user: User, url: str, events: list[str], description: str = "") -> WebhookSubscription:
    """A new endpoint; it hears of the events recorded from now on."""
    require_role(user, Role.ADMIN)
    subscription = WebhookSubscription(
        url=url,
        events=sorted(set(events)),
        description=description or "",
        secret=new_secret(),
        active=True,
        created_by_id=user.id,
        created_at=utcnow(),
    )
    db.session.add(subscription)
    db.session.flush()
    return subscription


def subscriptions_query(user: User) -> Select:
    """Every subscription, oldest first (admin)."""
    require_role(user, Role.ADMIN)
    return select(WebhookSubscription).order_by(WebhookSubscription.id)


def find_subscription(user: User, subscription_id: int) -> WebhookSubscription:
    require_role(user, Role.ADMIN)
    subscription = db.session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise NotFound(
            f"Không có đăng ký webhook số {subscription_id}.",
            code="webhook_not_found",
            details={"id": subscription_id},
        )
    return subscription


def delete_subscription(user: User, subscription_id: int) -> None:
    """The endpoint hears nothing more; its pending deliveries go with it."""
    db.session.delete(find_subscription(user, subscription_id))
    db.session.flush()


def deliveries_query(subscription: WebhookSubscription) -> Select:
    """A subscription's deliveries, newest first."""
    return (
        select(WebhookDelivery)
        .where(WebhookDelivery.subscription_id == subscription.id)
        .order_by(WebhookDelivery.id.desc())
    )


def resend_delivery(user: User, subscription_id: int, delivery_id: int) -> WebhookDelivery:
    """Send one delivery again now, with a fresh round of retries (same webhook-id)."""
    subscription = find_subscription(user, subscription_id)
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription.id:
        raise NotFound(
            f"Không có lần gửi số {delivery_id} của đăng ký này.",
            code="delivery_not_found",
            details={"delivery": delivery_id},
        )
    delivery.status = PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = utcnow()
    delivery.last_error = None
    db.session.flush()
    return delivery


def add_deliveries(events: list[OutboxEvent], now: datetime) -> int:
    """One pending delivery per active subscription that wants each event; how many."""
    subscriptions = list(db.session.scalars(select(WebhookSubscription).where(WebhookSubscription.active)))
    count = 0
    for event in events:
        for subscription in subscriptions:
            if event.type in subscription.events:
                db.session.add(
                    WebhookDelivery(
                        subscription_id=subscription.id,
                        outbox_event_id=event.id,
                        status=PENDING,
                        attempts=0,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
                count += 1
    return count
