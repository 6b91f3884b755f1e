from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import UTCDateTime
from tracker.domain.custody import ItemKind
from tracker.domain.text import digits_of, fold
from tracker.extensions import db
from tracker.units.models import Unit

if TYPE_CHECKING:
    from tracker.custody.models import Item


AT_RISK_READS = ["received_clock", "received_at", "department_id", "id"]
UNANSWERED = text("status = 'open' AND answered_at IS NULL")


class Dossier(db.Model):
    """One administrative case (hồ sơ).

    `code` is its mã hồ sơ from the one-stop system, which it may not have yet when the post
    registers it at the counter; `tracking_code` is the tracker's own (HS..., with a check
    character) from the start. Either finds it wherever a dossier code is accepted.
    """

    __tablename__ = "dossiers"
    __table_args__ = (
        # Substring search without diacritics: trigram indexes on PostgreSQL (pg_trgm).
        *(
            Index(f"ix_dossiers_{column}", column, postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"})
            for column in ("search_text", "phone_digits")
        ),
        Index("ix_dossiers_received_at_id", "received_at", "id"),  # newest first, in every listing
        # Open dossiers the department has not answered, by due date: those at risk of missing it.
        # On PostgreSQL with what the page of delays reads of them: an index-only range.
        Index(
            "ix_dossiers_unanswered_due",
            "due_clock",
            postgresql_include=AT_RISK_READS,
            postgresql_where=UNANSWERED,
            sqlite_where=UNANSWERED,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(64), unique=True)
    tracking_code: Mapped[str] = mapped_column(String(16), unique=True)
    procedure_code: Mapped[str] = mapped_column(String(64), index=True)
    procedure_name: Mapped[str] = mapped_column(String(500))
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_phone: Mapped[str] = mapped_column(String(32), default="")
    applicant_address: Mapped[str] = mapped_column(String(500), default="")
    department_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The appointment date (ngày hẹn trả): unknown until the centre accepts the dossier.
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    # Working-clock readings of received_at and due_at (see tracker.domain.calendar).
    received_clock: Mapped[int] = mapped_column(BigInteger)
    due_clock: Mapped[int | None] = mapped_column(BigInteger)
    # When its department first sent anything of it on (its result or the returned papers):
    # from then on the dossier is not at risk of the department's delay. Kept by the custody
    # legs (tracker/custody/legs.py) as items are dispatched, and when the department changes.
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # What search reads, kept by the listener below: codes, applicant and procedure folded to
    # lowercase ASCII ("nguyen thi anh" finds "Nguyễn Thị Ánh"), and the phone's digits.
    search_text: Mapped[str] = mapped_column(Text, default="")
    phone_digits: Mapped[str] = mapped_column(String(32), default="")

    department: Mapped[Unit] = relationship(lazy="joined")
    items: Mapped[list[Item]] = relationship(back_populates="dossier", order_by="Item.id")

    @property
    def reference(self) -> str:
        """The code people see: the mã hồ sơ once there is one, else the tracker's own."""
        return self.reference_of(self.code, self.tracking_code)

    @staticmethod
    def reference_of(code: str | None, tracking_code: str) -> str:
        return code or tracking_code

    @property
    def has_result(self) -> bool:
        """Its department has made the result packet (bì kết quả)."""
        return any(item.kind == ItemKind.RESULT.value for item in self.items)

    @property
    def awaits_result(self) -> bool:
        """Still open and no result packet made yet: its department may make one."""
        return self.status == "open" and not self.has_result


SEARCHED = ("code", "tracking_code", "applicant_name", "procedure_code", "procedure_name")


def search_columns(values: dict) -> dict:
    """What search reads, from a dossier's values: also for bulk inserts, which skip the listener."""
    return {
        "search_text": fold(" ".join(values[name] for name in SEARCHED if values.get(name))),
        "phone_digits": digits_of(values.get("applicant_phone") or ""),
    }


@event.listens_for(Dossier, "before_insert")
@event.listens_for(Dossier, "before_update")
def _refresh_search_columns(_mapper, _connection, dossier: Dossier) -> None:
    values = {name: getattr(dossier, name) for name in (*SEARCHED, "applicant_phone")}
    for name, value in search_columns(values).items():
        setattr(dossier, name, value)


class DossierRevision(db.Model):
    """One change to a dossier's recorded facts (mã hồ sơ, appointment date, ...): never updated."""

    __tablename__ = "dossier_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(String(500))
    new_value: Mapped[str | None] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(16))  # counter, centre, import, api
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Procedure(db.Model):
    """An administrative procedure of the catalogue (danh mục thủ tục hành chính)."""

    __tablename__ = "procedures"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)  # mã thủ tục, e.g. 1.001756
    name: Mapped[str] = mapped_column(String(500))
    department_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    processing_days: Mapped[int] = mapped_column(Integer)  # thời hạn giải quyết, in working days
    # Required papers (thành phần hồ sơ), in the order the procedure lists them.
    papers: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Code and name lowercased without diacritics: "ly lich" finds "Lý lịch".
    search_text: Mapped[str] = mapped_column(String(700), default="", server_default="")

    department: Mapped[Unit] = relationship(lazy="joined")
