"""Importing the one-stop system's export through the API and the CLI, on real databases."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime

from sqlalchemy import func, select

from tests.imports.exports import dossier_code, export_rows, refused_among, write_csv, write_xlsx
from tracker.dossiers.models import Dossier, DossierRevision
from tracker.extensions import db
from tracker.outbox.models import OutboxEvent


def dossier_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Dossier))


def registered_events() -> list[dict]:
    """The dossier.registered events in the outbox, oldest first."""
    statement = select(OutboxEvent.payload).where(OutboxEvent.type == "dossier.registered").order_by(OutboxEvent.id)
    return list(db.session.scalars(statement))


def test_ten_thousand_rows_are_counted_exactly_and_a_second_import_changes_nothing(upload, tmp_path):
    path = write_csv(tmp_path / "mot-cua.csv", export_rows(10_000))
    bad = refused_among(10_000)

    first = upload(path)
    assert first.status_code == 200, first.json
    assert first.json["rows"] == 10_000
    assert first.json["counts"] == {
        "created": 10_000 - bad, "updated": 0, "unchanged": 0, "matched": 0, "awaiting_confirmation": 0,
        "refused": bad,
    }  # fmt: skip
    refusals = first.json["refusals"]
    assert len(refusals) == bad
    # Line 1 is the header: dossier number n is on line n + 1.
    assert refusals[0] == {
        "row": 51,
        "code": dossier_code(50),
        "reasons": {"received_at": "Ngày tiếp nhận '31/02/2026 08:00' không đúng dạng dd/mm/yyyy hh:mm, "
                    "dd/mm/yyyy hoặc ISO 8601."},
    }  # fmt: skip
    assert refusals[1]["reasons"] == {"department": "Không có đơn vị 'Sở Không Có': ghi mã hoặc đúng tên đơn vị."}
    assert refusals[2]["reasons"] == {"due_at": "Ngày hẹn trả trước ngày tiếp nhận."}
    assert refusals[4]["reasons"] == {"applicant_name": "Thiếu chủ hồ sơ."}
    assert dossier_count() == 10_000 - bad
    # Each new dossier is announced to webhook subscribers, as one registered through the API is.
    announced = registered_events()
    assert len(announced) == 10_000 - bad and len({event["id"] for event in announced}) == 10_000 - bad
    first_dossier = db.session.scalar(select(Dossier).where(Dossier.code == dossier_code(1)))
    assert announced[0]["data"] == {
        "dossier": first_dossier.code, "tracking_code": first_dossier.tracking_code,
        "procedure_code": first_dossier.procedure_code, "department": first_dossier.department.code,
        "due_at": first_dossier.due_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }  # fmt: skip

    second = upload(path)
    assert second.json["counts"]["unchanged"] == 10_000 - bad
    assert second.json["counts"]["created"] == second.json["counts"]["updated"] == 0
    assert dossier_count() == 10_000 - bad
    assert db.session.scalar(select(func.count()).select_from(DossierRevision)) == 0
    assert len(registered_events()) == 10_000 - bad  # nothing new, nothing announced again


def test_a_dry_run_writes_nothing(upload, tmp_path):
    path = write_csv(tmp_path / "thu.csv", export_rows(600))
    answer = upload(path, dry_run=True)
    assert answer.status_code == 200
    assert answer.json["dry_run"] is True
    assert answer.json["counts"]["created"] == 600 - refused_among(600)
    assert dossier_count() == 0 and registered_events() == []


def test_a_changed_appointment_date_is_updated_and_kept_as_a_revision(upload, admin, tmp_path):
    upload(write_csv(tmp_path / "lan-1.csv", export_rows(120)))
    changed = upload(write_xlsx(tmp_path / "lan-2.xlsx", export_rows(120, due_shift_days=3)))
    assert changed.status_code == 200, changed.json
    assert changed.json["counts"]["updated"] == 120 - refused_among(120)
    assert changed.json["counts"]["unchanged"] == 0

    dossier = admin.ok(admin.get(f"/api/v1/dossiers/{dossier_code(7)}"))
    assert dossier["due_at"] == "2026-11-15T17:00:00+07:00"
    revision = db.session.scalars(select(DossierRevision).join(Dossier).where(Dossier.code == dossier_code(7))).one()
    assert (revision.field, revision.source) == ("due_at", "import")
    assert datetime.fromisoformat(revision.old_value) == datetime.fromisoformat("2026-11-12T17:00:00+07:00")
    assert datetime.fromisoformat(revision.new_value) == datetime.fromisoformat("2026-11-15T17:00:00+07:00")


def test_headers_without_diacritics_semicolons_no_bom_and_iso_dates(upload, admin, tmp_path):
    path = tmp_path / "khong-dau.csv"
    path.write_text(
        "MA HO SO;ma thu tuc;Ten thu tuc;CHU HO SO;So dien thoai;Dia chi;Ngay tiep nhan;Ngay hen tra;"
        "Co quan giai quyet\n"
        "H40.1-2026-0001;2.001.008;Cấp Phiếu lý lịch tư pháp;Võ Thị Sáu;0912.345.678;Vinh;"
        "2026-11-02T08:15:00+07:00;2026-11-16;stp\n",
        encoding="utf-8",
    )
    answer = upload(path)
    assert answer.json["counts"]["created"] == 1, answer.json
    dossier = admin.ok(admin.get("/api/v1/dossiers/H40.1-2026-0001"))
    assert dossier["department"] == "STP"
    assert dossier["received_at"] == "2026-11-02T08:15:00+07:00"
    assert dossier["due_at"] == "2026-11-16T17:00:00+07:00"
    assert dossier["applicant_phone"] == "0912.345.678"
    found = admin.ok(admin.get("/api/v1/dossiers", query_string={"q": "vo thi sau"}))["items"]
    assert [d["code"] for d in found] == ["H40.1-2026-0001"], "an imported dossier is found as people type"
    by_phone = admin.ok(admin.get("/api/v1/dossiers", query_string={"q": "0912345678"}))["items"]
    assert [d["code"] for d in by_phone] == ["H40.1-2026-0001"]


def test_a_file_without_the_required_columns_is_refused_whole(upload, tmp_path):
    path = tmp_path / "sai.csv"
    path.write_text("Mã hồ sơ,Họ tên\nA-1,Nguyễn Văn A\n", encoding="utf-8")
    answer = upload(path)
    assert answer.status_code == 422
    assert answer.json["error"]["code"] == "missing_columns"
    assert answer.json["error"]["details"]["columns"] == ["Mã thủ tục", "Chủ hồ sơ", "Ngày tiếp nhận"]


def test_only_admins_and_centre_clerks_import(upload, as_user, tmp_path):
    path = write_csv(tmp_path / "a.csv", export_rows(3))
    assert upload(path, client=as_user("centre1")).status_code == 200
    refused = upload(path, client=as_user("post1"))
    assert refused.status_code == 403 and refused.json["error"]["code"] == "role_not_allowed"


def test_an_import_may_be_larger_than_other_bodies_up_to_its_own_limit(app, upload, tmp_path):
    path = write_csv(tmp_path / "lon.csv", export_rows(200))
    app.config["MAX_CONTENT_LENGTH"] = 1024
    assert upload(path).status_code == 200
    app.config["IMPORT_MAX_CONTENT_LENGTH"] = 4096
    too_large = upload(path)
    assert too_large.status_code == 413
    assert too_large.json["error"]["code"] == "payload_too_large"


def test_the_cli_imports_with_a_progress_bar(runner, world, tmp_path):
    path = write_csv(tmp_path / "cli.csv", export_rows(120), delimiter=";")
    dry = runner.invoke(args=["dossiers", "import", str(path), "--dry-run", "--as", "centre1"])
    assert dry.exit_code == 1, dry.output  # some rows are refused
    assert "Chạy thử (không ghi gì): 120 dòng." in dry.output
    assert "tạo mới: 118" in dry.output
    assert dossier_count() == 0
    done = runner.invoke(args=["dossiers", "import", str(path)])
    assert "tạo mới: 118" in done.output and "Nhập hồ sơ" in done.output
    assert "dòng 51: Ngày tiếp nhận '31/02/2026 08:00'" in done.output
    assert dossier_count() == 118


def test_a_file_not_in_utf8_is_refused_before_anything_is_written(upload, tmp_path):
    path = write_csv(tmp_path / "utf8.csv", export_rows(600))
    with open(path, "ab") as stream:
        stream.write("601,X-601,2.001.008,Cấp phiếu,Lê Tám,,,02/11/2026,,STP\n".encode("cp1258", "replace"))
    answer = upload(path)
    assert answer.status_code == 422 and answer.json["error"]["code"] == "not_utf8"
    assert dossier_count() == 0


def test_a_damaged_csv_is_refused_with_its_line(upload, tmp_path):
    path = tmp_path / "hong.csv"
    unterminated = 'A-2,1.1,"An' + "x" * 200_000  # a quote never closed runs past the field limit
    path.write_bytes(f"Mã hồ sơ,Mã thủ tục,Chủ hồ sơ,Ngày tiếp nhận\nA-1,1.1,An,02/11/2026\n{unterminated}\n".encode())
    answer = upload(path)
    assert answer.status_code == 422
    assert answer.json["error"]["code"] == "unreadable_csv" and answer.json["error"]["details"] == {"line": 3}


def test_a_zip_that_is_not_a_workbook_is_refused(upload, tmp_path):
    path = tmp_path / "khong-phai.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "không phải bảng tính")
    answer = upload(path)
    assert answer.status_code == 422 and answer.json["error"]["code"] == "unreadable_xlsx"
