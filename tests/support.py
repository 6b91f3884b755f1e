"""Test helpers that act as users do: through the HTTP API, or the admin's services."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import event

from tracker.auth.services import create_user
from tracker.domain.custody import Role, UnitKind
from tracker.extensions import db
from tracker.units.services import create_unit

PASSWORD = "mat-khau-thu-nghiem"

UNITS = [
    ("BC-VINH", "Bưu cục Vinh", UnitKind.POST),
    ("BC-DIENCHAU", "Bưu cục Diễn Châu", UnitKind.POST),
    ("TTHCC", "Trung tâm Phục vụ hành chính công tỉnh Nghệ An", UnitKind.CENTRE),
    ("STP", "Sở Tư pháp", UnitKind.DEPARTMENT),
    ("CA", "Công an tỉnh", UnitKind.DEPARTMENT),
]

USERS = [
    ("post1", Role.POSTAL_STAFF, "BC-VINH"),
    ("post2", Role.POSTAL_STAFF, "BC-DIENCHAU"),
    ("centre1", Role.CENTRE_CLERK, "TTHCC"),
    ("centre2", Role.CENTRE_CLERK, "TTHCC"),
    ("dept1", Role.DEPARTMENT_CLERK, "STP"),
    ("dept2", Role.DEPARTMENT_CLERK, "CA"),
    ("super1", Role.SUPERVISOR, "TTHCC"),
    ("admin1", Role.ADMIN, "TTHCC"),
]


@contextmanager
def statements_starting(prefix: str) -> Iterator[list[str]]:
    """The SQL statements sent to the database inside the block that start with prefix (in capitals)."""
    seen: list[str] = []

    def note(_connection, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith(prefix):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def build_world() -> dict:
    units = {code: create_unit(code, name, kind) for code, name, kind in UNITS}
    db.session.flush()
    users = {name: create_user(name, f"User {name}", PASSWORD, role, units[unit]) for name, role, unit in USERS}
    db.session.commit()
    return {"units": units, "users": users}


_dossier_numbers = itertools.count(1)


def dossier_payload(**overrides) -> dict:
    received = datetime(2026, 11, 2, 8, 0, tzinfo=timezone(timedelta(hours=7)))
    payload = {
        "code": f"000.00.18.H40-261102-{next(_dossier_numbers):04d}",
        "procedure_code": "1.001.234",
        "procedure_name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "applicant_name": "Nguyễn Thị Ngọc Ánh",
        "applicant_phone": "0912 345 678",
        "applicant_address": "Số 5, đường Lê Lợi, phường Hưng Bình, TP Vinh",
        "department": "STP",
        "received_at": received.isoformat(),
        "due_at": (received + timedelta(days=10)).isoformat(),
    }
    payload.update(overrides)
    return payload


@dataclass
class ApiClient:
    """A Flask test client that sends a user's bearer token with every request."""

    client: object
    token: str

    @classmethod
    def signed_in(cls, client, username: str) -> ApiClient:
        response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.json
        return cls(client, response.json["token"])

    def _headers(self, headers: dict | None) -> dict:
        return {"Authorization": f"Bearer {self.token}", **(headers or {})}

    def get(self, path: str, **kwargs):
        return self.client.get(path, headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def post(self, path: str, json: dict | list | None = None, **kwargs):
        return self.client.post(path, json=json or {}, headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def put(self, path: str, json: dict | list | None = None, **kwargs):
        return self.client.put(path, json=json or {}, headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def patch(self, path: str, json: dict | None = None, **kwargs):
        return self.client.patch(path, json=json or {}, headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def delete(self, path: str, **kwargs):
        return self.client.delete(path, headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    # The steps of a journey, each asserting that the API accepted it.

    def ok(self, response, status: int = 200):
        assert response.status_code == status, response.json
        return response.json

    def register_dossier(self, **overrides) -> dict:
        return self.ok(self.post("/api/v1/dossiers", dossier_payload(**overrides)), 201)

    def new_item(self, dossier_code: str, kind: str = "application", **extra) -> str:
        body = {"kind": kind, **extra}
        return self.ok(self.post(f"/api/v1/dossiers/{dossier_code}/items", body), 201)["code"]

    def open_transfer(self, to_unit: str) -> str:
        return self.ok(self.post("/api/v1/transfers", {"to_unit": to_unit}), 201)["code"]

    def add(self, transfer: str, item: str, **extra) -> dict:
        return self.ok(self.post(f"/api/v1/transfers/{transfer}/items", {"item_code": item, **extra}), 201)

    def dispatch(self, transfer: str, **extra) -> dict:
        return self.ok(self.post(f"/api/v1/transfers/{transfer}/dispatch", extra))

    def receive(self, transfer: str, scanned: list[str], **extra) -> dict:
        return self.ok(self.post(f"/api/v1/transfers/{transfer}/receive", {"scanned": scanned, **extra}))

    def send(self, to_unit: str, items: list[str], **dispatch_extra) -> str:
        """Open a transfer, pack the items and dispatch it; the transfer's code."""
        transfer = self.open_transfer(to_unit)
        for item in items:
            self.add(transfer, item)
        self.dispatch(transfer, **dispatch_extra)
        return transfer

    def item(self, code: str) -> dict:
        return self.ok(self.get(f"/api/v1/items/{code}"))
