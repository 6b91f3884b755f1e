"""Each user chooses their own notification mail: the address, the digest, immediate mail."""

from __future__ import annotations

import re

from sqlalchemy import delete, select

from tracker.auth.models import User
from tracker.database import utcnow
from tracker.errors import Unprocessable
from tracker.extensions import db
from tracker.notifications.models import MailSubscription

MAIL_KINDS = ("digest", "immediate")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def subscribed_kinds(user: User) -> set[str]:
    return set(db.session.scalars(select(MailSubscription.kind).where(MailSubscription.user_id == user.id)))


def set_mail_preferences(user: User, email: str, kinds: set[str]) -> None:
    """The user's address and the kinds of mail they want; any kind needs a valid address."""
    email = email.strip()
    if email and not EMAIL_PATTERN.match(email):
        raise Unprocessable(
            "Địa chỉ thư không hợp lệ: viết dạng ten@coquan.gov.vn.",
            code="invalid_email",
            details={"email": ["is not an e-mail address"]},
        )
    if kinds and not email:
        raise Unprocessable(
            "Nhập địa chỉ thư để nhận thư thông báo.",
            code="email_required",
            details={"email": ["is required to receive mail"]},
        )
    user.email = email or None
    current = subscribed_kinds(user)
    unwanted = current - kinds
    if unwanted:
        db.session.execute(
            delete(MailSubscription).where(MailSubscription.user_id == user.id, MailSubscription.kind.in_(unwanted))
        )
    for kind in sorted((kinds & set(MAIL_KINDS)) - current):
        db.session.add(MailSubscription(user_id=user.id, kind=kind, created_at=utcnow()))
    db.session.flush()
