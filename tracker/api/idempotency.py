"""Idempotency keys: a repeated request gets the first answer and writes nothing.

A key is the client's, scoped to its user and to the endpoint (or to scan-batch entries):
at most MAX_KEY_LENGTH visible ASCII characters. Keys are kept for the configured retention
(IDEMPOTENCY_RETENTION_DAYS, 30 days by default) and purged by `flask idempotency purge`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, text

from tracker.api.models import IdempotencyRecord
from tracker.database import utcnow
from tracker.errors import Unprocessable
from tracker.extensions import db

MAX_KEY_LENGTH = 128
KEY_PATTERN = rf"^[\x21-\x7e]{{1,{MAX_KEY_LENGTH}}}$"
KEY_RULE = f"1 to {MAX_KEY_LENGTH} visible ASCII characters (no spaces)"


def fingerprint(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class IdempotencyKey:
    """A client's key as it is stored: whose it is, where it was used, and the key itself."""

    user_id: int
    scope: str
    key: str

    def __post_init__(self) -> None:
        if not is_valid_key(self.key):
            raise Unprocessable(
                f"Khoá Idempotency-Key không hợp lệ: {KEY_RULE}.",
                details={"Idempotency-Key": [f"must be {KEY_RULE}"]},
            )

    def claim(self) -> None:
        """Serialise requests carrying the same key until the first has committed.

        PostgreSQL gets a transaction-scoped advisory lock on the key; SQLite transactions
        are already serialised by BEGIN IMMEDIATE.
        """
        if db.session.get_bind().dialect.name == "postgresql":
            lock = fingerprint(str(self.user_id), self.scope, self.key)
            db.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:lock, 0))"), {"lock": lock})


def is_valid_key(key: str) -> bool:
    return re.fullmatch(KEY_PATTERN, key) is not None


def previous_answer(key: IdempotencyKey, request_fingerprint: str) -> IdempotencyRecord | None:
    """The stored answer for key, or None; a key reused for a different request is refused."""
    key.claim()
    record = db.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == key.user_id,
            IdempotencyRecord.scope == key.scope,
            IdempotencyRecord.key == key.key,
        )
    )
    if record is not None and record.fingerprint != request_fingerprint:
        raise Unprocessable(
            "Khoá Idempotency-Key này đã được dùng cho một yêu cầu khác: tạo khoá mới cho mỗi thao tác.",
            code="idempotency_key_reused",
            details={"idempotency_key": key.key},
        )
    return record


def remember_answer(key: IdempotencyKey, request_fingerprint: str, status_code: int, body: str) -> None:
    db.session.add(
        IdempotencyRecord(
            user_id=key.user_id,
            scope=key.scope,
            key=key.key,
            fingerprint=request_fingerprint,
            status_code=status_code,
            body=body,
            created_at=utcnow(),
        )
    )


def purge_keys(older_than_days: int) -> int:
    """Forget keys stored more than older_than_days ago; how many were deleted (the caller commits)."""
    cutoff = utcnow() - timedelta(days=older_than_days)
    result = db.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff))
    return result.rowcount
