"""Secrets and sessions: the signing key, and everything that ends a user's sessions and tokens."""

import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import make_app
from tests.pages_support import csrf_token_of, sign_in
from tests.support import ApiClient, statements_starting
from tracker import create_app
from tracker.config import DEVELOPMENT_SECRET_KEY, config_from_environment

REPOSITORY = Path(__file__).resolve().parents[2]


def test_the_service_refuses_to_start_with_the_default_secret_key(database_url, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": DEVELOPMENT_SECRET_KEY})
    assert create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x" * 64}).secret_key == "x" * 64


def test_make_creates_a_random_key_once_and_the_config_reads_it(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    make = [
        "make",
        "--no-print-directory",
        "-C",
        str(tmp_path),
        "-f",
        str(REPOSITORY / "Makefile"),
        "instance/secret_key",
    ]
    subprocess.run(make, check=True, capture_output=True)
    key_file = tmp_path / "instance" / "secret_key"
    key = key_file.read_text().strip()
    assert len(key) >= 64 and stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    subprocess.run(make, check=True, capture_output=True)
    assert key_file.read_text().strip() == key  # reused, never replaced
    assert config_from_environment(str(tmp_path / "instance"))["SECRET_KEY"] == key
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert config_from_environment(str(tmp_path / "instance"))["SECRET_KEY"] == "from-the-environment"


@pytest.fixture
def page_client(app, world):
    """page_client("post1") is a test client signed in to the pages through the form."""

    def signed_in(username: str):
        client = app.test_client()
        assert sign_in(client, username).status_code == 302
        return client

    return signed_in


def copy_of_session(app, client):
    """A second browser holding a copy of client's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def sign_out(client):
    token = csrf_token_of(client.get("/dossiers").get_data(as_text=True))
    return client.post("/sign-out", data={"csrf_token": token})


def test_a_copied_cookie_stops_working_after_sign_out(app, page_client):
    client = page_client("post1")
    thief = copy_of_session(app, client)
    assert thief.get("/dossiers").status_code == 200
    assert thief.get("/api/v1/users/me").status_code == 200
    assert sign_out(client).status_code == 302
    assert thief.get("/dossiers").headers["Location"].startswith("/sign-in")
    assert thief.get("/api/v1/users/me").status_code == 401
    assert sign_in(client, "post1").status_code == 302  # signing in again works
    assert client.get("/dossiers").status_code == 200


def test_signing_out_ends_the_users_tokens_too(app, page_client, as_user):
    api = as_user("post1")
    other = as_user("post2")
    sign_out(page_client("post1"))
    assert api.get("/api/v1/users/me").json["error"]["code"] == "invalid_token"
    assert other.get("/api/v1/users/me").status_code == 200


def test_api_sign_out_ends_every_session_and_token(app, page_client, as_user):
    first, second = as_user("centre1"), as_user("centre1")
    page = page_client("centre1")
    assert first.post("/api/v1/auth/sign-out").status_code == 204
    assert second.get("/api/v1/users/me").status_code == 401
    assert page.get("/dossiers").status_code == 302


def test_owners_list_and_revoke_their_tokens(client, as_user):
    first, second = as_user("dept1"), as_user("dept1")
    listed = first.get("/api/v1/auth/tokens").json
    assert listed["total"] == 2 and [t["current"] for t in listed["items"]] == [False, True]
    assert {t["username"] for t in listed["items"]} == {"dept1"}
    revoked = listed["items"][0]["id"]
    assert first.delete(f"/api/v1/auth/tokens/{revoked}").status_code == 204
    assert second.get("/api/v1/users/me").status_code == 401
    assert first.get("/api/v1/auth/tokens").json["total"] == 1


def test_only_an_admin_sees_and_revokes_someone_elses_tokens(client, as_user):
    victim = as_user("dept1")
    token_id = victim.get("/api/v1/auth/tokens").json["items"][0]["id"]
    for username in ("dept2", "super1", "centre1", "post1"):
        other = as_user(username)
        assert other.get("/api/v1/auth/tokens?username=dept1").status_code == 404
        assert other.delete(f"/api/v1/auth/tokens/{token_id}").json["error"]["code"] == "token_not_found"
    admin = as_user("admin1")
    listed = admin.get("/api/v1/auth/tokens?username=dept1").json
    assert [t["id"] for t in listed["items"]] == [token_id]
    assert admin.delete(f"/api/v1/auth/tokens/{token_id}").status_code == 204
    assert victim.get("/api/v1/users/me").status_code == 401
    assert admin.delete("/api/v1/auth/tokens/999999").status_code == 404


def test_a_token_is_checked_on_a_second_app_sharing_the_database(database_url, world, as_user):
    api = as_user("post1")
    other_worker = make_app(database_url).test_client()
    headers = {"Authorization": f"Bearer {api.token}"}
    assert other_worker.get("/api/v1/users/me", headers=headers).status_code == 200
    assert api.post("/api/v1/auth/sign-out").status_code == 204
    assert other_worker.get("/api/v1/users/me", headers=headers).status_code == 401
    assert ApiClient.signed_in(other_worker, "post1").get("/api/v1/users/me").json["username"] == "post1"


def test_a_token_is_checked_with_one_query(app, as_user):
    api = as_user("post1")
    with statements_starting("SELECT") as statements:
        assert api.get("/api/v1/users/me").status_code == 200
    assert len(statements) == 1, statements  # the token, its user and the user's unit, joined
