from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    literal_column,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.database import UTCDateTime
from tracker.domain.custody import ItemStatus, TransferStatus
from tracker.dossiers.models import Dossier
from tracker.extensions import db
from tracker.units.models import Unit


class Item(db.Model):
    """One physical packet that moves and carries its own label."""

    __tablename__ = "items"
    __table_args__ = (
        # A code typed in part finds its item: prefix LIKE on PostgreSQL whatever the collation.
        Index("ix_items_code_prefix", "code", postgresql_ops={"code": "varchar_pattern_ops"}),
        Index("ix_items_postal_id_prefix", "postal_id", postgresql_ops={"postal_id": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    holder_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    postal_id: Mapped[str | None] = mapped_column(String(13), unique=True)
    # The one draft or dispatched transfer the item is in; guarded by a row lock on the item.
    current_transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    label_printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    chain_head: Mapped[str | None] = mapped_column(String(64))  # its latest custody event's content_hash

    dossier: Mapped[Dossier] = relationship(back_populates="items")
    # Units are few and usually already in the session (the actor's own): no join needed.
    holder: Mapped[Unit | None] = relationship()
    current_transfer: Mapped[Transfer | None] = relationship(foreign_keys=[current_transfer_id])
    events: Mapped[list[CustodyEvent]] = relationship(
        order_by="(CustodyEvent.occurred_at, CustodyEvent.id)", viewonly=True
    )

    @property
    def item_status(self) -> ItemStatus:
        return ItemStatus(self.status)

    @property
    def dossier_code(self) -> str:
        return self.dossier.reference

    @property
    def holder_code(self) -> str | None:
        return self.holder.code if self.holder else None

    @property
    def transfer_code(self) -> str | None:
        return self.current_transfer.code if self.current_transfer else None

    def place(self, status: ItemStatus, holder: Unit | None, transfer: Transfer | None) -> None:
        """Where the item is now; ids and relationships set together so neither goes stale."""
        self.status = status.value
        self.holder = holder
        self.holder_unit_id = holder.id if holder else None
        self.current_transfer = transfer
        self.current_transfer_id = transfer.id if transfer else None


class Transfer(db.Model):
    """A batch of items handed from one unit to another in one go (phiếu bàn giao)."""

    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    from_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    to_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dispatched_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    seal_number: Mapped[str | None] = mapped_column(String(64))
    bag_count: Mapped[int | None] = mapped_column()  # how many sealed bags the transfer went in
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    seal_intact: Mapped[bool | None] = mapped_column(Boolean)
    receipt_note: Mapped[str | None] = mapped_column(Text)
    chain_head: Mapped[str | None] = mapped_column(String(64))  # its latest item-less event's content_hash
    # Its manifest lines, kept with them (packing counts +1, unpacking -1): a scan never counts them.
    item_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))

    from_unit: Mapped[Unit] = relationship(foreign_keys=[from_unit_id])
    to_unit: Mapped[Unit] = relationship(foreign_keys=[to_unit_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    dispatched_by: Mapped[User | None] = relationship(foreign_keys=[dispatched_by_id])
    received_by: Mapped[User | None] = relationship(foreign_keys=[received_by_id])
    lines: Mapped[list[TransferItem]] = relationship(
        back_populates="transfer", order_by="TransferItem.id", cascade="all, delete-orphan"
    )

    @property
    def transfer_status(self) -> TransferStatus:
        return TransferStatus(self.status)


class TransferItem(db.Model):
    """An item on a transfer's manifest, or one that turned up unexpectedly on receipt."""

    __tablename__ = "transfer_items"
    __table_args__ = (UniqueConstraint("transfer_id", "item_id", name="uq_transfer_items_transfer_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Not indexed on its own: uq_transfer_items_transfer_item leads with it.
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    on_manifest: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set on receipt: received, missing or unexpected.
    outcome: Mapped[str | None] = mapped_column(String(16))
    damaged: Mapped[bool] = mapped_column(Boolean, default=False)
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    transfer: Mapped[Transfer] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship(lazy="joined")


class CustodyEvent(db.Model):
    """One append-only fact of custody. Database triggers refuse UPDATE and DELETE."""

    __tablename__ = "custody_events"
    __table_args__ = (
        Index("ix_custody_events_item_occurred", "item_id", "occurred_at"),
        Index("ix_custody_events_recorded_at", "recorded_at"),  # one day's events, for its digest
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    device_id: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("custody_events.id"))
    # The other side of a discrepancy: for an unexpected arrival, where the item was before
    # (unit and transfer); for the previous holder's event, where it turned up.
    counterpart_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    related_transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"))
    # The hash chain (tracker/custody/chain.py): SHA-256 of this event's canonical content,
    # and the content_hash of the previous event of the same chain (None for the first).
    content_hash: Mapped[str] = mapped_column(String(64))
    previous_hash: Mapped[str | None] = mapped_column(String(64))

    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
    item: Mapped[Item | None] = relationship(viewonly=True)
    actor: Mapped[User] = relationship()
    transfer: Mapped[Transfer | None] = relationship(foreign_keys=[transfer_id])
    counterpart_unit: Mapped[Unit | None] = relationship(foreign_keys=[counterpart_unit_id])
    related_transfer: Mapped[Transfer | None] = relationship(foreign_keys=[related_transfer_id])


REPORT_INDEX_COLUMNS = (
    "kind", "outcome", "ended_at", "from_unit_id", "to_unit_id", "start_clock", "end_clock", "wall_seconds",
)  # fmt: skip


class CustodyDayDigest(db.Model):
    """A closed day's digest of the custody record, kept once computed: it never changes.

    A later `flask custody verify` printing another value for that day means events of
    that day were altered after the digest was kept.
    """

    __tablename__ = "custody_day_digests"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    events: Mapped[int] = mapped_column(Integer)
    root: Mapped[str] = mapped_column(String(64))


OPEN_LEGS = {kind: text(f"end_clock IS NULL AND kind = '{kind}'") for kind in ("transit", "dwell")}
MISSING_TRANSITS = text("kind = 'transit' AND outcome = 'missing'")
# Legs held to a limit and still open: ordered by the working-clock moment they become late.
OPEN_WITH_LIMIT = text("end_clock IS NULL AND limit_seconds IS NOT NULL")
LATE_AT = text("(start_clock + limit_seconds)")  # PostgreSQL wants an expression in brackets
# Legs of one limit, the oldest (so the latest) first, ties as the page of delays breaks them: an
# index in this whole order is read with no sort, however PostgreSQL misjudges the rows.
OLDEST_FIRST = ["start_clock", "started_at", "dossier_id", "item_id"]
# Legs that took longer than their limit, a small share of them all: by when they ended.
FINISHED_LATE = text("end_clock > start_clock + limit_seconds")
# and, among them, by the stretch of 8 working hours (about a working day) they ended in, worst
# first: how late (elapsed / limit) never changes once a leg has ended.
FINISHED_DAY_SECONDS = 8 * 3600
FINISHED_DAY = literal_column(f"(end_clock / {FINISHED_DAY_SECONDS})", BigInteger)
# (Bracketed so that the migrations' check reads PostgreSQL's copy of it as the same.)
FINISHED_SEVERITY = literal_column("(CAST((end_clock - start_clock) AS FLOAT) / CAST(limit_seconds AS FLOAT))", Float)


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
        # Open legs of a kind at given units, oldest first: the delays. One partial index a kind,
        # because open dwells (papers kept at departments) outnumber open transits a hundred
        # to one, which the planner cannot tell from column statistics.
        *(
            Index(f"ix_legs_open_{kind}", "from_unit_id", "start_clock", postgresql_where=open_, sqlite_where=open_)
            for kind, open_ in OPEN_LEGS.items()
        ),
        # Has the department answered (sent anything on) for this dossier: the at-risk check.
        Index("ix_legs_dossier_answer", "dossier_id", "kind", "from_unit_id"),
        # Covers the reports: finished legs of a period read from the index alone.
        Index("ix_legs_report", *REPORT_INDEX_COLUMNS),
        Index("ix_legs_item_open", "item_id", "ended_at"),
        # The delays (tracker/delays/selects.py): late now, and finished late in a period, are
        # index ranges, so they cost what the delays cost, not what the history does. Counted by
        # these two; and the worst first (tracker/delays/worst.py) from the three after them,
        # where the legs sharing a limit (or a day) are already in order of how late they are.
        *(
            Index(name, *columns, postgresql_where=where, sqlite_where=where)
            for name, columns, where in (
                ("ix_legs_late_at", [LATE_AT], OPEN_WITH_LIMIT),
                ("ix_legs_finished_late", ["ended_at"], FINISHED_LATE),
                ("ix_legs_open_limits", ["kind", "limit_seconds", *OLDEST_FIRST], OPEN_WITH_LIMIT),
                ("ix_legs_missing", ["limit_seconds", *OLDEST_FIRST], MISSING_TRANSITS),  # reported missing
                ("ix_legs_finished_worst", [FINISHED_DAY, FINISHED_SEVERITY], FINISHED_LATE),
            )
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # transit, dwell or journey
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"))
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"))
    from_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    to_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    start_clock: Mapped[int] = mapped_column(BigInteger)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_clock: Mapped[int | None] = mapped_column(BigInteger)
    wall_seconds: Mapped[int | None] = mapped_column(BigInteger)  # ended_at - started_at
    outcome: Mapped[str | None] = mapped_column(String(16))
    # The route limit the leg is held to, in working seconds; None for none (journeys, time at a
    # department). Set as the leg opens and when the limits change (tracker/delays/leg_limits.py).
    limit_seconds: Mapped[int | None] = mapped_column(BigInteger)

    from_unit: Mapped[Unit] = relationship(foreign_keys=[from_unit_id])
    to_unit: Mapped[Unit | None] = relationship(foreign_keys=[to_unit_id])

    @hybrid_property
    def limit_hours(self) -> float | None:
        return None if self.limit_seconds is None else self.limit_seconds / 3600

    @limit_hours.inplace.expression
    @classmethod
    def _limit_hours_expression(cls):
        return cls.limit_seconds / 3600.0

    @hybrid_property
    def late_at(self) -> int | None:
        """The working-clock moment the leg becomes late, as ix_legs_late_at is written."""
        return None if self.limit_seconds is None else self.start_clock + self.limit_seconds

    @late_at.inplace.expression
    @classmethod
    def _late_at_expression(cls):
        return cls.start_clock + cls.limit_seconds
