"""Real servers on 127.0.0.1 for the worker to talk to: an HTTP receiver and an SMTP server."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from tracker.extensions import db


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Records every POST; answers with the queued statuses first, then 200."""

    url: str
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def events(self) -> list[tuple[str, str]]:
        import json

        return [(r.headers["webhook-id"], json.loads(r.body)["type"]) for r in self.requests]


@pytest.fixture
def receiver():
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            time.sleep(state.delay)
            with state.lock:
                state.requests.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
                status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def bodies(self, message) -> tuple[str, str]:
        return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


@pytest.fixture
def smtp_server(app):
    """An aiosmtpd server on a free port, and the app's SMTP_URL pointing at it."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    yield mailbox
    controller.stop()


def subscribe(admin, url: str, events: list[str]) -> dict:
    """An admin's webhook subscription, secret included."""
    return admin.ok(admin.post("/api/v1/webhooks", {"url": url, "events": events, "description": "tỉnh"}), 201)


def run_worker(runner, now: str | None = None) -> str:
    """flask worker --once (at a given time, for retries and delays); its summary line."""
    result = runner.invoke(args=["worker", "--once", *(["--now", now] if now else [])])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def at_once(app, count: int, action) -> list[Exception]:
    """Run action in count threads released together, each in its own app context; their errors."""
    barrier = threading.Barrier(count)
    errors: list[Exception] = []

    def work():
        with app.app_context():
            try:
                barrier.wait()
                action()
            except Exception as error:  # reported to the caller, not lost in the thread
                errors.append(error)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=work) for _ in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return errors
