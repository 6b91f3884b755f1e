"""Dossiers from the one-stop system's export file: upload, a preview of every row, then import."""

from __future__ import annotations

from flask import g, render_template, request
from flask_babel import gettext

from tracker.errors import ApiError
from tracker.imports.batches import import_dossiers
from tracker.imports.reading import COLUMNS
from tracker.imports.services import IMPORTERS
from tracker.imports.uploads import allow_import_body, keep_upload, kept_upload
from tracker.web.shell import page_blueprint, signed_in

blp = page_blueprint("imports", __name__)


@blp.url_value_preprocessor
def allow_import_size(endpoint: str | None, _values: dict | None) -> None:
    if endpoint == "imports.preview":
        allow_import_body()


def upload_form(error: str | None = None, status: int = 200):
    return render_template("imports/upload.html", columns=COLUMNS, error=error), status


@blp.get("/imports")
@signed_in(*IMPORTERS)
def upload():
    return upload_form()


@blp.post("/imports")
@signed_in(*IMPORTERS)
def preview():
    """Every row checked and matched as the import would, and nothing written."""
    file = request.files.get("file")
    if file is None or not file.filename:
        return upload_form(gettext("Choose the file exported by the one-stop system (CSV or XLSX)."), 422)
    token = keep_upload(g.user, file.stream)
    kept = kept_upload(g.user, token)
    try:
        with open(kept, "rb") as stream:
            report = import_dossiers(g.user, stream, dry_run=True)
    except ApiError as error:
        kept.unlink(missing_ok=True)
        return upload_form(error.message, error.status)
    return render_template("imports/report.html", report=report, token=token, filename=file.filename)


@blp.post("/imports/apply")
@signed_in(*IMPORTERS)
def apply():
    """The previewed file imported; counter dossiers get their mã hồ sơ only if ticked."""
    path = kept_upload(g.user, request.form.get("token", ""))
    if path is None:
        return upload_form(gettext("The previewed file is no longer kept: choose it again."), 410)
    with open(path, "rb") as stream:
        report = import_dossiers(g.user, stream, confirm_matches=request.form.get("confirm_matches") == "1")
    path.unlink(missing_ok=True)
    return render_template("imports/report.html", report=report, filename=request.form.get("filename", ""))
