"""Files uploaded on the import page, kept between the preview and "Import" (Nhập).

Each is stored under the instance folder with a random token and the uploader's id in its
name, so only the person who previewed a file can import it; a day later it is removed.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path
from typing import IO

from flask import current_app, request

from tracker.auth.models import User

KEPT_SECONDS = 24 * 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def allow_import_body() -> None:
    """An export file may be larger than any other body: IMPORT_MAX_CONTENT_LENGTH for this request.

    Call it while the URL is resolved (a url_value_preprocessor), before any before_request
    reads the form: CSRF protection does.
    """
    request.max_content_length = current_app.config["IMPORT_MAX_CONTENT_LENGTH"]


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_upload(user: User, stream: IO[bytes]) -> str:
    """Store an uploaded file for its uploader; the token that names it."""
    _forget_old_uploads()
    token = secrets.token_urlsafe(32)
    with open(_folder() / f"{user.id}-{token}", "wb") as kept:
        while chunk := stream.read(1 << 20):
            kept.write(chunk)
    return token


def kept_upload(user: User, token: str) -> Path | None:
    """The file this user uploaded under this token, if it is still kept."""
    if not TOKEN.match(token or ""):
        return None
    path = _folder() / f"{user.id}-{token}"
    return path if path.exists() else None


def _forget_old_uploads() -> None:
    limit = time.time() - KEPT_SECONDS
    for path in _folder().iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
