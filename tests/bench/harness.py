"""Shared benchmark helpers: a fresh migrated PostgreSQL database, gunicorn with DEBUG off on a
free 127.0.0.1 port, a bounded threaded load loop (http.client), and the in-process SQL query count.

Every benchmark module (tests/bench/bench_*.py) exposes ``main()``; ``tests/bench/run.py`` calls
them. Figures are compared with the trivial view /bench/trivial/ served the same way (the ceiling),
so the ratio stays comparable from one machine or run to the next.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portal_bench),
BENCH_SETTINGS_MODULE (default tests.bench.settings), BENCH_WORKERS (gunicorn workers, default: CPUs),
BENCH_REQUESTS (per URL, default 400), BENCH_CONCURRENCY (default 4), BENCH_CACHE_URL (the cache of
the benchmarked server and of the in-process counts, default locmem://; redis://… for a shared one),
BENCH_QUICK=1 (smoke test: the fresh database is copied from a migrated template kept beside it,
``<name>_migrated``, while the migrations and installed packages are unchanged, instead of migrating).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
SETTINGS_MODULE = os.environ.get("BENCH_SETTINGS_MODULE", "tests.bench.settings")
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "locmem://")
TRIVIAL_URL = "/bench/trivial/"

_django_ready = False


def setup_django(*, fresh_database: bool = True) -> None:
    """Point Django at the bench database (dropped and re-created when ``fresh_database``) and migrate."""
    global _django_ready
    if _django_ready:
        return
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["CACHE_URL"] = CACHE_URL
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
    copied = fresh_database and quick and _copy_migrated_template(DATABASE_URL)
    if fresh_database and not copied:
        _recreate_database(DATABASE_URL)
    import django
    from django.core.management import call_command

    django.setup()
    if not copied:
        call_command("migrate", verbosity=0, interactive=False)
        if fresh_database and quick:
            _keep_migrated_template(DATABASE_URL)
    _django_ready = True


def _migrations_fingerprint() -> str:
    """What the migrated schema depends on: the project's migrations and the installed packages."""
    import hashlib
    from importlib import metadata

    digest = hashlib.sha256()
    for top in sorted(p for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for path in sorted(top.glob("**/migrations/*.py")):
            digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(packages).encode())
    return digest.hexdigest()


def _copy_migrated_template(url: str) -> bool:
    """Re-create the bench database as a copy of its migrated template if that is current."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (f"{name}_migrated",),
        ).fetchone()
        if row is None or row[0] != _migrations_fingerprint():
            return False
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        try:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{name}_migrated"')
        except psycopg.Error:  # another run is copying it right now
            return False
    return True


def _keep_migrated_template(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()  # a template is copied only while nobody is connected to it
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        try:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}_migrated" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}_migrated" TEMPLATE "{name}"')
            conn.execute(f"COMMENT ON DATABASE \"{name}_migrated\" IS '{_migrations_fingerprint()}'")
        except psycopg.Error:  # another run holds it: the next quick run migrates again
            pass


def _recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn_server(*, workers: int = WORKERS, env: dict[str, str] | None = None):
    """Run gunicorn (sync workers, DEBUG off) on a free port; yields its base URL; always stops it.
    ``env`` adds environment variables (e.g. a setting switched off for one run)."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "DATABASE_URL": DATABASE_URL,
        "CACHE_URL": CACHE_URL,
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "portal.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        _wait_until_up("127.0.0.1", port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(host: str, port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode}")
        try:
            status, _ = _get(host, port, TRIVIAL_URL)
            if status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


def _get(host: str, port: int, path: str) -> tuple[int, float]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", quote(path, safe="/?=&%"), headers={"Host": host})
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - start
    finally:
        conn.close()


@dataclass
class LoadResult:
    path: str
    requests: int
    errors: int
    requests_per_second: float
    p50_ms: float
    p95_ms: float


def load(
    base_url: str, path: str, *, requests: int = REQUESTS, concurrency: int = CONCURRENCY, warmup: int = 10
) -> LoadResult:
    """GET ``path`` ``requests`` times from ``concurrency`` threads; bounded, so it always stops."""
    parsed = urlparse(base_url)
    host, port = parsed.hostname, parsed.port
    for _ in range(warmup):
        _get(host, port, path)
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker():
        nonlocal errors
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            try:
                status, elapsed = _get(host, port, path)
            except OSError:
                status, elapsed = 0, 0.0
            with lock:
                if status != 200:
                    errors += 1
                else:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    latencies.sort()
    return LoadResult(
        path=path,
        requests=requests,
        errors=errors,
        requests_per_second=len(latencies) / wall if wall else 0.0,
        p50_ms=statistics.median(latencies) * 1000 if latencies else float("nan"),
        p95_ms=latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000 if latencies else float("nan"),
    )


def count_queries(path: str) -> tuple[int, int]:
    """SQL queries of one request to ``path`` in-process: (cold cache, warm cache: the next request)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        counts.append(len(ctx.captured_queries))
    return counts[0], counts[1]


def print_table(
    title: str,
    results: list[LoadResult],
    queries: dict[str, tuple[int, int]],
    ceilings: dict[str, float] | None = None,
) -> None:
    """``ceilings``: per URL, the trivial view's rate measured next to it (else the table's trivial row)."""
    ceiling = next((r.requests_per_second for r in results if r.path == TRIVIAL_URL), None)
    print(
        f"\n{title}  (gunicorn {WORKERS} sync workers, {CONCURRENCY} concurrent clients, "
        f"{REQUESTS} requests per URL, DEBUG off, PostgreSQL)"
    )
    header = f"{'URL':<52} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'vs trivial':>10} {'SQL cold/warm':>14} {'errors':>6}"
    print(header)
    print("-" * len(header))
    for r in results:
        local = (ceilings or {}).get(r.path, ceiling)
        ratio = f"{r.requests_per_second / local:.2f}" if local else "-"
        cold, warm = queries.get(r.path, (0, 0))
        print(
            f"{r.path:<52} {r.requests_per_second:>8.1f} {r.p50_ms:>8.1f} {r.p95_ms:>8.1f} {ratio:>10} "
            f"{f'{cold}/{warm}':>14} {r.errors:>6}"
        )
