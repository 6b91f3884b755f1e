"""The one place that reads configuration from the environment."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


def default_sqlite_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "tracker.sqlite3")


def config_from_environment(instance_path: str) -> dict:
    """Settings read from environment variables, with safe defaults for a local install."""
    return {
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL") or default_sqlite_url(instance_path),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "dev-only-change-me"),
        "TRACKER_TIMEZONE": os.environ.get("TRACKER_TIMEZONE", DEFAULT_TIMEZONE),
        # Office hours of the working calendar, in the province's time zone.
        "TRACKER_OFFICE_HOURS": os.environ.get("TRACKER_OFFICE_HOURS", "07:30-11:30,13:00-17:00"),
        # A dossier is at risk when its result has not left the department this close to due_at.
        "AT_RISK_WORKING_HOURS": float(os.environ.get("AT_RISK_WORKING_HOURS", "16")),
        "TOKEN_LIFETIME_HOURS": int(os.environ.get("TOKEN_LIFETIME_HOURS", "12")),
        # werkzeug's scrypt by default; tests lower the cost, never production.
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        # The pages' session cookie: never sent by another site's forms, never read by scripts.
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "") == "1",
        # The one-stop system's export files may be larger than any other request body.
        "IMPORT_MAX_BYTES": int(os.environ.get("IMPORT_MAX_BYTES", str(20 * 1024 * 1024))),
        # Items, transfers, dossiers and units are named by URIs under this base in EPCIS exports.
        "EPCIS_BASE_URI": os.environ.get("EPCIS_BASE_URI", "https://tracker.example.gov.vn/id/"),
    }
