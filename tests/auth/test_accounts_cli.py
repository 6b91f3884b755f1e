"""The operator's account commands: the first admin of an empty installation, and a lost password."""

from sqlalchemy import select

from tracker.audit.models import AuditEntry
from tracker.extensions import db

ADMIN_PASSWORD = "Quan-tri-tinh-2026"


def test_the_first_admin_of_an_empty_installation_signs_in(runner, client):
    weak = runner.invoke(args=["users", "create-admin", "qt.tinh", "--full-name", "Quản trị"], input="short\nshort\n")
    assert weak.exit_code == 1 and "10" in weak.output
    made = runner.invoke(
        args=["users", "create-admin", "qt.tinh", "--full-name", "Quản trị tỉnh"],
        input=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n",
    )
    assert made.exit_code == 0, made.output
    assert "Admin qt.tinh created at TTHCC" in made.output
    token = client.post("/api/v1/auth/token", json={"username": "qt.tinh", "password": ADMIN_PASSWORD}).json["token"]
    me = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"}).json
    assert (me["role"], me["unit"]) == ("admin", "TTHCC")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.target_key == "qt.tinh"))
    assert (entry.actor, entry.action) == (None, "create")


def test_a_lost_password_is_reset_from_the_command_line(runner, client, world):
    result = runner.invoke(args=["users", "reset-password", "admin1"])
    assert result.exit_code == 0, result.output
    one_time = result.output.strip().rsplit(" ", 1)[-1]
    token = client.post("/api/v1/auth/token", json={"username": "admin1", "password": one_time}).json["token"]
    refused = client.get("/api/v1/users", headers={"Authorization": f"Bearer {token}"})
    assert refused.json["error"]["code"] == "password_change_required"
    assert runner.invoke(args=["users", "reset-password", "nobody"]).exit_code == 1
