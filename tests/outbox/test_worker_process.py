"""flask worker as its own process: it sends what the web side recorded and stops on SIGTERM."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.receivers import subscribe

ROOT = Path(__file__).resolve().parents[2]


def test_the_worker_process_sends_and_stops_cleanly_on_sigterm(database_url, as_user, receiver):
    subscribe(as_user("admin1"), receiver.url, ["item.registered"])
    post = as_user("post1")
    post.new_item(post.register_dossier()["code"])
    environment = {
        **os.environ,
        "DATABASE_URL": str(database_url),
        "FLASK_APP": "wsgi",
        "SECRET_KEY": "worker-test-" + "k" * 32,
    }
    flask = Path(sys.executable).parent / "flask"
    worker = subprocess.Popen(
        [flask, "worker", "--interval", "0.2"], cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(receiver.requests) == 1
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0
    assert output.strip().endswith("Worker stopped.")
