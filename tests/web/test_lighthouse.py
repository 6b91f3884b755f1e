"""Lighthouse's accessibility score, 100 on every page, on a phone and on a desktop.

axe (tests/web/test_accessibility.py) says what is wrong while a test walks the pages; this is
the same measure a reviewer runs in Chromium's DevTools, over every page the service has, with
real data behind it. Lighthouse comes from the npm registry, installed by `make setup`.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import on_postgres
from tests.journey_end import result_at_post
from tests.pages_support import sign_in

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE_DIR = ROOT / ".cache" / "lighthouse"

# Pages do not depend on the database; one pass (the embedded default) measures them.
pytestmark = pytest.mark.skipif(on_postgres(), reason="pages are measured once, on SQLite")


def pages_by_user(as_user, procedure: dict) -> dict[str | None, list[str]]:
    """Every page of the service, for the user who uses it, with data behind each."""
    post, centre, admin = as_user("post1"), as_user("centre1"), as_user("admin1")
    dossier, result = result_at_post(as_user)
    packed, sent, received = (post.new_item(post.register_dossier()["code"]) for _ in range(3))
    draft = post.open_transfer("TTHCC")
    post.add(draft, packed)
    coming = post.send("TTHCC", [sent], seal_number="NP-1")
    done = post.send("TTHCC", [received])
    centre.receive(done, [received])
    open_dossier = post.item(sent)["dossier_code"]
    subscription = {"url": "http://127.0.0.1:9/hook", "events": ["dossier.registered"]}
    hook = admin.ok(admin.post("/api/v1/webhooks", subscription), 201)
    return {
        None: ["/sign-in", "/tra-cuu", f"/tra-cuu/{dossier}"],
        "post1": ["/counter", f"/counter/registered/{sent}", "/scan", f"/scan/{draft}", f"/scan/{coming}",
                  "/holdings", "/delivery", f"/delivery/{result}", "/dossiers", f"/dossiers?q={dossier}",
                  f"/dossiers/{dossier}", "/account/password"],
        "centre1": ["/receive", f"/receive/{coming}", f"/receive/{done}", "/imports", "/notifications"],
        "dept1": [f"/dossiers/{open_dossier}", f"/dossiers/{open_dossier}/return"],
        "super1": ["/dashboard", "/route-limits"],
        "admin1": ["/admin", "/admin/users", "/admin/users/new", "/admin/users/post1/edit", "/admin/units",
                   "/admin/calendar", "/admin/procedures", "/admin/procedures/new",
                   f"/admin/procedures/{procedure['code']}", "/admin/audit", "/administration/webhooks",
                   f"/administration/webhooks/{hook['id']}"],
    }  # fmt: skip


def session_cookie(app, username: str | None) -> str:
    client = app.test_client()
    if username is None:
        return ""
    assert sign_in(client, username).status_code == 302
    return f"session={client.get_cookie('session').value}"


def lighthouse(urls: list[str], cookie: str, form_factor: str) -> list[dict]:
    request = json.dumps({"urls": urls, "cookie": cookie, "formFactor": form_factor})
    run = subprocess.run(
        ["node", str(Path(__file__).with_name("lighthouse.mjs"))],
        input=request, capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "LIGHTHOUSE_DIR": str(LIGHTHOUSE_DIR)},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


@pytest.mark.parametrize("form_factor", ["mobile", "desktop"])
def test_every_page_scores_100_for_accessibility(app, live_server, as_user, procedure, form_factor):
    pages = pages_by_user(as_user, procedure)
    below = []
    measured = 0
    for username, paths in pages.items():
        cookie = session_cookie(app, username)
        client = app.test_client()
        if cookie:
            client.set_cookie("session", cookie.removeprefix("session="))
        for path in paths:  # each page really is there for that user, not a redirect or a refusal
            assert client.get(path).status_code == 200, (username, path)
        for page in lighthouse([live_server + path for path in paths], cookie, form_factor):
            measured += 1
            if page["score"] < 100:
                below.append(f"{page['url']}: {page['score']} {page['failed']}")
    assert measured == sum(len(paths) for paths in pages.values())
    assert below == []
