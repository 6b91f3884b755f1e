"""Sign-in throttling: wrong passwords counted per username and per client address.

The failures live in a database table, so every gunicorn worker (and every server sharing
the database) counts the same ones; no extra server is needed.
"""

from __future__ import annotations

import math
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from tracker.auth.models import SignInFailure
from tracker.database import utcnow
from tracker.errors import TooManyRequests
from tracker.extensions import db

# Failures older than this are forgotten (and purged).
FAILURE_MEMORY = timedelta(hours=24)


def throttle_keys(username: str, address: str | None) -> dict[str, int]:
    """Each key a sign-in is counted against, with the failures it may have before waiting."""
    config = current_app.config
    keys = {f"user:{username.strip().lower()}"[:200]: config["SIGN_IN_FAILURES_PER_USERNAME"]}
    if address:
        keys[f"address:{address}"[:200]] = config["SIGN_IN_FAILURES_PER_ADDRESS"]
    return keys


def _seconds_to_wait(key: str, allowed: int) -> int:
    """0, or how long this key must still wait: the delay doubles with each failure past allowed."""
    now = utcnow()
    count, last = db.session.execute(
        select(func.count(), func.max(SignInFailure.failed_at)).where(
            SignInFailure.key == key, SignInFailure.failed_at > now - FAILURE_MEMORY
        )
    ).one()
    if count < allowed or last is None:
        return 0
    base = current_app.config["SIGN_IN_DELAY_SECONDS"]
    delay = min(base * 2 ** min(count - allowed, 20), current_app.config["SIGN_IN_MAX_DELAY_SECONDS"])
    return max(0, math.ceil((last + timedelta(seconds=delay) - now).total_seconds()))


def refuse_if_throttled(keys: dict[str, int]) -> None:
    """429 with Retry-After while any key has failed too often, before the password is looked at."""
    wait = max(_seconds_to_wait(key, allowed) for key, allowed in keys.items())
    if wait:
        raise TooManyRequests(
            f"Đăng nhập sai quá nhiều lần: hãy thử lại sau {wait} giây.", retry_after=wait, code="too_many_attempts"
        )


def record_failure(keys: dict[str, int]) -> None:
    """Count one failure against each key, in its own committed transaction (the sign-in is
    refused, but the failure must stay counted); failures past the memory are purged."""
    db.session.rollback()
    now = utcnow()
    db.session.execute(delete(SignInFailure).where(SignInFailure.failed_at <= now - FAILURE_MEMORY))
    db.session.add_all(SignInFailure(key=key, failed_at=now) for key in keys)
    db.session.commit()


def forget_failures(username: str) -> None:
    """A right password clears the username's failures (not the address's: others may share it)."""
    keys = [key for key in throttle_keys(username, None)]
    db.session.execute(delete(SignInFailure).where(SignInFailure.key.in_(keys)))
