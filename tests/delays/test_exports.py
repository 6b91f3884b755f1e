"""Exports people open in Excel: BOM'd CSV and XLSX, Vietnamese headers (English in English),
procedure names beside codes, percentages as percentages, the period and time made; plain dates."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

from tests.delays.test_delays_and_reports import history  # noqa: F401  (the fixture)

PERIOD = "from=2026-11-16&to=2026-11-21"  # plain dates: local midnights
HEADERS_VI = ["Mã thủ tục", "Thủ tục", "Số chặng đã xong", "Trung vị (giờ làm việc)", "Phân vị 90 (giờ làm việc)",
              "Lâu nhất (giờ làm việc)", "Đúng hạn", "Trung vị (giờ thực tế)"]  # fmt: skip


def test_plain_dates_mean_the_province_midnights(as_user, history):  # noqa: F811
    supervisor = as_user("super1")
    by_date = supervisor.ok(supervisor.get(f"/api/v1/reports/transit?{PERIOD}"))
    stamped = "from=2026-11-16T00:00:00%2B07:00&to=2026-11-21T00:00:00%2B07:00"
    assert by_date == supervisor.ok(supervisor.get(f"/api/v1/reports/transit?{stamped}"))
    assert by_date["rows"][0]["count"] == 3
    # Started at 00:00 on the 18th, local, the period leaves out A and F (received on the 17th).
    later = supervisor.ok(supervisor.get("/api/v1/reports/transit?from=2026-11-18&to=2026-11-21"))["rows"]
    assert later[0]["count"] == 1
    bad = supervisor.get("/api/v1/reports/transit?from=2026-13-01&to=2026-11-21")
    assert bad.status_code == 422 and "from" in bad.json["error"]["details"]


def test_csv_has_a_bom_vietnamese_headers_names_and_per_cents(as_user, history):  # noqa: F811
    supervisor = as_user("super1")
    answer = supervisor.get(f"/api/v1/reports/transit.csv?{PERIOD}&group_by=procedure")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert answer.data.startswith(b"\xef\xbb\xbf")
    disposition = answer.headers["Content-Disposition"]
    assert re.search(r'filename="bao-cao-transit-procedure_20261116-20261121_lap-\d{8}-\d{4}\.csv"', disposition)
    rows = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert rows[0] == [*HEADERS_VI[:6], "Đúng hạn (%)", HEADERS_VI[7]]
    assert rows[1] == ["1.001.234", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "3", "7.0", "18.5", "18.5",
                       "66.67", "23.0"]  # fmt: skip


def test_xlsx_has_the_period_headers_and_a_percentage_format(as_user, history, tmp_path):  # noqa: F811
    supervisor = as_user("super1")
    answer = supervisor.get(f"/api/v1/reports/transit.xlsx?{PERIOD}&group_by=procedure")
    assert answer.status_code == 200
    assert "bao-cao-transit-procedure_20261116-20261121_lap-" in answer.headers["Content-Disposition"]
    (tmp_path / "r.xlsx").write_bytes(answer.data)
    sheet = load_workbook(tmp_path / "r.xlsx").active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Báo cáo thời gian vận chuyển"
    assert values[1][:2] == ["Từ", "16/11/2026 00:00"] and values[2][:2] == ["Đến", "21/11/2026 00:00"]
    assert values[3][0] == "Lập lúc" and re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", values[3][1])
    assert values[5] == HEADERS_VI
    assert values[6] == ["1.001.234", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", 3, 7, 18.5, 18.5, 0.6667, 23]
    assert sheet.cell(row=7, column=7).number_format == "0.0%"


def test_exports_in_english_when_the_page_is(client, history):  # noqa: F811
    from tests.pages_support import sign_in

    client.get("/language/en")
    assert sign_in(client, "super1").status_code == 302
    answer = client.get(f"/api/v1/reports/transit.csv?{PERIOD}&group_by=route")
    assert answer.status_code == 200
    header = answer.data.decode("utf-8-sig").splitlines()[0]
    assert header == (
        "Route,Finished legs,Median (working hours),90th percentile (working hours),Longest (working hours),"
        "On time (%),Median (clock hours)"
    )
