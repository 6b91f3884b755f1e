"""A whole export file imported: rows streamed, checked one by one, written in batches.

Memory stays flat whatever the file's length: rows are read as a stream and only one batch
is held at a time. A bad row is refused alone and never stops the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import IO

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from tracker.auth.models import User
from tracker.auth.services import require_role
from tracker.dossiers.models import Dossier
from tracker.errors import ApiError
from tracker.extensions import db
from tracker.imports.reading import SourceRow, read_rows
from tracker.imports.rows import ImportedDossier, RowRefused
from tracker.imports.services import (
    IMPORTERS,
    Outcome,
    Upsert,
    insert_dossiers,
    recorded_dossiers,
    row_reader,
    upsert_dossier,
)

BATCH_ROWS = 500  # committed together: a crash loses at most one batch, and a re-import resumes
MAX_LISTED = 1000  # refusals and matches listed in one answer; all are counted
RACE_REASON = "Hồ sơ vừa được ghi bởi thao tác khác: nhập lại dòng này."


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do), row by row where it matters."""

    dry_run: bool
    rows: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys([*Outcome, "refused"], 0))
    refusals: list[dict] = field(default_factory=list)
    matches: list[dict] = field(default_factory=list)

    def refuse(self, number: int, code: str, reasons: dict[str, str]) -> None:
        self.counts["refused"] += 1
        if len(self.refusals) < MAX_LISTED:
            self.refusals.append({"row": number, "code": code or None, "reasons": reasons})

    def record(self, number: int, code: str, upsert: Upsert) -> None:
        self.counts[upsert.outcome] += 1
        if upsert.rule and len(self.matches) < MAX_LISTED:
            dossier = upsert.dossier
            self.matches.append(
                {
                    "row": number, "code": code, "tracking_code": dossier.tracking_code, "rule": upsert.rule,
                    "applicant_name": dossier.applicant_name, "received_at": dossier.received_at,
                    "confirmed": upsert.outcome == Outcome.MATCHED,
                }
            )  # fmt: skip


def import_dossiers(
    user: User,
    stream: IO[bytes],
    *,
    dry_run: bool = False,
    confirm_matches: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Upsert every row of a one-stop export (CSV or XLSX), committing batch by batch.

    A dry run does the same work and rolls it all back, so its counts are exactly what the
    import would do.
    """
    require_role(user, *IMPORTERS)
    importer = _Importer(user, ImportReport(dry_run=dry_run), confirm_matches)
    try:
        for batch in batched(read_rows(stream), BATCH_ROWS):
            importer.apply(batch)
            if not dry_run:
                db.session.commit()
            if progress:
                progress(len(batch))
    finally:
        if dry_run:
            db.session.rollback()
    importer.report.refusals.sort(key=lambda refusal: refusal["row"])
    return importer.report


def count_rows(stream: IO[bytes]) -> int:
    """How many data rows a file has (for a progress bar), read without keeping them."""
    total = sum(1 for _ in read_rows(stream))
    stream.seek(0)
    return total


def batched(rows: Iterator[SourceRow], size: int) -> Iterator[tuple[SourceRow, ...]]:
    while batch := tuple(islice(rows, size)):
        yield batch


class _Importer:
    """One import's state: the rows' reader (units and procedures read once) and the report."""

    def __init__(self, user: User, report: ImportReport, confirm_matches: bool):
        self.user = user
        self.report = report
        self.confirm_matches = confirm_matches
        self.reader = row_reader()
        # Rows are matched against counter dossiers only if there are any (no mã hồ sơ yet).
        self.match_counter = bool(db.session.scalar(select(exists().where(Dossier.code.is_(None)))))

    def apply(self, batch: tuple[SourceRow, ...]) -> None:
        """Check each row, then write the good ones together. A file naming a code twice in
        one batch, or another writer taking a code meanwhile, has them written one by one."""
        checked = []
        for row in batch:
            self.report.rows += 1
            try:
                checked.append((row.number, self.reader.read(row.cells)))
            except RowRefused as refusal:
                self.report.refuse(row.number, str(row.cells.get("code") or "").strip(), refusal.reasons)
        codes = [imported.details.code for _, imported in checked]
        outcomes = self._together(checked) if len(set(codes)) == len(codes) else None
        for number, imported, outcome in outcomes or self._one_by_one(checked):
            if isinstance(outcome, Upsert):
                self.report.record(number, imported.details.code, outcome)
            else:
                self.report.refuse(number, imported.details.code, outcome)

    def _together(self, checked: list[tuple[int, ImportedDossier]]) -> list | None:
        recorded = recorded_dossiers([imported.details.code for _, imported in checked])
        savepoint = db.session.begin_nested()
        try:
            outcomes = [(number, imported, self._upsert(imported, recorded)) for number, imported in checked]
            insert_dossiers([o.created for _, _, o in outcomes if isinstance(o, Upsert) and o.created])
            db.session.flush()
        except (IntegrityError, ApiError):
            savepoint.rollback()
            return None
        savepoint.commit()
        return outcomes

    def _one_by_one(self, checked: list[tuple[int, ImportedDossier]]) -> list:
        outcomes = []
        for number, imported in checked:
            savepoint = db.session.begin_nested()
            try:
                outcome = self._upsert(imported, recorded_dossiers([imported.details.code]))
                if isinstance(outcome, Upsert):
                    insert_dossiers([outcome.created] if outcome.created else [])
                db.session.flush()
            except (IntegrityError, ApiError) as error:
                savepoint.rollback()
                outcome = {"code": RACE_REASON} if isinstance(error, IntegrityError) else {"row": error.message}
            else:
                savepoint.commit()
            outcomes.append((number, imported, outcome))
        return outcomes

    def _upsert(self, imported: ImportedDossier, recorded: dict[str, Dossier]) -> Upsert | dict[str, str]:
        """The row's upsert, or its refusal's reasons (a refusal comes before any write)."""
        try:
            return upsert_dossier(
                self.user,
                imported,
                recorded.get(imported.details.code),
                confirm_matches=self.confirm_matches,
                match_counter=self.match_counter,
            )
        except RowRefused as refusal:
            return refusal.reasons
