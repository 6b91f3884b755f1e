"""Every shell example in the README runs, in order, against a live server on a fresh database.

The examples are taken from the README's ```sh blocks as they stand, so documentation cannot
rot. Only the block of the two commands themselves (`make run`, `make test`) is left out: the
one serves forever and the other is this very suite.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import FAST_PASSWORD_HASH, on_postgres
from tracker import create_app
from tracker.extensions import db

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)
TWO_COMMANDS = ("make run", "make test")

pytestmark = pytest.mark.skipif(on_postgres(), reason="the README runs on the embedded default, SQLite")


def readme_blocks() -> list[str]:
    blocks = BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    return [block for block in blocks if not any(command in block for command in TWO_COMMANDS)]


def test_the_readme_has_examples_to_run():
    blocks = readme_blocks()
    assert len(blocks) >= 4 and all("curl" in b or "api " in b or "flask" in b for b in blocks)


def environment_for(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "FLASK_APP": str(ROOT / "wsgi.py"),
        "PYTHONPATH": str(ROOT),
        "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
        "SECRET_KEY": "readme-examples-" + "x" * 32,
    }


@pytest.fixture
def demo_server(tmp_path):
    """As `make run` does it: migrate, seed the demo, serve over HTTP; the database URL and port."""
    url = f"sqlite:///{tmp_path / 'readme.sqlite3'}"
    flask = [sys.executable, "-m", "flask"]
    for command in (["db", "upgrade"], ["seed-demo", "--dossiers", "30", "--weeks", "6"]):
        done = subprocess.run([*flask, *command], env=environment_for(url), capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url, server.server_port
    server.shutdown()
    thread.join()
    with app.app_context():
        db.engine.dispose()


def test_every_shell_example_in_the_readme_runs(demo_server, tmp_path):
    url, port = demo_server
    work = tmp_path / "work"
    work.mkdir()
    (work / ".venv").symlink_to(Path(sys.prefix))  # `.venv/bin/flask` as the README writes it
    script = (
        "\n\n".join(f"echo '--- example {number}'\n{block}" for number, block in enumerate(readme_blocks(), start=1))
        .replace("127.0.0.1:5000", f"127.0.0.1:{port}")
        .replace("localhost:5000", f"127.0.0.1:{port}")
    )
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=work,
        env=environment_for(url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert (work / "phieu.pdf").read_bytes().startswith(b"%PDF")
    assert '"status":"received"' in result.stdout.replace(" ", "")
