"""The centre attaches the mã hồ sơ and the appointment date to a dossier registered without them."""

from __future__ import annotations

import re

import pytest

from tests.pages_support import csrf_token_of
from tests.support import dossier_payload

MA_HO_SO = "000.00.18.H40-261125-0042"


@pytest.fixture
def unnumbered(post) -> str:
    """A dossier the post registered before the one-stop system numbered it: its tracking code."""
    payload = dossier_payload(due_at=None)
    del payload["code"]
    dossier = post.ok(post.post("/api/v1/dossiers", payload), 201)
    assert dossier["code"] is None and dossier["tracking_code"].startswith("HS")
    return dossier["tracking_code"]


@pytest.mark.parametrize(("username", "status"), [("post1", 403), ("dept1", 403), ("super1", 403), ("admin1", 403),
                                                  ("centre1", 200)])  # fmt: skip
def test_only_a_centre_clerk_attaches_through_the_api(as_user, unnumbered, username, status):
    response = as_user(username).client.patch(
        f"/api/v1/dossiers/{unnumbered}",
        json={"code": MA_HO_SO, "due_at": "2026-11-16T17:00:00+07:00"},
        headers={"Authorization": f"Bearer {as_user(username).token}"},
    )
    assert response.status_code == status, response.json
    shown = as_user("dept1").ok(as_user("dept1").get(f"/api/v1/dossiers/{unnumbered}"))
    assert shown["code"] == (MA_HO_SO if status == 200 else None)
    if status == 200:  # both codes find it from now on
        assert as_user("dept1").ok(as_user("dept1").get(f"/api/v1/dossiers/{MA_HO_SO}"))["tracking_code"] == unnumbered
        assert shown["due_at"] == "2026-11-16T17:00:00+07:00"


def test_a_taken_code_is_refused_through_the_api(as_user, post, unnumbered):
    taken = post.register_dossier()["code"]
    centre = as_user("centre1")
    response = centre.client.patch(f"/api/v1/dossiers/{unnumbered}", json={"code": taken},
                                   headers={"Authorization": f"Bearer {centre.token}"})  # fmt: skip
    assert response.status_code == 409 and response.json["error"]["code"] == "dossier_exists"
    assert centre.ok(centre.get(f"/api/v1/dossiers/{unnumbered}"))["code"] is None


def test_the_dossier_page_attaches_and_shows_the_history(page_client, unnumbered):
    centre = page_client("centre1")
    page = centre.get(f"/dossiers/{unnumbered}").get_data(as_text=True)
    form = {"csrf_token": csrf_token_of(page), "code": MA_HO_SO, "appointment": "2026-11-16"}
    saved = centre.post(f"/dossiers/{unnumbered}/attach", data=form)
    assert saved.status_code == 302 and saved.headers["Location"].startswith(f"/dossiers/{MA_HO_SO}")
    form["appointment"] = "2026-11-18"
    assert centre.post(f"/dossiers/{MA_HO_SO}/attach", data=form).status_code == 302
    page = centre.get(f"/dossiers/{unnumbered}").get_data(as_text=True)
    history = re.search(r'<div class="card" id="revisions">(.*?)</div>', page, re.S).group(1)
    assert f"Mã hồ sơ</strong>:\n      – → {MA_HO_SO}" in history
    assert "2026-11-16 → 2026-11-18" in re.sub(r"\s+", " ", history)
    assert "User centre1" in history
    assert 'id="attach"' not in page_client("post1").get(f"/dossiers/{MA_HO_SO}").get_data(as_text=True)


def test_a_refused_attach_keeps_what_was_typed(page_client, post, unnumbered):
    taken = post.register_dossier()["code"]
    centre = page_client("centre1")
    token = csrf_token_of(centre.get(f"/dossiers/{unnumbered}").get_data(as_text=True))
    refused = centre.post(f"/dossiers/{unnumbered}/attach", data={"csrf_token": token, "code": taken,
                                                                  "appointment": "2026-11-19"})  # fmt: skip
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert re.search(r'id="code-error">[^<]*Đã có hồ sơ mang mã này', page)
    assert f'value="{taken}"' in page and 'value="2026-11-19"' in page
    assert 'id="revisions"' not in page
    early = centre.post(f"/dossiers/{unnumbered}/attach", data={"csrf_token": token, "appointment": "2026-10-01"})
    assert early.status_code == 422 and 'id="appointment-error"' in early.get_data(as_text=True)
