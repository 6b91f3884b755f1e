from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db


class DossierPaper(db.Model):
    """One paper handed in with a dossier at the counter (thành phần hồ sơ), with its counts."""

    __tablename__ = "dossier_papers"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # the order the procedure lists them in
    name: Mapped[str] = mapped_column(String(500))
    originals: Mapped[int] = mapped_column(Integer)  # bản chính
    copies: Mapped[int] = mapped_column(Integer)  # bản sao
