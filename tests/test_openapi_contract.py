

def test_every_operation_declares_the_one_error_shape(client):
    spec = client.get("/api/openapi.json").json
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error"] and error["properties"]["error"]["$ref"].endswith("/ErrorBody")
    assert set(spec["components"]["schemas"]["ErrorBody"]["required"]) == {"code", "message", "details"}
    assert spec["components"]["responses"]["DEFAULT_ERROR"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation["responses"]["default"] == {"$ref": "#/components/responses/DEFAULT_ERROR"}, (method, path)


def test_a_405_names_the_allowed_methods(client):
    response = client.delete("/api/v1/auth/token")
    assert response.status_code == 405 and response.json["error"]["code"] == "method_not_allowed"
    assert set(response.headers["Allow"].split(", ")) >= {"POST", "OPTIONS"}
