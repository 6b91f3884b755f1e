"""Times outside the supported days are refused with 422 naming the field, wherever a time is accepted."""

import pytest

from tests.support import dossier_payload

FAR_FUTURE = "9999-06-01T08:00:00+07:00"
TOO_EARLY = "1999-12-31T08:00:00+07:00"


def assert_refused(response, field: str) -> None:
    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == "validation_error"
    assert "supported range" in str(response.json["error"]["details"][field])


@pytest.mark.parametrize("moment", [FAR_FUTURE, TOO_EARLY, "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
@pytest.mark.parametrize("field", ["received_at", "due_at"])
def test_dossier_times(post, field, moment):
    assert_refused(post.post("/api/v1/dossiers", dossier_payload(**{field: moment})), field)


def test_occurred_at_of_a_scan(post, item):
    transfer = post.open_transfer("TTHCC")
    body = {"item_code": item, "occurred_at": TOO_EARLY}
    assert_refused(post.post(f"/api/v1/transfers/{transfer}/items", body), "occurred_at")


@pytest.mark.parametrize("field", ["as_of", "finished_from", "finished_to"])
def test_delay_times(as_user, field):
    supervisor = as_user("super1")
    assert_refused(supervisor.get("/api/v1/delays", query_string={field: FAR_FUTURE}), field)


@pytest.mark.parametrize("field", ["from", "to"])
def test_report_period(as_user, field):
    supervisor = as_user("super1")
    period = {"from": "2026-10-01T00:00:00+07:00", "to": "2026-11-01T00:00:00+07:00", field: TOO_EARLY}
    for path in ("/api/v1/reports/transit", "/api/v1/reports/transit.csv"):
        assert_refused(supervisor.get(path, query_string=period), field)


def test_a_far_future_as_of_leaves_writes_working(as_user, post):
    """It once broke the worker's cached calendar: custody writes answered 500 for a minute."""
    supervisor = as_user("super1")
    assert supervisor.get("/api/v1/delays", query_string={"as_of": FAR_FUTURE}).status_code == 422
    dossier = post.register_dossier()["code"]
    item = post.new_item(dossier)
    post.send("TTHCC", [item])
    assert post.item(item)["status"] == "in_transit"
    assert supervisor.ok(supervisor.get("/api/v1/delays", query_string={"as_of": "2100-12-31T12:00:00+07:00"}))


def test_the_last_supported_day_is_accepted(post):
    dossier = post.register_dossier(due_at="2100-12-31T23:59:59+07:00")
    assert dossier["due_at"].startswith("2100-12-31T23:59:59")


def test_delays_as_of_the_first_supported_day(as_user):
    """The default period of legs finished late (the 7 days before as_of) then starts before the
    supported days: nothing ended there, and the page answers (it once answered 500)."""
    supervisor = as_user("super1")
    page = supervisor.ok(supervisor.get("/api/v1/delays", query_string={"as_of": "2000-01-01T08:00:00+07:00"}))
    assert page["items"] == [] and page["total"] == 0
