from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.custody.models import CustodyEvent, Item
from tracker.database import UTCDateTime
from tracker.extensions import db


class DeliveryRecord(db.Model):
    """What a delivery or a failed attempt recorded beyond its custody event: who, why, the signature.

    One per `delivered` or `delivery_failed` event; like the event, never updated.
    """

    __tablename__ = "delivery_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("custody_events.id"), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    outcome: Mapped[str] = mapped_column(String(16))  # delivered or failed
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recipient_kind: Mapped[str | None] = mapped_column(String(16))
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    id_last_digits: Mapped[str | None] = mapped_column(String(8))
    # The recipient's signature drawn on the screen, a PNG (size-limited by the service).
    signature_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    reason_code: Mapped[str | None] = mapped_column(String(32))
    reason_text: Mapped[str | None] = mapped_column(String(500))

    event: Mapped[CustodyEvent] = relationship()
    item: Mapped[Item] = relationship()
