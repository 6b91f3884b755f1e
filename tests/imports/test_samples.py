"""The sample exports in docs/samples import cleanly into the demo's units, as the doc shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.auth.services import create_user
from tracker.demo.province import DEMO_UNITS
from tracker.domain.custody import Role
from tracker.extensions import db
from tracker.units.services import create_unit

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


@pytest.fixture
def demo_units(app):
    units = {code: create_unit(code, name, kind) for code, name, kind in DEMO_UNITS}
    db.session.flush()
    create_user("admin", "Quản trị", "mat-khau-thu-nghiem", Role.ADMIN, units["TTHCC"])
    db.session.commit()


@pytest.mark.parametrize("name", ["dossiers-mot-cua.csv", "dossiers-mot-cua.xlsx"])
def test_the_documented_commands_import_the_samples(runner, demo_units, name):
    path = str(SAMPLES / name)
    dry = runner.invoke(args=["dossiers", "import", path, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Chạy thử (không ghi gì): 5 dòng." in dry.output and "tạo mới: 5" in dry.output
    done = runner.invoke(args=["dossiers", "import", path, "--as", "admin"])
    assert done.exit_code == 0 and "tạo mới: 5" in done.output
    again = runner.invoke(args=["dossiers", "import", path, "--json"])
    assert '"unchanged": 5' in again.output
