from datetime import timedelta

import pytest
from sqlalchemy import update

from tests.support import PASSWORD, dossier_payload
from tracker.auth.models import ApiToken
from tracker.database import utcnow
from tracker.extensions import db


def test_token_names_the_user_role_and_unit(client, world):
    response = client.post("/api/v1/auth/token", json={"username": "centre1", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json
    assert body["user"] == {"username": "centre1", "full_name": "User centre1", "role": "centre_clerk", "unit": "TTHCC"}
    assert body["token"] and body["expires_at"].endswith("+07:00")
    stored = db.session.scalars(db.select(ApiToken.token_hash)).all()
    assert body["token"] not in stored  # only its hash is kept


@pytest.mark.parametrize("password", ["wrong", ""])
def test_wrong_password_is_401(client, world, password):
    response = client.post("/api/v1/auth/token", json={"username": "centre1", "password": password})
    assert response.status_code in (401, 422)
    assert "error" in response.json


@pytest.mark.parametrize(
    "path",
    ["/api/v1/units", "/api/v1/dossiers", "/api/v1/transfers", "/api/v1/items/RR473124829VN", "/api/v1/users/me"],
)
def test_every_endpoint_needs_a_token(client, world, path):
    assert client.get(path).json["error"]["code"] == "missing_token"
    bad = client.get(path, headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401 and bad.json["error"]["code"] == "invalid_token"


def test_an_expired_token_is_refused(client, as_user):
    user = as_user("post1")
    assert user.get("/api/v1/users/me").status_code == 200
    db.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert user.get("/api/v1/users/me").status_code == 401


def test_open_documents_need_no_token(client):
    assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/api/docs").status_code == 200


# Who may do what: (user, action, expected status). Handlers act only for their own unit.
def _register(api, ctx):
    return api.post("/api/v1/dossiers", dossier_payload())


def _create_item(api, ctx):
    return api.post(f"/api/v1/dossiers/{ctx['dossier']}/items", {"kind": "application"})


def _open_transfer(api, ctx):
    return api.post("/api/v1/transfers", {"to_unit": "STP"})


def _pack_held_item(api, ctx):
    return api.post(f"/api/v1/transfers/{ctx['draft']}/items", {"item_code": ctx["item"]})


def _dispatch(api, ctx):
    return api.post(f"/api/v1/transfers/{ctx['draft']}/dispatch")


def _receive(api, ctx):
    return api.post(f"/api/v1/transfers/{ctx['dispatched']}/receive", {"scanned": [ctx["sent_item"]]})


def _read(api, ctx):
    return api.get(f"/api/v1/items/{ctx['item']}")


def _add_unit(api, ctx):
    return api.post("/api/v1/units", {"code": "SYT", "name": "Sở Y tế", "kind": "department"})


def _list_users(api, ctx):
    return api.get("/api/v1/users")


ACTIONS = {
    "register dossier": (_register, {"post1": 201, "centre1": 201, "dept1": 403, "super1": 403, "admin1": 403}),
    "create item": (_create_item, {"post1": 201, "centre1": 201, "dept1": 201, "super1": 403, "admin1": 403}),
    "open transfer": (_open_transfer, {"post1": 201, "post2": 201, "centre1": 201, "super1": 403, "admin1": 403}),
    "pack an item post1 holds": (
        _pack_held_item,
        {"post1": 201, "post2": 403, "centre1": 403, "super1": 403, "admin1": 403},
    ),
    "dispatch post1's draft": (_dispatch, {"post2": 403, "centre1": 403, "super1": 403, "admin1": 403}),
    "receive a transfer to the centre": (
        _receive,
        {"centre1": 200, "post1": 403, "dept1": 403, "super1": 403, "admin1": 403},
    ),
    "read an item": (_read, {"post1": 200, "post2": 200, "dept2": 200, "super1": 200, "admin1": 200}),
    "add a unit": (_add_unit, {"admin1": 201, "super1": 403, "post1": 403, "centre1": 403}),
    "list users": (_list_users, {"admin1": 200, "super1": 403, "post1": 403}),
}


@pytest.mark.parametrize(
    ("action", "username", "expected"),
    [(action, user, status) for action, (_, matrix) in ACTIONS.items() for user, status in matrix.items()],
)
def test_permission_matrix(as_user, action, username, expected):
    post = as_user("post1")
    dossier = post.register_dossier()["code"]
    sent_item = post.new_item(dossier)
    ctx = {
        "dossier": dossier,
        "item": post.new_item(dossier),
        "draft": post.open_transfer("TTHCC"),
        "sent_item": sent_item,
        "dispatched": post.send("TTHCC", [sent_item]),
    }
    if action == "dispatch post1's draft":
        post.add(ctx["draft"], post.new_item(dossier))
    perform, _ = ACTIONS[action]
    response = perform(as_user(username), ctx)
    assert response.status_code == expected, response.json
    if expected == 403:
        assert response.json["error"]["code"] in {"role_not_allowed", "outside_own_unit"}


def test_admin_creates_users_whose_role_fits_their_unit(as_user):
    admin = as_user("admin1")
    created = admin.post(
        "/api/v1/users",
        {
            "username": "post3",
            "full_name": "Trần Văn Bình",
            "role": "postal_staff",
            "unit": "BC-VINH",
            "password": "mat-khau-dai",
        },
    )
    assert created.status_code == 201 and created.json["unit"] == "BC-VINH"
    mismatch = admin.post(
        "/api/v1/users",
        {
            "username": "post4",
            "full_name": "Lê Thị C",
            "role": "postal_staff",
            "unit": "STP",
            "password": "mat-khau-dai",
        },
    )
    assert mismatch.status_code == 422 and mismatch.json["error"]["code"] == "role_unit_mismatch"
