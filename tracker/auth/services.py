"""Signing in with a password, bearer tokens, and who may do what."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

from flask import current_app, g, request, session
from sqlalchemy import bindparam, delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.auth.holders import Entry, detached_copy, holders_of
from tracker.auth.models import ApiToken, User
from tracker.auth.passwords import check_password_policy
from tracker.auth.throttle import forget_failures, record_failure, refuse_if_throttled, throttle_keys
from tracker.database import held, utcnow
from tracker.domain.custody import OPERATIONAL_ROLE_UNIT_KIND, Role
from tracker.errors import Conflict, Forbidden, Unauthorized, Unprocessable
from tracker.extensions import csrf, db
from tracker.units.models import Unit

SESSION_USER_KEY = "user_id"
SESSION_VERSION_KEY = "session_version"
# What a user whose password was reset may still call: changing it, and signing out.
OPEN_UNTIL_PASSWORD_CHANGED = {"users.Me", "users.MyPassword", "sessions.SignOut"}
DEVICE_PREFERENCES = ("language",)


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@cache
def _dummy_password_hash(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def check_credentials(username: str, password: str, address: str | None = None) -> User:
    """The active user whose password matches, for a token or a page's session.

    Throttled per username and per client address. A password is always checked, against a
    dummy hash for an unknown or disabled user, so the answer's time tells nothing.
    """
    keys = throttle_keys(username, address)
    refuse_if_throttled(keys)
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    known_hash = user.password_hash if user is not None and user.active else None
    dummy_hash = _dummy_password_hash(current_app.config["PASSWORD_HASH_METHOD"])
    matches = check_password_hash(known_hash or dummy_hash, password)
    if known_hash is None or not matches:
        record_failure(keys)
        raise Unauthorized("Sai tên đăng nhập hoặc mật khẩu.", code="invalid_credentials")
    forget_failures(username)
    return user


def issue_token(username: str, password: str, address: str | None = None) -> tuple[str, datetime, User]:
    """A new bearer token for a user whose password matches."""
    user = check_credentials(username, password, address)
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    expires_at = now + timedelta(hours=current_app.config["TOKEN_LIFETIME_HOURS"])
    db.session.add(ApiToken(token_hash=_hash_token(raw), user=user, created_at=now, expires_at=expires_at))
    return raw, expires_at, user


# Built once: every API request that is not remembered runs it.
TOKEN_HOLDER = (
    select(ApiToken.id, ApiToken.expires_at, User)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.expires_at > bindparam("now"), User.active)
)


def token_holder(raw: str) -> tuple[int, User] | None:
    """The live token's id and its active user (with the unit): remembered, or in one statement;
    None for any other."""
    token_hash, now = _hash_token(raw), utcnow()
    holders = holders_of(db.engine, current_app.config["TOKEN_CACHE_SECONDS"])
    if holders is not None and (entry := holders.get(token_hash, now)) is not None:
        return entry.token_id, _in_session(entry.user)
    generation = holders.generation if holders is not None else None
    row = db.session.execute(TOKEN_HOLDER, {"token_hash": token_hash, "now": now}).one_or_none()
    if row is None:
        return None
    token_id, expires_at, user = row
    if holders is not None and holders.listening:
        holders.put(token_hash, Entry(token_id, expires_at, detached_copy(user), holders.kept_until()), generation)
    return token_id, user


def _in_session(remembered: User) -> User:
    """The request's own copy of a remembered user; one its session already holds is kept as it is."""
    own = held(db.session, User, remembered.id)
    return own if own is not None else db.session.merge(remembered, load=False)


def end_all_sessions(user: User) -> None:
    """Every page session and bearer token of the user stops working at their next request."""
    user.session_version += 1
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))


def renew_session(user: User | None) -> None:
    """A fresh signed session naming the user, or nobody (no fixation of an old one).

    The device's preferences (the page language) outlive signing in and out.
    """
    kept = {key: session[key] for key in DEVICE_PREFERENCES if key in session}
    session.clear()
    session.update(kept)
    if user is not None:
        session[SESSION_USER_KEY] = user.id
        session[SESSION_VERSION_KEY] = user.session_version


def session_user() -> User | None:
    """The user a page's signed session cookie names, if still active and not signed out since."""
    user_id = session.get(SESSION_USER_KEY)
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None or not user.active or session.get(SESSION_VERSION_KEY) != user.session_version:
        return None
    return user


def authenticate_request() -> None:
    """before_request of every protected blueprint: the bearer token names the acting user.

    The pages call the same API with their session cookie instead; a cookie is sent by the
    browser on its own, so those calls must also carry the page's CSRF token.
    """
    header = request.headers.get("Authorization", "")
    g.token_id = None
    if not header and (user := session_user()) is not None:
        csrf.protect()
    else:
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise Unauthorized("Cần đăng nhập: gửi Authorization: Bearer <token>.", code="missing_token")
        holder = token_holder(raw.strip())
        if holder is None:
            raise Unauthorized("Token không hợp lệ hoặc đã hết hạn: đăng nhập lại.", code="invalid_token")
        g.token_id, user = holder
    if user.must_change_password and request.endpoint not in OPEN_UNTIL_PASSWORD_CHANGED:
        raise Forbidden(
            "Mật khẩu do quản trị đặt lại: hãy đổi mật khẩu (POST /api/v1/users/me/password) trước khi làm việc khác.",
            code="password_change_required",
        )
    g.user = user


def current_user() -> User:
    return g.user


ROLE_NAMES = {
    Role.POSTAL_STAFF: "nhân viên bưu điện",
    Role.CENTRE_CLERK: "cán bộ Trung tâm",
    Role.DEPARTMENT_CLERK: "cán bộ sở, ngành",
    Role.SUPERVISOR: "người giám sát",
    Role.ADMIN: "quản trị",
}


def require_role(user: User, *roles: Role) -> None:
    if user.user_role not in roles:
        allowed = ", ".join(ROLE_NAMES[r] for r in roles)
        raise Forbidden(
            f"Thao tác này dành cho {allowed}; tài khoản của bạn là {ROLE_NAMES[user.user_role]}.",
            code="role_not_allowed",
            details={"role": user.role, "allowed_roles": [r.value for r in roles]},
        )


def require_handler(user: User) -> None:
    """Only people who physically handle paper move items: postal staff and clerks."""
    require_role(user, *OPERATIONAL_ROLE_UNIT_KIND)


def require_own_unit(user: User, unit: Unit, message: str) -> None:
    if user.unit_id != unit.id:
        raise Forbidden(message, code="outside_own_unit", details={"your_unit": user.unit.code, "unit": unit.code})


def check_role_fits_unit(role: Role, unit: Unit) -> None:
    """A handler's role must fit the kind of unit they work at."""
    expected_kind = OPERATIONAL_ROLE_UNIT_KIND.get(role)
    if expected_kind is not None and unit.unit_kind != expected_kind:
        raise Unprocessable(
            f"Vai trò {ROLE_NAMES[role]} phải thuộc đơn vị loại {expected_kind.value}.",
            code="role_unit_mismatch",
            details={"role": [f"needs a unit of kind {expected_kind.value}"]},
        )


def create_user(username: str, full_name: str, password: str, role: Role, unit: Unit) -> User:
    """A new user; a handler's role must fit the kind of unit they work at."""
    check_role_fits_unit(role, unit)
    check_password_policy(username, password, "password")
    if username == "me":  # /api/v1/users/me is the signed-in user
        raise Unprocessable("Tên đăng nhập me đã dành riêng.", code="username_reserved", details={"username": ["me"]})
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"Tên đăng nhập {username} đã có.", code="username_taken")
    user = User(username=username, full_name=full_name, role=role.value, unit=unit, active=True)
    user.set_password(password, current_app.config["PASSWORD_HASH_METHOD"])
    db.session.add(user)
    return user
