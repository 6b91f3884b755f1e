"""The procedure catalogue for admins: list, create, edit, and import a file after a preview."""

from __future__ import annotations

import base64
import binascii

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from marshmallow import ValidationError

from tracker.api.pagination import paginate
from tracker.api.transactions import use_case
from tracker.domain.custody import Role, UnitKind
from tracker.errors import ApiError
from tracker.extensions import db
from tracker.printing.blueprint import document
from tracker.procedures import services
from tracker.procedures.catalogue_import import apply_catalogue, check_catalogue, read_catalogue
from tracker.procedures.schemas import ProcedureSchema
from tracker.units.services import all_units
from tracker.web.shell import page_blueprint, signed_in

blp = page_blueprint("procedure_admin", __name__)

PER_PAGE = 50
FIELD_REFUSALS = {
    "code": lazy_gettext("Enter the procedure code: letters, digits, dots and dashes."),
    "name": lazy_gettext("Enter the procedure's name."),
    "department": lazy_gettext("Choose the department that handles this procedure."),
    "processing_days": lazy_gettext("Enter the processing time as a whole number of working days (0 to 365)."),
    "papers": lazy_gettext("Each paper must be at most 500 characters, at most 100 papers."),
}
SAMPLE_CSV = (
    "Mã thủ tục,Tên thủ tục,Cơ quan giải quyết,Thời hạn giải quyết (ngày làm việc),Thành phần hồ sơ\r\n"
    "2.001.008,Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam,STP,10,"
    '"Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp; Bản chụp Căn cước công dân"\r\n'
)
REFUSAL_FIELDS = {"procedure_exists": "code", "not_a_department": "department", "unit_not_found": "department"}


@blp.get("/admin/procedures")
@signed_in(Role.ADMIN)
def catalogue():
    query = request.args.get("q", "").strip()
    page = max(request.args.get("page", 1, type=int), 1)
    found = paginate(services.procedure_search(query), page, PER_PAGE)
    return render_template("administration/procedures.html", query=query, found=found)


def _form_values(procedure=None) -> dict:
    if request.method == "POST":
        return {
            key: request.form.get(key, "") for key in ("code", "name", "department", "processing_days", "papers")
        } | {"active": bool(request.form.get("active"))}
    if procedure is None:
        return {"code": "", "name": "", "department": "", "processing_days": "", "papers": "", "active": True}
    return {
        "code": procedure.code, "name": procedure.name, "department": procedure.department.code,
        "processing_days": procedure.processing_days, "papers": "\n".join(procedure.papers), "active": procedure.active,
    }  # fmt: skip


def _details(values: dict, code: str | None) -> services.ProcedureDetails:
    payload = {**values, "papers": [line for line in values["papers"].splitlines() if line.strip()]}
    if code is not None:
        payload["code"] = code
    return services.ProcedureDetails(**ProcedureSchema().load(payload))


@blp.route("/admin/procedures/new", methods=["GET", "POST"], endpoint="create")
@blp.route("/admin/procedures/<code>", methods=["GET", "POST"], endpoint="edit")
@signed_in(Role.ADMIN)
@use_case
def edit(code: str | None = None):
    procedure = services.find_procedure(code) if code else None
    values, errors = _form_values(procedure), {}
    if request.method == "POST":
        try:
            saved = _save(values, code)
        except ValidationError as error:
            errors = {name: FIELD_REFUSALS.get(name, gettext("Check this field.")) for name in error.messages}
        except ApiError as error:
            db.session.rollback()
            errors = {REFUSAL_FIELDS.get(error.code, "code"): error.message}
        else:
            return redirect(url_for("procedure_admin.catalogue", q=saved, saved=1))
    departments = [unit for unit in all_units() if unit.unit_kind == UnitKind.DEPARTMENT]
    status = 422 if errors else 200
    return render_template(
        "administration/procedure_form.html", procedure=procedure, values=values, errors=errors,
        departments=departments,
    ), status  # fmt: skip


def _save(values: dict, code: str | None) -> str:
    details = _details(values, code)
    if code is None:
        return services.create_procedure(g.user, details).code
    return services.update_procedure(g.user, code, details).code


@blp.get("/admin/procedures/sample.csv")
@signed_in(Role.ADMIN)
def sample():
    """A file with the expected columns and one row, to fill in or compare with an export."""
    return document(SAMPLE_CSV.encode("utf-8-sig"), "text/csv", "danh-muc-thu-tuc-mau.csv", inline=False)


@blp.post("/admin/procedures/import")
@signed_in(Role.ADMIN)
def preview_import():
    """Every row checked and shown with its errors; nothing is written until confirmed."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _import_page(error=gettext("Choose a CSV or XLSX file to import.")), 422
    content = upload.read()
    return _import_page(filename=upload.filename, content=content)


@blp.post("/admin/procedures/import/confirm")
@signed_in(Role.ADMIN)
@use_case
def confirm_import():
    try:
        content = base64.b64decode(request.form.get("content", ""), validate=True)
    except binascii.Error:
        return _import_page(error=gettext("The file was damaged on the way: choose it again.")), 422
    filename = request.form.get("filename", "")
    try:
        summary = apply_catalogue(check_catalogue(read_catalogue(filename, content)), actor=g.user)
    except ApiError as error:
        db.session.rollback()
        return _import_page(filename=filename, content=content, error=error.message), 422
    return redirect(url_for("procedure_admin.catalogue", imported=summary.created + summary.updated))


def _import_page(filename: str = "", content: bytes = b"", error: str | None = None) -> str:
    checks = []
    if content and error is None:
        try:
            checks = check_catalogue(read_catalogue(filename, content))
        except ApiError as refusal:
            error = refusal.message
    return render_template(
        "administration/procedures_import.html", filename=filename, checks=checks, error=error,
        content=base64.b64encode(content).decode(), has_errors=any(check.errors for check in checks),
    )  # fmt: skip
