from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import UTCDateTime
from tracker.extensions import db
from tracker.units.models import Unit

REPORT_INDEX_COLUMNS = (
    "kind", "outcome", "ended_at", "from_unit_id", "to_unit_id", "start_clock", "end_clock", "wall_seconds",
)  # fmt: skip


class Leg(db.Model):
    """A stretch of an item's journey between two custody events, measured on the calendar.

    Derived from the events in the same transaction that writes them. start_clock and
    end_clock are working-clock readings (working seconds since the calendar's epoch), so a
    leg's working time is end_clock - start_clock; they are recomputed when the calendar
    changes. Legs, unlike events, may be updated: they are a view of the events.
    """

    __tablename__ = "legs"
    __table_args__ = (
        Index("ix_legs_kind_ended", "kind", "ended_at"),
        # Open legs (end_clock IS NULL) of a kind at given units, oldest first: the delays.
        Index("ix_legs_open_by_unit", "kind", "end_clock", "from_unit_id", "start_clock"),
        # Covers the reports: finished legs of a period read from the index alone.
        Index("ix_legs_report", *REPORT_INDEX_COLUMNS),
        Index("ix_legs_item_open", "item_id", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # transit, dwell or journey
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"))
    from_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    to_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    start_clock: Mapped[int] = mapped_column(BigInteger)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_clock: Mapped[int | None] = mapped_column(BigInteger)
    wall_seconds: Mapped[int | None] = mapped_column(BigInteger)  # ended_at - started_at
    outcome: Mapped[str | None] = mapped_column(String(16))

    from_unit: Mapped[Unit] = relationship(foreign_keys=[from_unit_id])
    to_unit: Mapped[Unit | None] = relationship(foreign_keys=[to_unit_id])


class CalendarException(db.Model):
    """A day the admin declared off, or a make-up working day (ngày làm bù)."""

    __tablename__ = "calendar_exceptions"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column()
    note: Mapped[str] = mapped_column(String(200), default="")
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SlaRule(db.Model):
    """A route limit in working hours: by pair of unit kinds, by pair of units, or dwell per kind."""

    __tablename__ = "sla_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    leg_kind: Mapped[str] = mapped_column(String(16))  # transit or dwell
    from_kind: Mapped[str | None] = mapped_column(String(16))
    to_kind: Mapped[str | None] = mapped_column(String(16))
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    to_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    limit_hours: Mapped[float] = mapped_column(Float)

    from_unit: Mapped[Unit | None] = relationship(foreign_keys=[from_unit_id])
    to_unit: Mapped[Unit | None] = relationship(foreign_keys=[to_unit_id])


class SlaRuleChange(db.Model):
    """Who changed the route limits, when, and to what: never updated, never deleted."""

    __tablename__ = "sla_rule_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rules: Mapped[str] = mapped_column(Text)  # the whole new set, as JSON
