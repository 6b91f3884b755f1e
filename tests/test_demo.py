from sqlalchemy import func, select

from tracker.custody.models import Item, Transfer
from tracker.demo.province import DEMO_PASSWORD
from tracker.extensions import db


def test_seed_demo_builds_a_province_with_history(app, runner):
    result = runner.invoke(args=["seed-demo", "--dossiers", "60", "--weeks", "3"])
    assert result.exit_code == 0, result.output
    assert "60 hồ sơ" in result.output
    assert "giamsat" in result.output and DEMO_PASSWORD in result.output

    statuses = dict(db.session.execute(select(Item.status, func.count()).group_by(Item.status)).all())
    assert statuses.get("delivered", 0) > 0 and statuses.get("held", 0) > 0
    transfers = dict(db.session.execute(select(Transfer.status, func.count()).group_by(Transfer.status)).all())
    assert transfers.get("received", 0) > 0

    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "not seeded" in again.output
    assert DEMO_PASSWORD not in again.output, "logins are printed only when they were just seeded"


def test_demo_logins_work(app, runner, client):
    runner.invoke(args=["seed-demo", "--dossiers", "10", "--weeks", "1"])
    response = client.post("/api/v1/auth/token", json={"username": "trungtam", "password": DEMO_PASSWORD})
    assert response.status_code == 200 and response.json["user"]["unit"] == "TTHCC"
