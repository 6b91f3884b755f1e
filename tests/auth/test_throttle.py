"""Guessing passwords does not work: failures are counted in the database, per username and address."""

import statistics
import time
from datetime import timedelta

from sqlalchemy import func, select, update

from tests.conftest import make_app
from tests.pages_support import csrf_token_of
from tests.support import PASSWORD
from tracker.auth.models import SignInFailure
from tracker.auth.services import create_user
from tracker.database import utcnow
from tracker.domain.custody import Role
from tracker.extensions import db


def token_request(client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        "/api/v1/auth/token",
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_the_sixth_wrong_password_waits_across_two_apps_sharing_the_database(app, client, world, database_url):
    other_worker = make_app(database_url).test_client()
    for attempt in range(5):
        worker = client if attempt % 2 else other_worker
        assert token_request(worker, "dept1", "wrong-password").status_code == 401
    for worker in (client, other_worker):
        refused = token_request(worker, "dept1", PASSWORD)  # even the right password waits
        assert refused.status_code == 429
        error = refused.json["error"]
        assert error["code"] == "too_many_attempts"
        assert 0 < int(refused.headers["Retry-After"]) <= 30
        assert error["details"]["retry_after"] == int(refused.headers["Retry-After"])
    assert token_request(client, "dept2", PASSWORD).status_code == 200  # others are not held up


def test_the_wait_doubles_and_a_right_password_clears_it(client, world):
    for _ in range(5):
        token_request(client, "dept1", "wrong-password")
    an_hour_ago = utcnow() - timedelta(hours=1)
    db.session.execute(update(SignInFailure).values(failed_at=an_hour_ago))
    db.session.commit()
    assert token_request(client, "dept1", "still-wrong").status_code == 401
    refused = token_request(client, "dept1", PASSWORD)
    assert 30 < int(refused.headers["Retry-After"]) <= 60  # the 6th failure doubled the wait
    db.session.execute(update(SignInFailure).values(failed_at=an_hour_ago))
    db.session.commit()
    assert token_request(client, "dept1", PASSWORD).status_code == 200
    remaining = select(func.count()).select_from(SignInFailure).where(SignInFailure.key == "user:dept1")
    assert db.session.scalar(remaining) == 0


def test_one_address_guessing_many_usernames_is_throttled(client, world):
    for number in range(20):
        assert token_request(client, f"guess{number}", "wrong-password", "10.9.8.7").status_code == 401
    assert token_request(client, "dept1", PASSWORD, "10.9.8.7").status_code == 429
    assert token_request(client, "dept1", PASSWORD, "10.9.8.8").status_code == 200


def test_old_failures_are_purged(client, world):
    db.session.add(SignInFailure(key="user:someone", failed_at=utcnow() - timedelta(days=2)))
    db.session.commit()
    token_request(client, "dept1", "wrong-password")
    assert db.session.scalar(select(func.count()).where(SignInFailure.key == "user:someone")) == 0


def test_the_sign_in_page_shows_the_wait_in_vietnamese(client, world):
    def attempt(password: str):
        token = csrf_token_of(client.get("/sign-in").get_data(as_text=True))
        return client.post("/sign-in", data={"csrf_token": token, "username": "post1", "password": password})

    for _ in range(5):
        assert attempt("wrong-password").status_code == 401
    refused = attempt(PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Nhập sai mật khẩu quá nhiều lần. Hãy đợi 30 giây rồi thử lại." in refused.get_data(as_text=True)


def test_an_unknown_username_costs_as_much_as_a_known_one(app, client, world):
    app.config.update(
        PASSWORD_HASH_METHOD="pbkdf2:sha256:150000",
        SIGN_IN_FAILURES_PER_USERNAME=1000,
        SIGN_IN_FAILURES_PER_ADDRESS=1000,
    )
    create_user("slowhash", "Slow hash", PASSWORD, Role.DEPARTMENT_CLERK, world["units"]["STP"])
    db.session.commit()

    def median_seconds(username: str) -> float:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            assert token_request(client, username, "wrong-password").status_code == 401
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    median_seconds("nobody-at-all")  # warm up
    known, unknown = median_seconds("slowhash"), median_seconds("nobody-at-all")
    assert known / 3 < unknown < known * 3, (known, unknown)


def test_guessing_the_current_password_with_a_stolen_session_is_throttled(as_user):
    thief = as_user("dept1")
    for _ in range(5):
        wrong = thief.post(
            "/api/v1/users/me/password", {"current_password": "guess", "new_password": "Mat-khau-moi-99"}
        )
        assert wrong.json["error"]["code"] == "wrong_current_password"
    refused = thief.post("/api/v1/users/me/password", {"current_password": PASSWORD, "new_password": "Mat-khau-moi-99"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
