from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.custody.models import CustodyEvent, Item
from tracker.database import UTCDateTime
from tracker.dossiers.models import Dossier
from tracker.extensions import db


class DossierReturn(db.Model):
    """A dossier returned unprocessed or withdrawn (trả lại / rút hồ sơ), with its reason; never updated."""

    __tablename__ = "dossier_returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))  # the returned packet
    event_id: Mapped[int] = mapped_column(ForeignKey("custody_events.id"), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # who returned it
    withdrawn: Mapped[bool] = mapped_column(Boolean)
    reason_code: Mapped[str] = mapped_column(String(32))
    reason_text: Mapped[str | None] = mapped_column(String(500))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    dossier: Mapped[Dossier] = relationship()
    item: Mapped[Item] = relationship()
    event: Mapped[CustodyEvent] = relationship()
