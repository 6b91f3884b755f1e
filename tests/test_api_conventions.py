"""The contract's conventions: the OpenAPI document, local docs, one error shape, pagination."""

import pytest

CONTRACT_PATHS = [
    "/api/v1/auth/token",
    "/api/v1/units",
    "/api/v1/dossiers",
    "/api/v1/dossiers/{code}",
    "/api/v1/dossiers/{code}/items",
    "/api/v1/items/{code}",
    "/api/v1/transfers",
    "/api/v1/transfers/{code}",
    "/api/v1/transfers/{code}/items",
    "/api/v1/transfers/{code}/items/{item_code}",
    "/api/v1/transfers/{code}/dispatch",
    "/api/v1/transfers/{code}/receive",
    "/api/v1/scans/batch",
]


def test_openapi_document_describes_the_contract(client):
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.")
    for path in CONTRACT_PATHS:
        assert path in spec["paths"], path
    receive_body = spec["paths"]["/api/v1/transfers/{code}/receive"]["post"]["requestBody"]
    assert receive_body["content"]["application/json"]["schema"]["$ref"].endswith("/Receive")
    schema = spec["components"]["schemas"]["Receive"]["properties"]
    assert {"scanned", "damaged", "seal_intact", "note"} <= set(schema)
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_docs_ui_is_served_without_internet(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert "http://" not in page and "https://" not in page
    for asset in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert f"/api/docs/assets/{asset}" in page
        response = client.get(f"/api/docs/assets/{asset}")
        assert response.status_code == 200 and len(response.data) > 1000


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code"),
    [
        ("get", "/api/v1/nowhere", {}, 404, "not_found"),
        ("put", "/api/v1/auth/token", {}, 405, "method_not_allowed"),
        ("post", "/api/v1/auth/token", {"data": "{not json", "content_type": "application/json"}, 400, "bad_request"),
        ("post", "/api/v1/auth/token", {"json": {"username": "x"}}, 422, "validation_error"),
    ],
)
def test_every_error_has_one_shape(client, method, path, kwargs, status, code):
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status
    assert set(response.json) == {"error"}
    assert response.json["error"]["code"] == code
    assert set(response.json["error"]) == {"code", "message", "details"}


def test_lists_are_paginated(as_user):
    post = as_user("post1")
    codes = [post.register_dossier()["code"] for _ in range(5)]
    page = post.ok(post.get("/api/v1/dossiers?page=2&per_page=2"))
    assert (page["page"], page["per_page"], page["total"]) == (2, 2, 5)
    assert [d["code"] for d in page["items"]] == list(reversed(codes))[2:4]  # newest first
    too_big = post.get("/api/v1/dossiers?per_page=100000")
    assert too_big.status_code == 422 and "per_page" in too_big.json["error"]["details"]


def test_units_list(as_user):
    units = as_user("dept1").ok(as_user("dept1").get("/api/v1/units"))
    assert units["total"] == 5
    assert {"code": "TTHCC", "name": "Trung tâm Phục vụ hành chính công tỉnh Nghệ An", "kind": "centre"} in units[
        "items"
    ]
