"""The supervisor's dashboard: the period picker, the report table, exports and charts of that period."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.delays.test_delays_and_reports import history  # noqa: F401  (the fixture)
from tracker.custody.models import Leg
from tracker.delays.trends import RouteTimes
from tracker.extensions import db
from tracker.pages.supervision.period import default_period, picked_period

NOVEMBER = "from=2026-11-16&to=2026-11-20"  # Monday to Friday, both included


def test_the_default_period_is_exactly_the_8_iso_weeks_ending_this_one():
    for today in (date(2026, 11, 25), date(2026, 11, 23), date(2026, 11, 29), date(2027, 1, 1)):
        period = default_period(today)
        assert period.first.isoweekday() == 1 and period.last.isoweekday() == 7
        assert period.last - period.first == timedelta(days=8 * 7 - 1)
        assert period.first <= today <= period.last
    assert picked_period("2026-11-20", "2026-11-16", date(2026, 11, 25))[1] == "backwards"
    assert picked_period("20/11/2026", "", date(2026, 11, 25))[1] == "invalid"


def test_a_picked_period_shows_its_report_and_exports_it(page_client, history, tmp_path):  # noqa: F811
    client = page_client("super1")
    page = client.get(f"/dashboard?{NOVEMBER}&group_by=procedure").get_data(as_text=True)
    assert 'value="2026-11-16"' in page and 'value="2026-11-20"' in page
    assert "1.001.234" in page and "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam" in page
    assert "66.7%" in page  # A and F on time, B late
    # The exports cover the same days: to= is the day after the last one.
    assert "transit.xlsx?group_by=procedure&amp;from=2026-11-16&amp;to=2026-11-21" in page
    xlsx = client.get("/api/v1/reports/transit.xlsx?group_by=procedure&from=2026-11-16&to=2026-11-21")
    (tmp_path / "r.xlsx").write_bytes(xlsx.data)
    rows = [[cell.value for cell in row] for row in load_workbook(tmp_path / "r.xlsx").active.iter_rows()]
    assert rows[5][:3] == ["Mã thủ tục", "Thủ tục", "Số chặng đã xong"] and rows[6][2] == 3
    answer = client.get("/api/v1/reports/transit.csv?group_by=route&from=2026-11-16&to=2026-11-21")
    assert answer.data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert table[0][0] == "Tuyến" and table[1][:2] == ["BC-VINH → TTHCC", "3"]
    # The charts are drawn for the picked days too.
    assert "/dashboard/charts/transit.svg?lang=vi&amp;from=2026-11-16&amp;to=2026-11-20" in page


def test_a_wrong_period_says_so_and_keeps_what_was_typed(page_client, history):  # noqa: F811
    page = page_client("super1").get("/dashboard?from=2026-11-20&to=2026-11-16").get_data(as_text=True)
    assert "Ngày cuối không được trước ngày đầu." in page
    assert 'value="2026-11-20"' in page and 'value="2026-11-16"' in page and 'aria-invalid="true"' in page


def test_counts_past_their_bound_say_more_than_and_the_pages_go_on(app, as_user, page_client, history):  # noqa: F811
    """The dashboard's 25 a page are counted in any case; past that and the bound, "more than"."""
    from tests.delays.test_delays_and_reports import at

    post = as_user("post1")
    for number in range(26):  # waiting at the post office since Monday 16 November, like C, G and R
        dossier = post.register_dossier(code=f"HS-W{number}", received_at=at(16, 8), due_at=at(30, 17))
        post.new_item(dossier["code"], occurred_at=at(16, 8))
    client = page_client("super1")
    exact = client.get("/dashboard").get_data(as_text=True)
    assert re.search(r'id="late-now">(\d+)<', exact).group(1) == "32", "counted exactly under the default bound"
    app.config["DELAYS_COUNTED_UP_TO"] = 3
    bounded = client.get("/dashboard").get_data(as_text=True)
    assert re.search(r'id="late-now">(\d+)\+<', bounded).group(1) == "25", "the page's 25, then at least"
    total = re.search(r'id="delays-total">([^<]*)<', bounded).group(1)
    assert total.startswith("Hơn ") and total.endswith("chọn loại hoặc đơn vị để thu hẹp.")
    assert "page=2" in bounded  # the next page, though the total is not known


def test_charts_speak_the_pages_language_and_show_the_limit(page_client, history):  # noqa: F811
    english = page_client("super1", language="en")
    page = english.get(f"/dashboard?{NOVEMBER}").get_data(as_text=True)
    assert "/dashboard/charts/transit.svg?lang=en" in page
    svg = english.get(f"/dashboard/charts/transit.svg?lang=en&{NOVEMBER}").get_data(as_text=True)
    assert "Transit time per route" in svg and "route limit" in svg and "BC-VINH → TTHCC (3)" in svg
    grid = english.get(f"/dashboard/charts/lateness.svg?lang=en&{NOVEMBER}").get_data(as_text=True)
    assert "late legs, per cent" in grid and "week 47" in grid
    assert re.search(r">\d{1,3}%<", grid)  # each cell's late share written in
    assert "image-rendering:pixelated" in grid  # one pixel a cell, scaled up by the browser
    vietnamese = page_client("super1").get(f"/dashboard/charts/transit.svg?lang=vi&{NOVEMBER}").get_data(as_text=True)
    assert "Thời gian vận chuyển theo tuyến" in vietnamese and "thời hạn của tuyến" in vietnamese


def test_the_box_plot_is_read_from_the_histogram_and_reaches_the_slowest_leg():
    route = RouteTimes("BC-VINH → TTHCC", 8.0, longest_seconds=20 * 3600 + 17,
                       minutes=[(60, 10), (120, 80), (180, 9), (20 * 60, 1)])  # fmt: skip
    box = route.box()
    assert (box["q1"], box["med"], box["q3"]) == (2.0, 2.0, 2.0)  # ranks 25, 50, 75 of 100 are all at 120 min
    assert (box["whislo"], box["whishi"]) == (2.0, 2.0)
    assert box["fliers"] == [1.0, 3.0, (20 * 3600 + 17) / 3600]  # the slowest to the second
    assert box["count"] == 100


def test_a_refused_route_limit_keeps_every_edit_on_the_page(page_client):
    from tests.pages_support import csrf_token_of

    client = page_client("super1")
    token = csrf_token_of(client.get("/route-limits").get_data(as_text=True))
    form = {"csrf_token": token, "leg_kind": ["transit", "transit", "dwell"], "from_kind": ["post", "", "centre"],
            "to_kind": ["centre", "", ""], "from_unit": ["", "BC-VINH", ""], "to_unit": ["", "TTHCC", ""],
            "limit_hours": ["7,5", "6", "nhiều"]}  # fmt: skip
    answer = client.post("/route-limits", data=form)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "nhiều không phải là số giờ." in page and "Chưa lưu gì" in page
    assert 'value="7,5"' in page and 'value="6"' in page and 'value="nhiều"' in page
    assert '<option value="BC-VINH" selected>' in page and '<option value="TTHCC" selected>' in page
    # A rule the service refuses (a transit limit without its destination) is kept too.
    form |= {"limit_hours": ["7,5", "6", "4"], "to_kind": ["", "", ""]}
    page = client.post("/route-limits", data=form).get_data(as_text=True)
    assert "Thời hạn vận chuyển cần cả nơi gửi và nơi nhận" in page and 'value="7,5"' in page
    assert 'value="7,5"' not in client.get("/route-limits").get_data(as_text=True)  # nothing was saved


def test_a_route_limit_change_says_how_many_legs_it_judges_again_before_saving(page_client, late_transfer):
    from tests.pages_support import csrf_token_of

    client = page_client("super1")
    token = csrf_token_of(client.get("/route-limits").get_data(as_text=True))
    form = {"csrf_token": token, "leg_kind": ["transit"], "from_kind": ["post"], "to_kind": ["centre"],
            "from_unit": [""], "to_unit": [""], "limit_hours": ["5,25"]}  # fmt: skip
    page = client.post("/route-limits", data=form).get_data(as_text=True)
    legs = db.session.scalar(select(func.count()).select_from(Leg).where(Leg.kind.in_(("transit", "dwell"))))
    assert legs > 0 and f"đánh giá lại {legs} chặng" in page
    assert 'value="5,25"' in page and 'value="5.25"' not in client.get("/route-limits").get_data(as_text=True)
    assert client.post("/route-limits", data=form | {"confirm": "1"}).status_code == 302
    assert 'value="5.25"' in client.get("/route-limits").get_data(as_text=True)
