"""Accounts under concurrency: the SMS-code request and check paths (p50/p95) and login throughput
with the production password hasher.

Runs in-process against the bench PostgreSQL database (``tests.bench.harness.setup_django``) and the
shared cache named by CACHE_URL (Redis at redis://127.0.0.1:6379/15 when it answers, as in
production; else locmem). The SMS backend is locmem so the gateway's own latency is not measured.

Environment: BENCH_ACCOUNTS_REQUESTS (default 400), BENCH_ACCOUNTS_CONCURRENCY (default 8),
BENCH_LOGINS (default 24).
"""

from __future__ import annotations

import os
import re
import statistics
import threading
import time
from dataclasses import dataclass

REQUESTS = int(os.environ.get("BENCH_ACCOUNTS_REQUESTS", "400"))
CONCURRENCY = int(os.environ.get("BENCH_ACCOUNTS_CONCURRENCY", "8"))
LOGINS = int(os.environ.get("BENCH_LOGINS", "24"))


def _redis_answers() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class Result:
    name: str
    calls: int
    errors: int
    per_second: float
    p50_ms: float
    p95_ms: float


def run_concurrently(name: str, items: list, func, *, concurrency: int) -> Result:
    from django.db import connection

    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    iterator = iter(items)

    def worker():
        nonlocal errors
        try:
            while True:
                with lock:
                    item = next(iterator, None)
                if item is None:
                    return
                start = time.perf_counter()
                try:
                    func(item)
                    ok = True
                except Exception:  # noqa: BLE001 - counted and reported
                    ok = False
                elapsed = time.perf_counter() - start
                with lock:
                    if ok:
                        latencies.append(elapsed)
                    else:
                        errors += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    latencies.sort()
    return Result(
        name,
        len(items),
        errors,
        len(latencies) / wall if wall else 0.0,
        statistics.median(latencies) * 1000 if latencies else float("nan"),
        latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000 if latencies else float("nan"),
    )


def main() -> None:
    if "CACHE_URL" not in os.environ and _redis_answers():
        os.environ["CACHE_URL"] = "redis://127.0.0.1:6379/15"
    os.environ.setdefault("SMS_BACKEND", "portal.accounts.sms.backends.locmem.SmsBackend")
    from tests.bench import harness

    harness.setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import get_hasher
    from django.core.cache import cache

    from portal.accounts import sms
    from portal.accounts.backends import LoginNameBackend
    from portal.accounts.codes import check_sms_code, issue_sms_code
    from portal.accounts.models import Account

    # throttles stay on (their cache round-trips are part of the path) but do not refuse here
    settings.SMS_BACKEND = "portal.accounts.sms.backends.locmem.SmsBackend"
    settings.SMS_DAILY_LIMIT_PER_PHONE = 10**6
    settings.SMS_DAILY_LIMIT_PER_PHONE_IP = 10**6
    settings.SMS_HOURLY_LIMIT_PER_IP = 10**6
    cache.clear()
    sms.outbox.clear()

    phones = [f"1390{i:07d}" for i in range(REQUESTS)]
    issue = run_concurrently(
        "SMS code request (throttles + DB + render + send)",
        phones,
        lambda phone: issue_sms_code(phone=phone, purpose="register", ip=f"10.0.{hash(phone) % 250}.1"),
        concurrency=CONCURRENCY,
    )
    codes = {m.phone: re.search(r"验证码为 (\d{6})", m.text).group(1) for m in list(sms.outbox)}
    check = run_concurrently(
        "SMS code check (right code, consumed once)",
        phones,
        lambda phone: check_sms_code(phone=phone, purpose="register", code=codes[phone]),
        concurrency=CONCURRENCY,
    )

    def wrong(phone):
        try:
            check_sms_code(phone=phone, purpose="register", code="000000")
        except Exception:  # noqa: BLE001 - every call is refused; the latency is what counts
            pass

    refused = run_concurrently("SMS code check (used code refused)", phones, wrong, concurrency=CONCURRENCY)

    hasher = get_hasher()
    User = get_user_model()
    password = "Bench-Pass-2026"
    encoded = hasher.encode(password, hasher.salt())
    users = []
    for i in range(max(LOGINS, 4)):
        user, _ = User.objects.get_or_create(username=f"bench_login_{i}", defaults={"password": encoded})
        Account.objects.get_or_create(user=user, defaults={"phone": f"1370{i:07d}"})
        users.append(user.username)
    backend = LoginNameBackend()

    def log_in(username):
        if backend.authenticate(None, username=username, password=password) is None:
            raise RuntimeError("login failed")

    logins = []
    for concurrency in sorted({1, os.cpu_count() or 2}):
        logins.append(
            run_concurrently(
                f"password check, {concurrency} thread(s)", users[:LOGINS], log_in, concurrency=concurrency
            )
        )

    cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(
        f"\nAccounts  ({CONCURRENCY} threads, {REQUESTS} phones, PostgreSQL, cache {cache_backend}, "
        f"{os.cpu_count()} CPUs)"
    )
    print(f"{'path':<52} {'calls':>6} {'per s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}")
    for r in [issue, check, refused, *logins]:
        print(
            f"{r.name:<52} {r.calls:>6} {r.per_second:>8.1f} {r.p50_ms:>8.2f} {r.p95_ms:>8.2f} {r.errors:>6}"
        )
    iterations = getattr(hasher, "iterations", "-")
    print(
        f"password hasher: {hasher.algorithm} (iterations {iterations}); one login = one hash, "
        f"so a core serves about {logins[0].per_second:.1f} logins/s"
    )


if __name__ == "__main__":
    main()
