from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.database import UTCDateTime
from tracker.extensions import db


class MailSubscription(db.Model):
    """A user's wish for the daily digest or for immediate mail about losses."""

    __tablename__ = "mail_subscriptions"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_mail_subscriptions_user_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # digest or immediate
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The province's calendar day of the last digest queued: one a day.
    last_digest_on: Mapped[date | None] = mapped_column(Date)

    user: Mapped[User] = relationship(lazy="joined")


class OutgoingMail(db.Model):
    """A message queued by the worker and sent through SMTP, retried like a webhook."""

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending, sent or failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
