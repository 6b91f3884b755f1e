"""SMTP_URL read once per send: smtp://user:pass@host:port, smtps://... (TLS), ?starttls=1."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

SMTP_TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    use_ssl: bool
    starttls: bool
    username: str | None
    password: str | None

    @classmethod
    def from_url(cls, url: str) -> SmtpSettings:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError(f"SMTP_URL must start with smtp:// or smtps://, not {parts.scheme}://")
        use_ssl = parts.scheme == "smtps"
        return cls(
            host=parts.hostname or "localhost",
            port=parts.port or (465 if use_ssl else 25),
            use_ssl=use_ssl,
            starttls=parse_qs(parts.query).get("starttls", ["0"])[0] in ("1", "true", "yes"),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


def send_message(settings: SmtpSettings, message: EmailMessage) -> None:
    """Send one message on a fresh connection; raises smtplib/OS errors for the caller to retry."""
    connection_class = smtplib.SMTP_SSL if settings.use_ssl else smtplib.SMTP
    with connection_class(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS) as connection:
        if settings.starttls:
            connection.starttls()
        if settings.username:
            connection.login(settings.username, settings.password or "")
        connection.send_message(message)
