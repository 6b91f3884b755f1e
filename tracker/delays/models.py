from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Float, ForeignKey, Index, Integer, LargeBinary, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import UTCDateTime
from tracker.extensions import db
from tracker.units.models import Unit


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


class LegRollup(db.Model):
    """How many finished legs took each whole minute, per local day, kind, route and procedure.

    Kept in the transaction that finishes the legs (see tracker/delays/rollups.py); the
    reports read it for whole days. clock is 0, working minutes (on_time and max_seconds
    count), or 1, wall-clock minutes (for the wall median): an integer is cheap to sort.
    to_unit_id 0 means none (dwell and journey legs): the key must be NOT NULL for ON CONFLICT.
    """

    __tablename__ = "leg_rollups"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    from_unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    to_unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    procedure_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    clock: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    minute: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    legs: Mapped[int] = mapped_column(Integer)
    on_time: Mapped[int] = mapped_column(Integer)
    max_seconds: Mapped[int] = mapped_column(BigInteger)


class CompactedPeriod(db.Model):
    """A closed day or month whose leg histograms are compacted into `leg_histograms`.

    Its presence, not the histogram rows (a period with no finished leg has none), tells the
    reports they may read the compact rows instead of `leg_rollups` for that period. Deleted
    with its rows when a late leg lands in the period or the rollup is rebuilt.
    """

    __tablename__ = "compacted_periods"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    grain: Mapped[str] = mapped_column(String(8), primary_key=True)  # day or month
    period: Mapped[date] = mapped_column(Date, primary_key=True)  # the day, or the month's first day


TOTALS_COLUMNS = ["from_unit_id", "to_unit_id", "procedure_code", "legs", "on_time", "max_seconds"]


class LegHistogram(db.Model):
    """One group's whole minute histogram over a closed day or month, in one row.

    The rollup's bars of that period summed per dimension: per route (from_unit_id,
    to_unit_id), per procedure, or over all legs (dimension 'all'), the other key columns 0 or
    ''. working and wall each hold the distinct whole minutes (ascending) and then how many
    legs took each, as little-endian int32 (see tracker/delays/histograms.py).
    """

    __tablename__ = "leg_histograms"
    # The charts' weekly totals read a year of days from this index alone on PostgreSQL, never
    # the rows' inline histograms (a day's pair of arrays is up to 2 KB, a year of them 44 MB).
    __table_args__ = (
        Index("ix_leg_histograms_totals", "dimension", "kind", "grain", "period", postgresql_include=TOTALS_COLUMNS),
    )

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    grain: Mapped[str] = mapped_column(String(8), primary_key=True)
    period: Mapped[date] = mapped_column(Date, primary_key=True)
    from_unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    to_unit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    procedure_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    legs: Mapped[int] = mapped_column(Integer)
    on_time: Mapped[int] = mapped_column(Integer)
    max_seconds: Mapped[int] = mapped_column(BigInteger)
    working: Mapped[bytes] = mapped_column(LargeBinary)
    wall: Mapped[bytes] = mapped_column(LargeBinary)
