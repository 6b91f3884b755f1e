"""The password policy, the same for the API and the pages."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask_babel import gettext

from tracker.errors import Unprocessable

MIN_LENGTH = 10
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(username: str, password: str) -> str | None:
    """Why this password may not be used, in the reader's language, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return gettext("The password needs at least %(count)d characters.", count=MIN_LENGTH)
    if username.strip().lower() in password.lower():
        return gettext("The password may not contain the username.")
    if password.lower() in common_passwords():
        return gettext("This password is among the most common ones: choose another.")
    return None


def check_password_policy(username: str, password: str, field: str) -> None:
    """Refuse a password that breaks the policy, naming the form field it came from."""
    problem = password_problem(username, password)
    if problem is not None:
        raise Unprocessable(problem, code="weak_password", details={field: [problem]})
