"""Run the real task worker (`manage.py db_worker`) as a subprocess against the test database.

The test settings use a file for the SQLite test database (and PostgreSQL is a server anyway), so
the subprocess sees what a transactional test committed. Tests that use this must be
``django_db(transaction=True)`` and set ``TASKS`` to the database backend for their own process.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "evidence"]}
}


def test_database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    credentials = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{db['NAME']}"


def worker_env(evidence_root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": test_database_url(),
        "TASKS_BACKEND": "database",
        "EVIDENCE_STORAGE_ROOT": str(evidence_root),
        "PYTHONPATH": str(ROOT),
    }


def worker_command(*extra: str) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "manage.py"),
        "db_worker",
        "--queue-name",
        "*",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.2",
        *extra,
    ]


def run_batch(evidence_root: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """Process every queued task, then exit (``db_worker --batch``)."""
    return subprocess.run(
        worker_command("--batch"),
        cwd=ROOT,
        env=worker_env(evidence_root),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@contextlib.contextmanager
def running_worker(evidence_root: Path):
    """A worker polling the queue for the duration of the block; stopped (SIGTERM) afterwards."""
    process = subprocess.Popen(
        worker_command(),
        cwd=ROOT,
        env=worker_env(evidence_root),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
