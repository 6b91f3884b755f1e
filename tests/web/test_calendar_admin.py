"""The admin's calendar page through the test client: the month marked, and a day changed in two steps."""

from datetime import datetime, timedelta, timezone

import pytest

from tests.pages_support import csrf_token_of

VN = timezone(timedelta(hours=7))
# Friday 13 November 2026 10:00 to Monday 16 09:00: 1.5 + 4 on Friday, 1.5 on Monday = 7 working hours;
# with Saturday 14 a make-up day, 8 more.
DISPATCHED = datetime(2026, 11, 13, 10, 0, tzinfo=VN)
RECEIVED = datetime(2026, 11, 16, 9, 0, tzinfo=VN)
WEEK_REPORT = "/api/v1/reports/transit?from=2026-11-09T00:00:00%2B07:00&to=2026-11-21T00:00:00%2B07:00"


def leg_across_a_weekend(as_user) -> str:
    """An item sent from BC-VINH on Friday and received at the centre on Monday, as scanners report it."""
    post, centre = as_user("post1"), as_user("centre1")
    item = post.new_item(post.register_dossier()["code"])
    transfer = post.open_transfer("TTHCC")
    keys = iter(range(100))

    def scan(code: str, action: str, when: datetime, transfer_code: str | None = transfer) -> dict:
        return {"idempotency_key": f"weekend-{next(keys)}", "code": code, "action": action,
                "transfer_code": transfer_code, "occurred_at": when.isoformat()}  # fmt: skip

    sent = [scan(item, "add", DISPATCHED), scan(transfer, "dispatch", DISPATCHED, None)]
    assert post.ok(post.post("/api/v1/scans/batch", sent))["refused"] == 0
    received = [scan(item, "receive", RECEIVED), scan(transfer, "close_receipt", RECEIVED, None)]
    assert centre.ok(centre.post("/api/v1/scans/batch", received))["refused"] == 0
    return transfer


def transit_hours(api) -> float:
    return api.ok(api.get(WEEK_REPORT))["rows"][0]["max_hours"]


def submit(client, page: str, action: str, **fields):
    token = csrf_token_of(client.get(page).get_data(as_text=True))
    return client.post(action, data={"csrf_token": token, **fields})


@pytest.mark.parametrize("username", ["post1", "centre1", "dept1", "super1"])
def test_only_admins_open_the_calendar_page(page_client, username):
    client = page_client(username)
    assert client.get("/admin/calendar").status_code == 403
    token = csrf_token_of(client.get("/account/password").get_data(as_text=True))
    refused = client.post("/admin/calendar/confirm", data={"csrf_token": token, "day": "2026-11-14", "kind": "make_up"})
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("language", "name", "month_name"), [("vi", "Quốc khánh", "tháng 9"), ("en", "National Day", "September")]
)
def test_the_month_marks_public_holidays_with_their_name(page_client, language, name, month_name):
    html = page_client("admin1", language).get("/admin/calendar?month=2026-09").get_data(as_text=True)
    assert month_name in html.lower() or month_name in html
    assert 'id="day-2026-09-02" class="holiday" data-kind="holiday"' in html
    assert f"{name}" in html.split('id="note-2026-09-02"')[1].split("</li>")[0]
    assert 'id="day-2026-09-05" class="weekend"' in html and 'id="day-2026-09-03" class="working"' in html
    # Monday first: the grid opens on Monday 31 August.
    assert html.index('id="day-2026-08-31"') < html.index('id="day-2026-09-01"')
    assert 'href="/admin/calendar?month=2026-08"' in html and 'href="/admin/calendar?month=2026-10"' in html


def test_a_make_up_saturday_says_how_many_legs_first_then_measures_them_again(page_client, as_user):
    leg_across_a_weekend(as_user)
    admin_api, admin = as_user("admin1"), page_client("admin1")
    assert transit_hours(admin_api) == 7
    page = "/admin/calendar?month=2026-11"
    review = submit(admin, page, page, day="2026-11-14", kind="make_up", note="Làm bù cho 2/9")
    html = review.get_data(as_text=True)
    assert review.status_code == 200 and "1 chặng sẽ được đo lại." in html
    assert admin_api.ok(admin_api.get("/api/v1/calendar/days")) == []
    token = csrf_token_of(html)
    confirmed = admin.post(
        "/admin/calendar/confirm",
        data={"csrf_token": token, "day": "2026-11-14", "kind": "make_up", "note": "Làm bù cho 2/9"},
    )
    assert confirmed.status_code == 302 and "month=2026-11" in confirmed.headers["Location"]
    days = admin_api.ok(admin_api.get("/api/v1/calendar/days"))
    assert [(d["day"], d["working"], d["note"]) for d in days] == [("2026-11-14", True, "Làm bù cho 2/9")]
    assert transit_hours(admin_api) == 15
    month = admin.get(page).get_data(as_text=True)
    assert 'id="day-2026-11-14" class="make_up"' in month and "Làm bù cho 2/9" in month
    back = submit(admin, page, "/admin/calendar/confirm", day="2026-11-14", kind="normal", note="")
    assert back.status_code == 302 and transit_hours(admin_api) == 7


@pytest.mark.parametrize(
    ("typed", "advice"),
    [
        ("2026-02-30", "Nhập ngày theo dạng năm-tháng-ngày"),
        ("1999-12-31", "Chọn một ngày từ 2000-01-01 đến 2100-12-31"),
    ],
)
def test_a_refused_day_keeps_what_was_typed_and_says_what_to_do(page_client, as_user, typed, advice):
    admin = page_client("admin1")
    refused = submit(admin, "/admin/calendar", "/admin/calendar", day=typed, kind="day_off", note="Nghỉ lễ tỉnh")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and advice in html
    assert f'value="{typed}"' in html and 'value="Nghỉ lễ tỉnh"' in html
    assert '<option value="day_off" selected>' in html
    assert as_user("admin1").ok(as_user("admin1").get("/api/v1/calendar/days")) == []


def test_a_month_outside_the_calendar_shows_this_month_and_the_edges_have_no_link_beyond(page_client):
    admin = page_client("admin1", "en")
    today = datetime.now(VN).date()
    for month in ("1999-12", "nonsense", "2026-13"):
        html = admin.get(f"/admin/calendar?month={month}").get_data(as_text=True)
        assert f'id="day-{today.isoformat()}"' in html, month
    first = admin.get("/admin/calendar?month=2000-01").get_data(as_text=True)
    assert 'id="previous-month"' not in first and 'href="/admin/calendar?month=2000-02"' in first
    last = admin.get("/admin/calendar?month=2100-12").get_data(as_text=True)
    assert 'id="next-month"' not in last and 'href="/admin/calendar?month=2100-11"' in last
