"""Pages through the Flask test client, and in Debian's Chromium against a real server."""

from __future__ import annotations

import re
import threading
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.support import PASSWORD, ApiClient

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-output" / "screenshots"


def csrf_token_of(html: str) -> str:
    """The token every page carries for its forms and its calls to the API."""
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)


def sign_in(client, username: str):
    """Sign a test client in through the sign-in form, as a person does."""
    token = csrf_token_of(client.get("/sign-in").get_data(as_text=True))
    return client.post("/sign-in", data={"csrf_token": token, "username": username, "password": PASSWORD})


@pytest.fixture
def page_client(app, world):
    """page_client("post1") is a test client signed in to the pages as that user."""

    def signed_in(username: str, language: str | None = None):
        client = app.test_client()
        if language:
            client.get(f"/language/{language}")
        assert sign_in(client, username).status_code == 302
        return client

    return signed_in


def send_at(api: ApiClient, to_unit: str, items: list[str], when: datetime) -> str:
    """A transfer packed and dispatched at a past time, as an offline scanner reports it."""
    transfer = api.open_transfer(to_unit)

    def entry(code: str, action: str) -> dict:
        return {
            "idempotency_key": str(uuid.uuid4()),
            "code": code,
            "action": action,
            "transfer_code": transfer,
            "occurred_at": when.isoformat(),
        }

    entries = [entry(item, "add") for item in items] + [entry(transfer, "dispatch")]
    assert api.ok(api.post("/api/v1/scans/batch", entries))["refused"] == 0
    return transfer


@pytest.fixture
def late_transfer(post, now):
    """A transfer from BC-VINH to the centre dispatched ten days ago and never received."""
    item = post.new_item(post.register_dossier()["code"])
    return send_at(post, "TTHCC", [item], now - timedelta(days=10)), item


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make setup` (it installs Debian's chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app, world):
    """The app served over real HTTP in a thread, on the test's database."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def sign_in_page(page, username: str) -> None:
    page.goto("/sign-in")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def browser_as(browser, live_server, request):
    """browser_as("post1") is a Chromium page signed in through the sign-in form."""
    contexts = []

    def signed_in(username: str, width: int = 1280, height: int = 900):
        context = browser.new_context(base_url=live_server, viewport={"width": width, "height": height})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        sign_in_page(page, username)
        return page

    yield signed_in
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot(request):
    """screenshot(page, "name") saves a full-page PNG under test-output/screenshots."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = SCREENSHOTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
SERIOUS = ("serious", "critical")


def assert_accessible(page) -> None:
    """axe-core (bundled with axe-playwright-python, nothing downloaded) finds nothing serious."""
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']][:5]}"
        for v in violations
        if v["impact"] in SERIOUS
    ]
    assert not serious, f"{page.url}: " + "; ".join(serious)
