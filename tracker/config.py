"""The one place that reads configuration from the environment."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
# Good only for debugging and tests: the app refuses to serve with it.
DEVELOPMENT_SECRET_KEY = "dev-only-change-me"
SECRET_KEY_FILE = "secret_key"


def default_sqlite_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "tracker.sqlite3")


def secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else the key `make run` wrote under instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = Path(instance_path) / SECRET_KEY_FILE
    if key_file.is_file() and (key := key_file.read_text().strip()):
        return key
    return DEVELOPMENT_SECRET_KEY


def config_from_environment(instance_path: str) -> dict:
    """Settings read from environment variables, with safe defaults for a local install."""
    return {
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL") or default_sqlite_url(instance_path),
        "SECRET_KEY": secret_key(instance_path),
        "TRACKER_TIMEZONE": os.environ.get("TRACKER_TIMEZONE", DEFAULT_TIMEZONE),
        # Office hours of the working calendar, in the province's time zone.
        "TRACKER_OFFICE_HOURS": os.environ.get("TRACKER_OFFICE_HOURS", "07:30-11:30,13:00-17:00"),
        # A dossier is at risk when its result has not left the department this close to due_at.
        "AT_RISK_WORKING_HOURS": float(os.environ.get("AT_RISK_WORKING_HOURS", "16")),
        # Request bodies larger than this are refused with 413; paths ending in /import may send more.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024))),
        "IMPORT_MAX_CONTENT_LENGTH": int(os.environ.get("IMPORT_MAX_CONTENT_LENGTH", str(20 * 1024 * 1024))),
        # How long idempotency keys are kept: an offline scanner may come back after days.
        "IDEMPOTENCY_RETENTION_DAYS": int(os.environ.get("IDEMPOTENCY_RETENTION_DAYS", "30")),
        # The address citizens open from the receipt's QR code, e.g. https://tracuu.nghean.gov.vn;
        # empty: the address the counter's page was served from.
        "TRACKER_PUBLIC_URL": os.environ.get("TRACKER_PUBLIC_URL", "").rstrip("/"),
        # After this many failed deliveries a packet is flagged to go back to the centre.
        "DELIVERY_MAX_ATTEMPTS": int(os.environ.get("DELIVERY_MAX_ATTEMPTS", "3")),
        # A dossier search counts its matches exactly up to this many; past it, "more than" (narrow it).
        "SEARCH_TOTAL_COUNTED_UP_TO": int(os.environ.get("SEARCH_TOTAL_COUNTED_UP_TO", "1000")),
        # Delays of each kind are counted exactly up to this many; past it, "more than" (a filter narrows them).
        "DELAYS_COUNTED_UP_TO": int(os.environ.get("DELAYS_COUNTED_UP_TO", "1000")),
        "TOKEN_LIFETIME_HOURS": int(os.environ.get("TOKEN_LIFETIME_HOURS", "12")),
        # On PostgreSQL a process remembers who holds a token for at most this long, forgetting at
        # once on any change (tracker/auth/holders.py); 0 reads the database on every request.
        "TOKEN_CACHE_SECONDS": int(os.environ.get("TOKEN_CACHE_SECONDS", "60")),
        # werkzeug's scrypt by default; tests lower the cost, never production.
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        # Wrong passwords allowed before each further try must wait, doubling from the delay.
        "SIGN_IN_FAILURES_PER_USERNAME": int(os.environ.get("SIGN_IN_FAILURES_PER_USERNAME", "5")),
        "SIGN_IN_FAILURES_PER_ADDRESS": int(os.environ.get("SIGN_IN_FAILURES_PER_ADDRESS", "20")),
        "SIGN_IN_DELAY_SECONDS": int(os.environ.get("SIGN_IN_DELAY_SECONDS", "30")),
        "SIGN_IN_MAX_DELAY_SECONDS": int(os.environ.get("SIGN_IN_MAX_DELAY_SECONDS", "3600")),
        # The pages' session cookie: never sent by another site's forms, never read by scripts.
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "") == "1",
        # Mail: smtp://user:pass@host:port, smtps://..., or ?starttls=1; nothing is sent when empty.
        "SMTP_URL": os.environ.get("SMTP_URL", ""),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Theo dõi hồ sơ <no-reply@localhost>"),
        "MAIL_DIGEST_HOUR": int(os.environ.get("MAIL_DIGEST_HOUR", "7")),  # local time of the daily digest
        # Where the pages are reached from outside: links in mail are built on it.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        # Items, transfers, dossiers and units are named by URIs under this base in EPCIS exports.
        "EPCIS_BASE_URI": os.environ.get("EPCIS_BASE_URI", "https://tracker.example.gov.vn/id/"),
    }
