"""Filings under load (issue 11, "Benchmarks"): the wizard's 【暂存】 and the deadline spike.

Everything runs against gunicorn (2 sync workers, ``tests.bench.settings``: production settings,
DEBUG off) on PostgreSQL; windows, enterprises, filings and evidence are created in-process through
the services (not by HTTP), and every simulated enterprise has its own login session, written
straight into the session store (the site's login needs an SMS code).

1. 【暂存】: ENTERPRISES enterprises, each with its own 创新型中小企业 draft, save the 经营数据 step
   (changed figures each time) on a fixed schedule — (a) every 2 s for 60 s, goal p95 ≤ 100 ms and
   0 errors; (b) every 0.25 s for 30 s, goal ≥ 180 saves/s achieved with p95 ≤ 250 ms and 0 errors.
   "in place" is the request wizard.js sends (Accept: application/json; the answer is the new
   revision), the goals' workload, in BENCH_ROUNDS rounds; "page" is the same POST without
   JavaScript (the answer is the whole page), one round, for comparison. A client waits for its
   answer before its next save and never bursts to catch up, so the achieved rate is what the
   server sustains. Each round is printed next to the trivial view measured just before it, the
   1-minute load average and the CPU time per save of the workers, the PostgreSQL backends and the
   clients (what a loaded machine inflates least), with the ceiling that CPU cost allows.
2. SQL queries of one save, in-process (CaptureQueriesContext), in place and as a page, with the
   save population only and again with the spike population, a 400-event timeline and a long
   answer: must not change.
3. Deadline spike: complete, valid filings with a passed evidence zip (a stored file) POSTed to
   /enterprise/filings/<pk>/submit/ at SPIKE_PER_MINUTE for SPIKE_SECONDS (open loop: arrivals do not
   wait for answers), gunicorn + ``manage.py db_worker`` + PostgreSQL. Afterwards the rows are
   counted: filings in 待审核, engine submissions submitted, submit events, locked archives.

The 300 MB evidence zip is tests/bench/bench_evidence.py.

Environment: BENCH_QUICK=1 (everything scaled down, a smoke test: with bench_evidence two to three
minutes on the shared 2-core machine), BENCH_ROUNDS (default 3), BENCH_FILING_ENTERPRISES (default 50),
BENCH_SPIKE_PER_MINUTE (default 1000), BENCH_SPIKE_SECONDS (default 180), BENCH_DATABASE_URL,
BENCH_CACHE_URL (see harness.py).
"""

from __future__ import annotations

import datetime as dt
import http.client
import io
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse

from tests.bench import harness

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
ENTERPRISES = int(os.environ.get("BENCH_FILING_ENTERPRISES", "20" if QUICK else "50"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "1" if QUICK else "3"))
WORKERS = 2  # the figure: gunicorn with 2 workers on the 2-core machine


@dataclass(frozen=True)
class Workload:
    name: str
    interval: float  # seconds between two saves of one enterprise
    seconds: float
    in_place: bool  # 【暂存】 as wizard.js sends it (JSON answer); else the page without JavaScript
    rounds: int
    goal_p95_ms: float | None = None
    goal_rate: float | None = None

    @property
    def label(self) -> str:
        return f"({self.name}) {'in place' if self.in_place else 'page'}, every {self.interval:g} s"


WORKLOADS = [
    Workload("a", 2.0, 10.0 if QUICK else 60.0, True, ROUNDS, goal_p95_ms=100.0),
    Workload("b", 0.25, 10.0 if QUICK else 30.0, True, ROUNDS, goal_p95_ms=250.0, goal_rate=180.0),
    # the same without JavaScript (each save answers with the whole page rendered again): one round
    Workload("a", 2.0, 10.0 if QUICK else 60.0, False, 1),
    Workload("b", 0.25, 10.0 if QUICK else 30.0, False, 1),
]
SPIKE_PER_MINUTE = int(os.environ.get("BENCH_SPIKE_PER_MINUTE", "1000"))
SPIKE_SECONDS = float(os.environ.get("BENCH_SPIKE_SECONDS", "10" if QUICK else "180"))
SPIKE_THREADS = 64  # client threads the arrivals are handed to (the open loop's ceiling)
FORM = Path(harness.ROOT) / "fixtures" / "forms" / "innovation_self_test.json"
FILL_STEP = "finance"
REVISION = re.compile(rb'name="wizard_revision" value="(\d+)"')

# a complete, valid 创新型中小企业自测表 (the name and USCC are the enterprise's, filled by the engine)
ANSWERS = {
    "main_product": "工业传感器",
    "independent_legal_person": True,
    "is_sme": True,
    "not_on_lists": True,
    "no_major_incident": True,
    "product_permitted": True,
    "revenue": 5200.0,
    "main_revenue": 4800.0,
    "main_revenue_prev": 4000.0,
    "rd_spend": 320.0,
    "total_assets": 9000.0,
    "total_liabilities": 4100.0,
    "ip_class": "B",
    "main_product_field": "strategic",
    "st_award": False,
    "valid_honour": False,
    "rd_institution": True,
    "equity_financing": 0.0,
    "pledge_truthful": True,
}


# --- population (in-process, through the services) ---------------------------------------------------


@dataclass
class Draft:
    """One simulated enterprise: its login session, CSRF secret and filing."""

    filing_id: int
    sessionid: str
    csrf: str
    prefix: str
    revision: int
    evidence: str = ""
    saves: int = 0


def setup_reference() -> None:
    """The 创新型 form (published), Guangdong's open window; the nationwide 申报条件 come from a migration."""
    from django.utils import timezone

    from forms_engine.services import import_definition_document
    from portal.filings.models import FilingWindow
    from tests.factories.enterprises import _reference_rows

    import_definition_document(document=json.loads(FORM.read_text(encoding="utf-8")))
    county, _ = _reference_rows()
    now = timezone.now()
    FilingWindow.objects.get_or_create(
        province=county.parent.parent,
        level="innovative",
        year=now.year,
        batch=1,
        defaults={"opens_at": now - dt.timedelta(days=1), "closes_at": now + dt.timedelta(days=30)},
    )


_serial = iter(range(1, 10**7))


def create_enterprises(count: int) -> list:
    """``count`` verified 法人 accounts, each owning an enterprise with a complete profile; rows as
    tests/accounts and tests/enterprises factories make them, bulk-created (no password hashing:
    these users only ever log in through the session store)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from portal.accounts.models import Account
    from portal.enterprises.models import Enterprise
    from tests.enterprises.factories import CompleteEnterpriseFactory, make_id_number, make_uscc

    User = get_user_model()
    serials = [next(_serial) for _ in range(count)]
    users = User.objects.bulk_create(
        [User(username=f"bench_filing_{n:07d}", password=make_password(None)) for n in serials]
    )
    usccs = [make_uscc(n) for n in serials]
    Account.objects.bulk_create(
        Account(
            user=user,
            phone=f"135{n:08d}",
            user_type="legal",
            verification_status="verified",
            real_name="张三",
            uscc=uscc,
        )
        for user, n, uscc in zip(users, serials, usccs, strict=True)
    )
    template = CompleteEnterpriseFactory.build(owner=users[0])
    profile = {
        name: getattr(template, name)
        for name in (
            "region",
            "industry",
            "established_on",
            "registered_capital",
            "size_class",
            "employees",
            "contact_name",
            "contact_phone",
            "contact_email",
            "address",
            "main_products",
        )
    }
    return Enterprise.objects.bulk_create(
        Enterprise(
            owner=user,
            name=f"压测申报{n}科技有限公司",
            uscc=uscc,
            legal_representative="张三",
            legal_representative_id=make_id_number(n),
            **profile,
        )
        for user, n, uscc in zip(users, serials, usccs, strict=True)
    )


def log_in(user) -> tuple[str, str]:
    """A login session in the session store, as django.contrib.auth.login leaves it; and a CSRF
    secret for the client's cookie."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key, secrets.token_hex(16)


def create_drafts(count: int, *, complete: bool, evidence_storage=None) -> list[Draft]:
    """``count`` enterprises with a 创新型 filing started by start_filing; with ``complete`` every
    answer is saved through the engine and a passed evidence zip is attached to the submit.
    Four threads (each its own connection): the services wait on the database most of the time."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    enterprises = create_enterprises(count)

    def one(enterprise) -> Draft:
        try:
            return _draft(enterprise, complete=complete, evidence_storage=evidence_storage)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(one, enterprises))


def _draft(enterprise, *, complete: bool, evidence_storage) -> Draft:
    from forms_engine import services as engine
    from portal.filings import services

    user = enterprise.owner
    filing = services.start_filing(enterprise=enterprise, user=user, level="innovative")
    submission = filing.submission
    if complete:
        submission = engine.save_submission_progress(
            submission=submission,
            expected_revision=submission.revision,
            wizard_state={},
            answers={**submission.answers, **ANSWERS},
        )
    sessionid, csrf = log_in(user)
    draft = Draft(filing.pk, sessionid, csrf, f"form_{submission.version_id}", submission.revision)
    if evidence_storage is not None:
        draft.evidence = str(passed_archive(enterprise, user, evidence_storage).public_id)
    return draft


def small_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("申报材料/营业执照副本.pdf", b"%PDF-1.7\n" + os.urandom(16 * 1024))
        archive.writestr("申报材料/研发费用明细.csv", "年度,研发费用\n2025,320.00\n".encode())
    return buffer.getvalue()


def passed_archive(enterprise, user, storage):
    """An evidence archive in state 通过 with its zip stored, as the inspection task leaves it."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from portal.filings.models import EvidenceArchive

    data = small_zip()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [{"name": info.filename, "size": info.file_size} for info in archive.infolist()]
    name = storage.save(f"archives/{enterprise.pk}/{secrets.token_hex(8)}.zip", ContentFile(data))
    now = timezone.now()
    return EvidenceArchive.objects.create(
        enterprise=enterprise,
        uploaded_by=user,
        state=EvidenceArchive.State.PASSED,
        filename="2026年申报材料.zip",
        size=len(data),
        offset=len(data),
        stored_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        members=members,
        member_count=len(members),
        uncompressed_size=sum(m["size"] for m in members),
        uploaded_at=now,
        inspected_at=now,
        inspection_seconds=0.01,
    )


# --- HTTP clients ------------------------------------------------------------------------------------


def _request(base_url: str, draft: Draft, method: str, path: str, fields: dict, extra: dict | None = None):
    parsed = urlparse(base_url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    headers = {
        "Host": "127.0.0.1",
        "Cookie": f"sessionid={draft.sessionid}; csrftoken={draft.csrf}",
        **(extra or {}),
    }
    body = urlencode(fields).encode()
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Location") or "", response.read()
    finally:
        conn.close()


def save_step(base_url: str, draft: Draft, *, in_place: bool = True) -> bool:
    """【暂存】 of the 经营数据 step with changed figures, as wizard.js sends it (``in_place``: the
    answer is the new revision) or as the page posts it without JavaScript (the answer is the page);
    True if stored (the revision moved on by one)."""
    draft.saves += 1
    revenue = 5000 + draft.saves % 997
    fields = {
        f"{draft.prefix}-current_step": FILL_STEP,
        "wizard_action": "save",
        "wizard_revision": str(draft.revision),
        "csrfmiddlewaretoken": draft.csrf,
        f"{FILL_STEP}-revenue": f"{revenue}.00",
        f"{FILL_STEP}-main_revenue": f"{revenue - 400}.00",
        f"{FILL_STEP}-main_revenue_prev": "4000.00",
        f"{FILL_STEP}-rd_spend": f"{150 + draft.saves % 300}.00",
        f"{FILL_STEP}-total_assets": "9000.00",
        f"{FILL_STEP}-total_liabilities": "4100.00",
    }
    headers = {"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"} if in_place else {}
    path = f"/enterprise/filings/{draft.filing_id}/fill/"
    status, _, body = _request(base_url, draft, "POST", path, fields, headers)
    if status != 200:
        return False
    payload = None
    if in_place:
        try:
            payload = json.loads(body)
        except ValueError:  # the page: the server did not answer in place
            payload = None
    if payload is not None:
        revision = payload.get("revision") if payload.get("saved") else None
    else:
        match = REVISION.search(body)
        revision = int(match.group(1)) if match else None
    if revision != draft.revision + 1:
        return False
    draft.revision = revision  # stored: the next save carries it, even after an answer counted as wrong
    return payload is not None or not in_place


def submit(base_url: str, draft: Draft) -> bool:
    """【确认提交】 with the chosen evidence; True on the redirect to 【详情】."""
    status, location, _ = _request(
        base_url,
        draft,
        "POST",
        f"/enterprise/filings/{draft.filing_id}/submit/",
        {"evidence": draft.evidence, "revision": str(draft.revision), "csrfmiddlewaretoken": draft.csrf},
    )
    return status == 302 and location.rstrip("/").endswith(f"/enterprise/filings/{draft.filing_id}")


@dataclass
class Run:
    name: str
    asked_per_second: float
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    late: int = 0  # sends that left more than 50 ms after their scheduled time
    trivial_per_second: float = 0.0
    trivial_p50_ms: float = 0.0
    load_average: float = 0.0
    cpu_ms: dict[str, float] = field(default_factory=dict)  # CPU per completed request, by process group

    @property
    def done(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] * 1000


def _record(run: Run, lock: threading.Lock, ok: bool, elapsed: float, lateness: float) -> None:
    with lock:
        if ok:
            run.latencies.append(elapsed)
        else:
            run.errors += 1
        if lateness > 0.05:
            run.late += 1


def _timed(action, draft: Draft) -> tuple[bool, float]:
    started = time.perf_counter()
    try:
        ok = action(draft)
    except OSError:
        ok = False
    return ok, time.perf_counter() - started


def scheduled_saves(base_url: str, drafts: list[Draft], workload: Workload) -> Run:
    """Each draft's client saves every ``interval`` s for ``seconds`` s (starts spread over the first
    interval); a client whose previous save is still running sends the next one when it returns."""
    interval, seconds = workload.interval, workload.seconds
    run = Run(workload.label, len(drafts) / interval, seconds)
    lock = threading.Lock()
    start = time.perf_counter() + 0.5
    end = start + seconds

    def save(draft: Draft) -> bool:
        return save_step(base_url, draft, in_place=workload.in_place)

    def client(index: int, draft: Draft) -> None:
        due = start + interval * index / len(drafts)
        while due < end and time.perf_counter() < end:
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            lateness = time.perf_counter() - due
            ok, elapsed = _timed(save, draft)
            _record(run, lock, ok, elapsed, lateness)
            # a person clicks again once the page answered: no burst of the saves a slow one delayed
            due = max(due + interval, time.perf_counter())

    threads = [threading.Thread(target=client, args=(i, d)) for i, d in enumerate(drafts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = max(seconds, time.perf_counter() - start)
    return run


def spike(base_url: str, drafts: list[Draft], per_minute: int) -> Run:
    """Open loop: submission i is due at i × 60/per_minute s, whatever the answers before it."""
    interval = 60.0 / per_minute
    run = Run("spike", per_minute / 60, len(drafts) * interval)
    lock = threading.Lock()
    start = time.perf_counter() + 0.5
    due = iter(enumerate(drafts))

    def client() -> None:
        while True:
            with lock:
                item = next(due, None)
            if item is None:
                return
            index, draft = item
            at = start + index * interval
            pause = at - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            lateness = time.perf_counter() - at
            ok, elapsed = _timed(lambda d: submit(base_url, d), draft)
            _record(run, lock, ok, elapsed, lateness)

    threads = [threading.Thread(target=client) for _ in range(SPIKE_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - start
    return run


def with_reference(base_url: str, run_workload) -> Run:
    """``run_workload()`` right after the trivial view (the ceiling) was measured, with the load
    average of the machine then and the CPU time each process group spent per completed request
    (CPU time is what a loaded machine inflates least)."""
    trivial = harness.load(base_url, harness.TRIVIAL_URL, requests=300, concurrency=4)
    load_average = os.getloadavg()[0]
    meter = CpuMeter(base_url)
    run = run_workload()
    spent = meter.stop()
    run.trivial_per_second, run.trivial_p50_ms = trivial.requests_per_second, trivial.p50_ms
    run.load_average = load_average
    run.cpu_ms = {k: seconds * 1000 / max(run.done, 1) for k, seconds in spent.items()}
    return run


class CpuMeter:
    """CPU seconds spent from now to :meth:`stop` by the gunicorn workers serving ``base_url``, the
    PostgreSQL backends of the bench database (sampled every 0.5 s: backends come and go) and this
    process (the clients)."""

    def __init__(self, base_url: str):
        port = f"127.0.0.1:{urlparse(base_url).port}".encode()
        masters = [
            pid for pid in _children(os.getpid()) if port in _cmdline(pid) and b"gunicorn" in _cmdline(pid)
        ]
        self.workers = [child for master in masters for child in _children(master)]
        self.app_start = sum(_cpu_of(pid) for pid in self.workers)
        self.clients_start = time.process_time()
        self.db_start = self._backends()
        self.db_last = dict(self.db_start)
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    @staticmethod
    def _backends() -> dict[int, float]:
        import psycopg

        with psycopg.connect(harness.DATABASE_URL, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        return {pid: _cpu_of(pid) for (pid,) in rows}

    def _sample(self) -> None:
        while not self.done.wait(0.5):
            self.db_last.update({pid: cpu for pid, cpu in self._backends().items() if cpu})

    def stop(self) -> dict[str, float]:
        self.done.set()
        self.thread.join()
        self.db_last.update({pid: cpu for pid, cpu in self._backends().items() if cpu})
        return {
            "app": sum(_cpu_of(pid) for pid in self.workers) - self.app_start,
            "db": sum(cpu - self.db_start.get(pid, 0.0) for pid, cpu in self.db_last.items()),
            "clients": time.process_time() - self.clients_start,
        }


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            if parent == pid:
                found.append(int(entry.name))
    return found


# --- SQL queries of one save ---------------------------------------------------------------------------


def queries_per_save(draft: Draft, answer: str) -> tuple[int, int]:
    """SQL queries of one 【暂存】 of the 基本情况 step in-process (``answer`` as 主要产品): in place
    (as wizard.js sends it) and as the page posts it without JavaScript."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.filings.models import Filing

    filing = Filing.objects.select_related("submission", "enterprise__owner").get(pk=draft.filing_id)
    client = Client()
    client.force_login(filing.enterprise.owner)
    # the page first, as a person opens it: its answer stamps the session's idle-timer refresh, which
    # the saves of the next minute then skip (portal.core.middleware; a refresh adds 3 statements)
    client.get(f"/enterprise/filings/{filing.pk}/fill/")
    counts = []
    for headers in ({"HTTP_ACCEPT": "application/json"}, {}):
        submission = filing.submission
        submission.refresh_from_db()
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(
                f"/enterprise/filings/{filing.pk}/fill/",
                {
                    f"form_{submission.version_id}-current_step": "basic",
                    "wizard_action": "save",
                    "wizard_revision": submission.revision,
                    "basic-main_product": answer,
                },
                **headers,
            )
        if response.status_code != 200:
            raise RuntimeError(f"the in-process save answered {response.status_code}")
        counts.append(len(ctx.captured_queries))
    draft.revision = submission.revision + 1  # the bench's own client carries on from here
    return counts[0], counts[1]


def grow_timeline(filing_id: int, events: int) -> None:
    from portal.filings.models import FilingEvent

    FilingEvent.objects.bulk_create(
        FilingEvent(filing_id=filing_id, action="evidence", actor_role="enterprise", comment=f"第{i}次")
        for i in range(events)
    )


def data_size() -> str:
    from forms_engine.models import FormSubmission
    from portal.filings.models import Filing, FilingEvent

    return (
        f"{Filing.objects.count():,} filings, {FormSubmission.objects.count():,} submissions, "
        f"{FilingEvent.objects.count():,} events"
    )


# --- processes -----------------------------------------------------------------------------------------


def server_env(storage_root: Path) -> dict[str, str]:
    return {"EVIDENCE_STORAGE_ROOT": str(storage_root)}


def start_worker(storage_root: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        **server_env(storage_root),
        "DJANGO_SETTINGS_MODULE": harness.SETTINGS_MODULE,
        "DATABASE_URL": harness.DATABASE_URL,
        "CACHE_URL": harness.CACHE_URL,
        "PYTHONPATH": str(harness.ROOT),
    }
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"]
    command += ["--no-startup-delay", "--interval", "0.2", "--verbosity", "0"]
    return subprocess.Popen(command, cwd=harness.ROOT, env=env)


# --- report ----------------------------------------------------------------------------------------------


def _median_run(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda r: r.percentile(95))[len(runs) // 2]


def print_saves(runs: list[list[Run]]) -> list[str]:
    print(
        f"\n【暂存】 of the 经营数据 step: {ENTERPRISES} enterprises, each its own session and draft, "
        f"gunicorn {WORKERS} sync workers, PostgreSQL; the median round (by p95) of each workload marked *"
    )
    header = (
        f"{'workload':<30} {'asked/s':>7} {'saves/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'late':>5} {'trivial/s':>9} {'triv p50':>8} {'load':>5} {'CPU ms app/db/cl':>17} {'ceiling/s':>9}"
    )
    print(header)
    print("-" * len(header))
    verdicts = []
    for workload, rounds in zip(WORKLOADS, runs, strict=True):
        median = _median_run(rounds)
        for r in rounds:
            label = f"{workload.label}, {workload.seconds:g} s" + (
                " *" if r is median and len(rounds) > 1 else ""
            )
            print(
                f"{label:<30} {r.asked_per_second:>7.0f} {r.rate:>7.1f} {r.percentile(50):>7.1f} "
                f"{r.percentile(95):>7.1f} {r.percentile(99):>7.1f} {r.errors:>6} {r.late:>5} "
                f"{r.trivial_per_second:>9.0f} {r.trivial_p50_ms:>8.1f} {r.load_average:>5.1f} "
                f"{_cpu_text(r):>17} {_ceiling(r):>9.0f}"
            )
        if workload.goal_p95_ms is not None:
            verdicts.append(_verdict(workload, median))

    print("in place: 【暂存】 as wizard.js sends it (the answer is the new revision and the step's notes);")
    print("page: the same POST without JavaScript (the answer is the whole page, rendered again);")
    print("late: saves sent > 50 ms after their scheduled time (the previous one had not returned yet);")
    print("trivial/s, triv p50: /bench/trivial/ just before the round (4 clients); load: 1-min load average;")
    print("CPU ms: CPU time per save of the gunicorn workers / the PostgreSQL backends / the clients;")
    print("ceiling/s: the saves per second that CPU cost allows on this machine's cores were they ours alone")
    return verdicts


def _verdict(workload: Workload, median: Run) -> str:
    met = median.percentile(95) <= workload.goal_p95_ms and median.errors == 0
    goal = f"p95 ≤ {workload.goal_p95_ms:g} ms, 0 errors"
    if workload.goal_rate is not None:
        met = met and median.rate >= workload.goal_rate
        goal = f"≥ {workload.goal_rate:g} saves/s, " + goal
    return (
        f"({workload.name}) {median.rate:.1f} saves/s, p95 {median.percentile(95):.1f} ms, {median.errors} errors "
        f"(goal {goal}): {'met' if met else 'NOT met'}"
    )


def _cpu_text(run: Run) -> str:
    return "/".join(f"{run.cpu_ms.get(k, 0.0):.1f}" for k in ("app", "db", "clients"))


def print_spike(run: Run, counts: dict[str, int], expected: int, tasks: int) -> str:
    print(
        f"\nDeadline spike: {expected:,} complete filings with a passed evidence zip, POSTed to "
        f"/enterprise/filings/<pk>/submit/ at {SPIKE_PER_MINUTE:,}/min for {SPIKE_SECONDS:g} s "
        f"(open loop, up to {SPIKE_THREADS} in flight); gunicorn {WORKERS} sync workers + db_worker + PostgreSQL"
    )
    print(
        f"  achieved: {run.done / run.seconds * 60:,.0f} submissions/min ({run.done:,} in {run.seconds:.1f} s), "
        f"errors {run.errors}, late starts {run.late}"
    )
    print(
        f"  latency: p50 {run.percentile(50):.1f} ms, p95 {run.percentile(95):.1f} ms, "
        f"p99 {run.percentile(99):.1f} ms, max {max(run.latencies, default=0) * 1000:.1f} ms"
    )
    print(
        f"  reference: /bench/trivial/ {run.trivial_per_second:.0f} req/s, p50 {run.trivial_p50_ms:.1f} ms "
        f"just before; load average {run.load_average:.1f}"
    )
    print(f"  CPU ms per submission (gunicorn workers / PostgreSQL backends / clients): {_cpu_text(run)}")
    print("  rows after: " + ", ".join(f"{name} {value:,}" for name, value in counts.items()))
    print(f"  background tasks the worker ran meanwhile: {tasks}")
    print(
        f"  CPU-bound ceiling: {_ceiling(run) * 60:,.0f} submissions/min if the machine's cores were ours alone"
    )
    lost = any(value != expected for value in counts.values())
    per_minute = run.done / run.seconds * 60
    kept_up = per_minute >= 0.95 * SPIKE_PER_MINUTE
    met = run.errors == 0 and not lost and kept_up
    return (
        f"spike: {per_minute:,.0f}/min achieved of {SPIKE_PER_MINUTE:,}/min asked, {run.done:,}/{expected:,} "
        f"submitted, {run.errors} errors, {'nothing lost' if not lost else 'ROWS MISSING'} "
        f"(goal: the rate kept, 0 errors, nothing lost): {'met' if met else 'NOT met'}"
    )


def _ceiling(run: Run) -> float:
    """Requests per second the machine's cores could serve at the CPU cost measured (app + db +
    clients), were they not shared: an upper bound comparable between loaded runs."""
    cost_ms = sum(run.cpu_ms.values())
    return (os.cpu_count() or 2) * 1000 / cost_ms if cost_ms else 0.0


def spike_counts(drafts: list[Draft]) -> dict[str, int]:
    from forms_engine.models import FormSubmission
    from portal.filings.models import EvidenceArchive, Filing, FilingEvent

    ids = [d.filing_id for d in drafts]
    filings = Filing.objects.filter(pk__in=ids)
    return {
        "filings 待审核": filings.filter(state="pending").count(),
        "submissions submitted": FormSubmission.objects.filter(
            filing__in=filings, state=FormSubmission.State.SUBMITTED
        ).count(),
        "submit events": FilingEvent.objects.filter(filing__in=filings, action="submit").count(),
        "archives locked": EvidenceArchive.objects.filter(
            public_id__in=[d.evidence for d in drafts], locked_at__isnull=False
        ).count(),
    }


def finished_tasks() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.count()


# --- main ------------------------------------------------------------------------------------------------


def run_saves(drafts: list[Draft], storage_root: Path) -> list[list[Run]]:
    """The rounds of every workload, interleaved (round 1 of each, then round 2 …)."""
    runs: list[list[Run]] = [[] for _ in WORKLOADS]
    with harness.gunicorn_server(workers=WORKERS, env=server_env(storage_root)) as base_url:
        for draft in drafts[:4]:  # warm both workers (imports, parsed schema, templates)
            save_step(base_url, draft, in_place=False)
            save_step(base_url, draft)
        for round_number in range(max(w.rounds for w in WORKLOADS)):
            for workload, rounds in zip(WORKLOADS, runs, strict=True):
                if round_number < workload.rounds:
                    run = with_reference(base_url, lambda w=workload: scheduled_saves(base_url, drafts, w))
                    rounds.append(run)
                    print(
                        f"  {workload.label} round {round_number + 1}: {run.rate:.1f} saves/s, "
                        f"p95 {run.percentile(95):.0f} ms, {run.errors} errors",
                        flush=True,
                    )
    return runs


def run_spike(drafts: list[Draft], storage_root: Path) -> tuple[Run, int]:
    tasks_before = finished_tasks()
    worker = start_worker(storage_root)
    try:
        with harness.gunicorn_server(workers=WORKERS, env=server_env(storage_root)) as base_url:
            run = with_reference(base_url, lambda: spike(base_url, drafts, SPIKE_PER_MINUTE))
            time.sleep(1)  # anything the submits enqueued
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return run, finished_tasks() - tasks_before


def main() -> None:
    storage_root = Path(tempfile.mkdtemp(prefix="portal-bench-filings-"))
    harness.setup_django()
    from django.core.cache import cache

    from portal.filings.evidence.storage import PrivateEvidenceStorage

    cache.clear()
    started = time.perf_counter()
    setup_reference()
    drafts = create_drafts(ENTERPRISES, complete=False)
    print(
        f"{ENTERPRISES} enterprises with a draft and a session in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    size_before = data_size()
    queries_before = queries_per_save(drafts[0], "甲")
    runs = run_saves(drafts, storage_root)

    expected = round(SPIKE_PER_MINUTE * SPIKE_SECONDS / 60)
    started = time.perf_counter()
    storage = PrivateEvidenceStorage(location=str(storage_root))
    spike_drafts = create_drafts(expected, complete=True, evidence_storage=storage)
    print(
        f"{expected:,} complete filings with a passed evidence zip and a session in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    grow_timeline(drafts[0].filing_id, 400)
    size_after = data_size()
    queries_after = queries_per_save(drafts[0], "乙" * 100)
    spike_run, tasks = run_spike(spike_drafts, storage_root)

    verdicts = print_saves(runs)
    same = queries_before == queries_after
    print(
        f"\nSQL queries per save (in-process, one 【暂存】, in place / page): "
        f"{queries_before[0]} / {queries_before[1]} with {size_before}; "
        f"{queries_after[0]} / {queries_after[1]} with {size_after}, a 400-event timeline and a "
        f"100-character answer ({'constant' if same else 'NOT constant'})"
    )
    verdicts.append(
        f"queries per save: in place {queries_before[0]} → {queries_after[0]}, page {queries_before[1]} → "
        f"{queries_after[1]}: {'constant' if same else 'GROWING'}"
    )
    verdicts.append(print_spike(spike_run, spike_counts(spike_drafts), expected, tasks))
    print("\nFilings goals" + (" (BENCH_QUICK: scaled down, not the issue's figures)" if QUICK else ""))
    for line in verdicts:
        print("  " + line)
    import shutil

    shutil.rmtree(storage_root, ignore_errors=True)


if __name__ == "__main__":
    main()
