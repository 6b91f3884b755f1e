"""Idempotency keys: a repeated request gets the first answer and writes nothing."""

from __future__ import annotations

import hashlib

from sqlalchemy import select, text

from tracker.api.models import IdempotencyRecord
from tracker.database import utcnow
from tracker.errors import Unprocessable
from tracker.extensions import db


def fingerprint(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def claim_key(key: str) -> None:
    """Serialise requests carrying the same key until the first has committed.

    PostgreSQL gets a transaction-scoped advisory lock on the key; SQLite transactions
    are already serialised by BEGIN IMMEDIATE.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})


def previous_answer(key: str, request_fingerprint: str) -> IdempotencyRecord | None:
    """The stored answer for key, or None; a key reused for a different request is refused."""
    claim_key(key)
    record = db.session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == key))
    if record is not None and record.fingerprint != request_fingerprint:
        raise Unprocessable(
            "Khoá Idempotency-Key này đã được dùng cho một yêu cầu khác: tạo khoá mới cho mỗi thao tác.",
            code="idempotency_key_reused",
            details={"idempotency_key": key},
        )
    return record


def remember_answer(key: str, user_id: int, request_fingerprint: str, status_code: int, body: str) -> None:
    db.session.add(
        IdempotencyRecord(
            key=key,
            user_id=user_id,
            fingerprint=request_fingerprint,
            status_code=status_code,
            body=body,
            created_at=utcnow(),
        )
    )
