from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.database import UTCDateTime
from tracker.extensions import db


class OutboxEvent(db.Model):
    """An event for the outside world, written in the transaction of the change it describes."""

    __tablename__ = "outbox_events"
    # The worker reads the events not yet handed to their subscribers, oldest first.
    __table_args__ = (Index("ix_outbox_events_pending", "fanned_out_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When the worker turned it into webhook deliveries and mail: NULL until then.
    fanned_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def public_id(self) -> str:
        return self.payload["id"]


class DelayAnnouncement(db.Model):
    """A leg whose delay was announced: the primary key makes it once per leg and kind."""

    __tablename__ = "delay_announcements"

    leg_id: Mapped[int] = mapped_column(ForeignKey("legs.id"), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(64), primary_key=True)
    announced_at: Mapped[datetime] = mapped_column(UTCDateTime)
