from __future__ import annotations

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.domain.custody import UnitKind
from tracker.extensions import db


class Unit(db.Model):
    """An organisation or site that holds paper: a post office, the centre, a department."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def unit_kind(self) -> UnitKind:
        return UnitKind(self.kind)

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"
