"""Importing the catalogue from CSV and XLSX with `flask procedures import`: all rows or none."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import func, select

from tracker.dossiers.models import Procedure
from tracker.extensions import db

HEADER = "Mã thủ tục,Tên thủ tục,Cơ quan giải quyết,Thời hạn giải quyết (ngày làm việc),Thành phần hồ sơ\n"
GOOD = (
    '2.001.008,Cấp Phiếu lý lịch tư pháp,STP,10,"Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp; Bản chụp CCCD"\n'
    '1.002.804,Đổi giấy phép lái xe,CA,5,"Đơn đề nghị\nGiấy phép lái xe đang sử dụng"\n'
)
BAD = "2.001.010,Cấp Phiếu số 2,BC-VINH,mười,Tờ khai\n,Không mã,STP,3,\n2.001.008,Trùng mã,STP,3,\n"


def procedures() -> dict[str, Procedure]:
    db.session.expire_all()
    return {p.code: p for p in db.session.scalars(select(Procedure))}


def test_a_good_csv_is_imported_with_its_papers(runner, world, tmp_path):
    source = tmp_path / "thu-tuc.csv"
    source.write_text(HEADER + GOOD, encoding="utf-8-sig")
    result = runner.invoke(args=["procedures", "import", str(source)])
    assert result.exit_code == 0, result.output
    assert "2 thêm mới, 0 cập nhật" in result.output
    catalogue = procedures()
    assert catalogue["2.001.008"].papers == ["Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Bản chụp CCCD"]
    assert catalogue["1.002.804"].papers == ["Đơn đề nghị", "Giấy phép lái xe đang sử dụng"]
    assert catalogue["1.002.804"].department.code == "CA" and catalogue["1.002.804"].processing_days == 5
    source.write_text(HEADER + GOOD.replace(",10,", ",7,"), encoding="utf-8")
    result = runner.invoke(args=["procedures", "import", str(source)])
    assert "0 thêm mới, 2 cập nhật" in result.output
    assert procedures()["2.001.008"].processing_days == 7


def test_bad_rows_are_each_named_and_nothing_is_written(runner, world, tmp_path):
    source = tmp_path / "thu-tuc.csv"
    source.write_text(HEADER + GOOD + BAD, encoding="utf-8")
    result = runner.invoke(args=["procedures", "import", str(source)])
    assert result.exit_code != 0
    assert "Dòng 4:" in result.output and "BC-VINH" in result.output and "mười" in result.output
    assert "Dòng 5: Mã thủ tục trống" in result.output
    assert "Dòng 6: Mã thủ tục 2.001.008 trùng với dòng 2" in result.output
    assert "3/5 dòng có lỗi" in result.output
    assert procedures() == {}


def test_dry_run_checks_an_xlsx_and_writes_nothing(runner, world, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã thủ tục", "Tên thủ tục", "Cơ quan giải quyết", "Thời hạn giải quyết", "Thành phần hồ sơ"])
    sheet.append(["2.002.481", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "STP", 5, "Đơn đề nghị;Bản chụp CCCD"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = tmp_path / "thu-tuc.xlsx"
    source.write_bytes(buffer.getvalue())
    result = runner.invoke(args=["procedures", "import", "--dry-run", str(source)])
    assert result.exit_code == 0, result.output
    assert "Chạy thử: 1 dòng hợp lệ (1 thêm mới" in result.output
    assert db.session.scalar(select(func.count()).select_from(Procedure)) == 0
    result = runner.invoke(args=["procedures", "import", str(source)])
    assert procedures()["2.002.481"].papers == ["Đơn đề nghị", "Bản chụp CCCD"]


def test_a_file_without_the_columns_is_refused(runner, world, tmp_path):
    source = tmp_path / "thu-tuc.csv"
    source.write_text("Mã,Tên\n1,2\n", encoding="utf-8")
    result = runner.invoke(args=["procedures", "import", str(source)])
    assert result.exit_code != 0 and "Thiếu cột" in result.output
