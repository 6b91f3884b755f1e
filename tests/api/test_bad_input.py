"""Bad input is a 4xx everywhere: unstorable text, deep pages, loose patterns, big bodies, no database."""

import json

import pytest
from sqlalchemy import func, select

from tests.conftest import make_app
from tests.support import dossier_payload
from tracker.dossiers.models import Dossier
from tracker.extensions import db

UNSTORABLE = "must not contain NUL characters or lone surrogates"


def dossier_count() -> int:
    value = db.session.scalar(select(func.count()).select_from(Dossier))
    db.session.rollback()
    return value


def raw_json(client, path: str, text: str):
    """Post JSON text as written: the test client cannot encode a lone surrogate itself."""
    return client.client.post(path, data=text, headers=client._headers({"Content-Type": "application/json"}))


def assert_unstorable(response, field: str) -> None:
    assert response.status_code == 422, response.json
    assert response.json["error"]["details"][field] == [UNSTORABLE]


@pytest.mark.parametrize("path", ["/api/v1/items/IT%00X", "/api/v1/dossiers/A%00B", "/api/v1/transfers/%00"])
def test_nul_in_a_path(post, path):
    assert_unstorable(post.get(path), "path")


def test_nul_in_a_query_or_header(post):
    assert_unstorable(post.get("/api/v1/dossiers", query_string={"q": "a\x00b"}), "q")
    assert_unstorable(post.get("/api/v1/dossiers", query_string={"q\x00": "a"}), "q?")
    assert_unstorable(post.get("/api/v1/units", headers={"X-Device": "PDA\x00"}), "X-Device")


@pytest.mark.parametrize(
    ("escaped", "field"),
    [
        ("\\u0000", "applicant_name"),
        ("Nguy\\u1ec5n \\ud800", "applicant_name"),
        ("\\udfff", "applicant_name"),
    ],
)
def test_unstorable_text_in_a_json_field(post, escaped, field):
    body = json.dumps(dossier_payload(), ensure_ascii=False).replace('"Nguyễn Thị Ngọc Ánh"', f'"{escaped}"')
    assert_unstorable(raw_json(post, "/api/v1/dossiers", body), field)
    assert dossier_count() == 0


@pytest.mark.parametrize(
    "encoded",
    [
        # A lone surrogate's own UTF-8 bytes, which JSON decodes with surrogatepass.
        lambda text: text.replace('"Nguyễn Thị Ngọc Ánh"', '"Nguy\ud800n"').encode("utf-8", "surrogatepass"),
        # UTF-16, which JSON reads too: its NUL escape is not the bytes of a UTF-8 one.
        lambda text: text.replace('"Nguyễn Thị Ngọc Ánh"', '"\\u0000"').encode("utf-16"),
    ],
)
def test_unstorable_text_in_any_encoding_json_reads(post, encoded):
    body = encoded(json.dumps(dossier_payload(), ensure_ascii=False))
    assert_unstorable(raw_json(post, "/api/v1/dossiers", body), "applicant_name")
    assert dossier_count() == 0


def test_unstorable_text_deep_in_json_and_in_keys(post):
    batch = '{"scans": [{"idempotency_key": "a", "code": "IT\\u0000"}], "k\\ud800": 1}'
    response = raw_json(post, "/api/v1/scans/batch", batch)
    assert response.status_code == 422
    assert set(response.json["error"]["details"]) == {"scans.0.code", "k?"}


def test_nul_in_a_page_form(client, world):
    """Pages answer with their own error page, in the same words."""
    response = client.post("/sign-in", data={"username": "post1\x00", "password": "x"})
    assert response.status_code == 422 and "NUL" in response.get_data(as_text=True)


def test_deeply_nested_json_is_a_400(post):
    response = raw_json(post, "/api/v1/transfers", "[" * 100_000)
    assert response.status_code == 400 and response.json["error"]["code"] == "bad_request"


@pytest.mark.parametrize(
    "query",
    [{"page": 10**20}, {"page": 5001}, {"page": 5001, "per_page": 1}, {"page": 0}, {"per_page": 201}],
)
def test_pages_beyond_reach_are_422(as_user, query):
    admin = as_user("admin1")
    for path in ("/api/v1/transfers", "/api/v1/dossiers", "/api/v1/units", "/api/v1/users", "/api/v1/delays"):
        response = admin.get(path, query_string=query)
        assert response.status_code == 422, (path, response.json)
        assert set(response.json["error"]["details"]) <= {"page", "per_page"}
    assert admin.get("/api/v1/transfers", query_string={"page": 5000, "per_page": 200}).status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("code", "000.00.18.H40-261102-0001\n"),
        ("code", "000.00.18/H40"),
        ("applicant_phone", "0912 345 678\n"),
        ("department", "STP/../CA"),
    ],
)
def test_patterns_match_whole_values(post, field, value):
    response = post.post("/api/v1/dossiers", dossier_payload(**{field: value}))
    assert response.status_code in (404, 422), response.json
    assert dossier_count() == 0


def test_a_name_with_leading_spaces_is_not_blank(post):
    assert post.register_dossier(applicant_name="  Lê Văn Tám")["applicant_name"] == "  Lê Văn Tám"
    assert post.post("/api/v1/dossiers", dossier_payload(applicant_name=" \n ")).status_code == 422


def test_codes_are_normalised_nfkc(post):
    dossier = post.register_dossier()["code"]
    item = post.new_item(dossier, postal_id="ＲＲ１２３４５６７８５ＶＮ")  # typed with a full-width IME
    assert post.item("RR123456785VN")["code"] == item
    assert post.item("ｒｒ１２３４５６７８５ｖｎ")["code"] == item
    again = post.post(f"/api/v1/dossiers/{dossier}/items", {"kind": "result", "postal_id": "RR123456785VN"})
    assert again.status_code == 409, again.json
    refused = post.post(f"/api/v1/dossiers/{dossier}/items", {"kind": "result", "postal_id": "RR١٢٣٤٥٦٧٨٥VN"})
    assert refused.status_code == 422


def test_a_code_may_not_contain_a_slash(post):
    response = post.post("/api/v1/transfers", {"to_unit": "TTHCC/"})
    assert response.status_code == 422 and "to_unit" in response.json["error"]["details"]


def test_a_body_over_the_limit_is_413_in_the_error_shape(app, post):
    big = json.dumps(dossier_payload(applicant_address="x" * app.config["MAX_CONTENT_LENGTH"]))
    response = raw_json(post, "/api/v1/dossiers", big)
    assert response.status_code == 413
    assert response.json["error"]["code"] == "payload_too_large"
    assert dossier_count() == 0
    # Imports are allowed more: the limit does not answer before the route does.
    assert raw_json(post, "/api/v1/dossiers/import", big).status_code != 413


def test_a_receive_with_no_body_is_refused(as_user, item, post):
    centre = as_user("centre1")
    transfer = post.send("TTHCC", [item])
    response = centre.client.post(f"/api/v1/transfers/{transfer}/receive", headers=centre._headers(None))
    assert response.status_code == 422
    assert "scanned" in response.json["error"]["details"]
    assert centre.ok(centre.get(f"/api/v1/transfers/{transfer}"))["status"] == "dispatched"


@pytest.mark.parametrize(
    "database_url",
    [
        "postgresql+psycopg://postgres@127.0.0.1:9/tracker?connect_timeout=2",  # discard port: nobody listens
        "sqlite:////nonexistent-directory/tracker.sqlite3",
    ],
)
def test_an_unreachable_database_is_503_with_retry_after(database_url):
    app = make_app(database_url)
    client = app.test_client()
    for response in (
        client.get("/api/v1/units", headers={"Authorization": "Bearer x"}),
        client.post("/api/v1/auth/token", json={"username": "post1", "password": "x"}),
    ):
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        assert response.json["error"]["code"] == "database_unavailable"


@pytest.mark.parametrize("path", ["/api/v1/auth/tokens/5702220228249", "/api/v1/webhooks/99999999999"])
def test_an_id_past_the_database_integer_is_not_found(as_user, path):
    response = as_user("admin1").delete(path)
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
