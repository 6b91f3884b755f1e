"""Sending deliveries: in order per subscription, signed, retried with exponential backoff.

A delivery is claimed (row lock, SKIP LOCKED on PostgreSQL) and leased by pushing its
next_attempt_at past the request's timeout, then sent outside any transaction, then its
outcome recorded. Two workers never claim the same delivery; one that dies mid-send leaves
it to be retried when the lease ends (at least once). A subscription's next delivery waits
until every earlier one has succeeded or been given up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased
from standardwebhooks import Webhook

from tracker.database import utcnow
from tracker.extensions import db
from tracker.webhooks.models import WebhookDelivery, WebhookSubscription
from tracker.webhooks.services import FAILED, PENDING, SUCCEEDED

REQUEST_TIMEOUT_SECONDS = 10
LEASE = timedelta(minutes=2)
RETRY_BASE = timedelta(seconds=10)
RETRY_CAP = timedelta(hours=4)
# 10 s, 20 s, 40 s ... doubling to 4 h: the 17th attempt comes more than 24 hours after the first.
MAX_ATTEMPTS = 17
USER_AGENT = "tracker-webhooks/1"


def _later_of(now: datetime) -> datetime:
    """A long pass's now is stale: leases and retries count from the clock when it is later."""
    return max(now, utcnow())


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the attempts-th failed attempt."""
    return min(RETRY_BASE * 2 ** (attempts - 1), RETRY_CAP)


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    url: str
    secret: str
    message_id: str
    body: str


def claim_next(now: datetime) -> Claimed | None:
    """Lease the oldest due delivery whose subscription has nothing earlier still pending."""
    earlier = aliased(WebhookDelivery)
    waits_for_earlier = exists().where(
        earlier.subscription_id == WebhookDelivery.subscription_id,
        earlier.status == PENDING,
        earlier.outbox_event_id < WebhookDelivery.outbox_event_id,
    )
    statement = (
        select(WebhookDelivery)
        .where(WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at <= now, ~waits_for_earlier)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(1)
        .with_for_update(skip_locked=True, of=WebhookDelivery)
    )
    delivery = db.session.scalar(statement)
    if delivery is None:
        db.session.commit()
        return None
    delivery.attempts += 1
    delivery.next_attempt_at = _later_of(now) + LEASE
    subscription: WebhookSubscription = delivery.subscription
    payload = delivery.event.payload
    claimed = Claimed(
        delivery_id=delivery.id,
        url=subscription.url,
        secret=subscription.secret,
        message_id=payload["id"],
        body=json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
    )
    db.session.commit()
    return claimed


def signed_headers(claimed: Claimed) -> dict[str, str]:
    """Standard Webhooks headers; the timestamp is the real time of sending, as receivers check it."""
    sent_at = utcnow()
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": claimed.message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(claimed.secret).sign(claimed.message_id, sent_at, claimed.body),
    }


def send(claimed: Claimed) -> tuple[int | None, str | None]:
    """POST the delivery; (HTTP status, error) where error is None on a 2xx answer."""
    try:
        response = requests.post(
            claimed.url,
            data=claimed.body.encode(),
            headers=signed_headers(claimed),
            timeout=REQUEST_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        return None, f"{type(error).__name__}: {error}"[:1000]
    if 200 <= response.status_code < 300:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}: {response.text[:500]}"


def record_outcome(delivery_id: int, status: int | None, error: str | None, now: datetime) -> None:
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None:  # its subscription was deleted meanwhile
        db.session.commit()
        return
    delivery.last_status = status
    delivery.last_error = error
    if error is None:
        delivery.status = SUCCEEDED
        delivery.delivered_at = now
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = FAILED
    else:
        delivery.next_attempt_at = _later_of(now) + retry_delay(delivery.attempts)
    db.session.commit()


def send_due_deliveries(now: datetime, limit: int = 10_000) -> int:
    """Send every delivery due now, in order per subscription; how many attempts were made."""
    attempts = 0
    while attempts < limit and (claimed := claim_next(now)) is not None:
        status, error = send(claimed)
        record_outcome(claimed.delivery_id, status, error, now)
        attempts += 1
    return attempts
