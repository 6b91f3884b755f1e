"""Mail from the worker: immediate mail for losses, a daily digest, and the SMTP queue.

Messages are queued in outgoing_mail in the transaction that decides them (the fan-out of
an event, or the digest's day being marked), then sent and retried like webhooks. With no
SMTP_URL nothing is queued, so nothing piles up to be sent later.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from tracker.api.fields import local_timezone
from tracker.auth.models import User
from tracker.delays.selects import DelayFilters
from tracker.delays.services import find_delays
from tracker.domain.custody import Role
from tracker.extensions import db
from tracker.notifications.compose import Composed, digest_mail, immediate_mail
from tracker.notifications.models import MailSubscription, OutgoingMail
from tracker.notifications.smtp import SmtpSettings, send_message
from tracker.outbox.models import OutboxEvent
from tracker.outbox.services import EventType

DIGEST, IMMEDIATE = "digest", "immediate"
IMMEDIATE_EVENTS = (EventType.ITEM_MISSING.value, EventType.DELAY_SUSPECTED_LOST.value)
# Supervisors and admins watch the whole province; everyone else, their own unit.
PROVINCE_WIDE = (Role.SUPERVISOR.value, Role.ADMIN.value)
DIGEST_ROWS = 200
MAX_MAIL_ATTEMPTS = 12
MAIL_RETRY_BASE = timedelta(minutes=1)


def mail_enabled() -> bool:
    return bool(current_app.config["SMTP_URL"])


def _subscribers(kind: str) -> list[MailSubscription]:
    statement = (
        select(MailSubscription)
        .join(User, User.id == MailSubscription.user_id)
        .where(MailSubscription.kind == kind, User.active, User.email.is_not(None), User.email != "")
        .order_by(MailSubscription.id)
    )
    return list(db.session.scalars(statement))


def _queue(to_address: str, composed: Composed, now: datetime) -> None:
    db.session.add(
        OutgoingMail(
            to_address=to_address,
            subject=composed.subject,
            text_body=composed.text,
            html_body=composed.html,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )


def queue_immediate_mail(events: list[OutboxEvent], now: datetime) -> None:
    """Each loss told at once to the immediate subscribers it concerns (in the fan-out's transaction)."""
    losses = [event for event in events if event.type in IMMEDIATE_EVENTS]
    if not losses or not mail_enabled():
        return
    subscribers = _subscribers(IMMEDIATE)
    for event in losses:
        data = event.payload["data"]
        units = {data.get("unit"), data.get("from_unit"), data.get("to_unit")} - {None}
        for subscription in subscribers:
            user = subscription.user
            if user.role in PROVINCE_WIDE or user.unit.code in units:
                _queue(user.email, immediate_mail(event.type, data), now)


def queue_digests(now: datetime) -> None:
    """Once a day, from MAIL_DIGEST_HOUR (province time), a digest for each subscriber."""
    if not mail_enabled():
        return
    local_now = now.astimezone(local_timezone())
    if local_now.hour < current_app.config["MAIL_DIGEST_HOUR"]:
        return
    today = local_now.date()
    for subscription_id in [subscription.id for subscription in _subscribers(DIGEST)]:
        # Locked one at a time and checked again, so two workers never send the same digest.
        not_yet_today = (MailSubscription.last_digest_on.is_(None)) | (MailSubscription.last_digest_on < today)
        subscription = db.session.scalar(
            select(MailSubscription)
            .where(MailSubscription.id == subscription_id, not_yet_today)
            .with_for_update(skip_locked=True, of=MailSubscription)
        )
        if subscription is not None:
            _queue_digest(subscription, today, now)
        db.session.commit()


def _queue_digest(subscription: MailSubscription, today: date, now: datetime) -> None:
    user = subscription.user
    province_wide = user.role in PROVINCE_WIDE
    filters = DelayFilters() if province_wide else DelayFilters(unit=user.unit.code)
    delays = find_delays(filters, 1, DIGEST_ROWS, now)["items"]
    scope = "toàn tỉnh" if province_wide else user.unit.name
    _queue(user.email, digest_mail(scope, today.strftime("%d/%m/%Y"), delays), now)
    subscription.last_digest_on = today


def _message(mail: OutgoingMail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    return message


def send_due_mail(now: datetime, limit: int = 1000) -> int:
    """Send the queued mail that is due; failures wait longer each time, then are given up."""
    if not mail_enabled():
        return 0
    settings = SmtpSettings.from_url(current_app.config["SMTP_URL"])
    sent = 0
    for _ in range(limit):
        statement = (
            select(OutgoingMail)
            .where(OutgoingMail.status == "pending", OutgoingMail.next_attempt_at <= now)
            .order_by(OutgoingMail.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        mail = db.session.scalar(statement)
        if mail is None:
            db.session.commit()
            return sent
        mail.attempts += 1
        try:
            send_message(settings, _message(mail))
        except (OSError, ValueError) as error:  # smtplib's errors are OSErrors
            mail.last_error = f"{type(error).__name__}: {error}"[:1000]
            if mail.attempts >= MAX_MAIL_ATTEMPTS:
                mail.status = "failed"
            else:
                mail.next_attempt_at = now + MAIL_RETRY_BASE * 2 ** (mail.attempts - 1)
        else:
            mail.status, mail.sent_at = "sent", now
            sent += 1
        db.session.commit()
    return sent
