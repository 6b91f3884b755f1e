"""Accounts administered by an admin, and each user's own password; every change is audited."""

from __future__ import annotations

import secrets
from typing import Any

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from tracker.audit.services import record_change
from tracker.auth.models import User
from tracker.auth.passwords import check_password_policy
from tracker.auth.services import (
    check_credentials,
    check_role_fits_unit,
    create_user,
    end_all_sessions,
    require_role,
)
from tracker.domain.custody import Role
from tracker.errors import Conflict, NotFound, Unauthorized, Unprocessable
from tracker.extensions import db
from tracker.units.models import Unit
from tracker.units.services import find_unit

AUDIT_TARGET = "user"


def account_snapshot(user: User) -> dict[str, Any]:
    """What the audit log shows of an account (never a password)."""
    return {"full_name": user.full_name, "role": user.role, "unit": user.unit.code, "active": user.active}


def find_user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFound(f"Không có người dùng {username}.", code="user_not_found", details={"username": username})
    return user


def users_query(unit: Unit | None = None, role: Role | None = None):
    """Everyone who can sign in, by username, optionally of one unit or one role."""
    statement = select(User).order_by(User.username)
    if unit is not None:
        statement = statement.where(User.unit_id == unit.id)
    if role is not None:
        statement = statement.where(User.role == role.value)
    return statement


def add_user(actor: User, username: str, full_name: str, password: str, role: Role, unit: Unit) -> User:
    """A new account (admin); its owner must replace the password the admin chose at first sign-in."""
    require_role(actor, Role.ADMIN)
    user = create_user(username, full_name, password, role, unit)
    user.must_change_password = True
    db.session.flush()
    record_change(actor, "create", AUDIT_TARGET, user.username, None, account_snapshot(user))
    return user


def update_user(actor: User, user: User, changes: dict[str, Any]) -> User:
    """Change name, role, unit or active (admin); disabling ends the user's sessions and tokens."""
    require_role(actor, Role.ADMIN)
    before = account_snapshot(user)
    role = Role(changes.get("role", user.role))
    unit = find_unit(changes["unit"]) if "unit" in changes else user.unit
    active = changes.get("active", user.active)
    if user.id == actor.id and (role != Role.ADMIN or not active):
        raise Conflict(
            "Không thể tự bỏ quyền quản trị hoặc tự khoá tài khoản của mình: nhờ một quản trị khác.",
            code="cannot_lock_yourself_out",
        )
    check_role_fits_unit(role, unit)
    user.full_name = changes.get("full_name", user.full_name)
    user.role, user.unit, user.active = role.value, unit, active
    if before["active"] and not active:
        end_all_sessions(user)
    after = account_snapshot(user)
    if after != before:
        action = {(True, False): "disable", (False, True): "enable"}.get((before["active"], active), "edit")
        record_change(actor, action, AUDIT_TARGET, user.username, before, after)
    return user


def reset_password(actor: User, user: User) -> str:
    """A one-time password the user must replace at their next sign-in (admin)."""
    require_role(actor, Role.ADMIN)
    return reset_password_to(actor, user)


def reset_password_to(actor: User | None, user: User) -> str:
    """The reset itself, also for the command line (actor None); every session and token ends."""
    one_time = secrets.token_urlsafe(9)
    user.set_password(one_time, current_app.config["PASSWORD_HASH_METHOD"])
    user.must_change_password = True
    end_all_sessions(user)
    record_change(actor, "reset_password", AUDIT_TARGET, user.username, None, {"must_change_password": True})
    return one_time


def change_own_password(user: User, current_password: str, new_password: str, address: str | None = None) -> None:
    """The user's new password; every session and token of theirs ends, this one included.

    The current password is checked as at sign-in, throttled the same way: a stolen session
    cannot be used to guess it.
    """
    try:
        check_credentials(user.username, current_password, address)
    except Unauthorized as error:
        message = gettext("The current password is not right.")
        raise Unprocessable(message, code="wrong_current_password", details={"current_password": [message]}) from error
    if new_password == current_password:
        message = gettext("The new password must differ from the current one.")
        raise Unprocessable(message, code="weak_password", details={"new_password": [message]})
    check_password_policy(user.username, new_password, "new_password")
    user.set_password(new_password, current_app.config["PASSWORD_HASH_METHOD"])
    user.must_change_password = False
    end_all_sessions(user)
