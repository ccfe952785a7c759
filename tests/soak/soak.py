"""`make soak` (issue 13.7): the portal survives PostgreSQL restarting twice under load.

1. A PostgreSQL cluster of its own (initdb in a temporary directory, a free port, run as the
   ``postgres`` user when this runs as root), migrated and seeded the way a release is
   (``bootstrap_portal --no-demo``, the demo 申报时间 of ``seed_demo_filing_windows``), with
   SOAK_ENTERPRISES (default 50) verified enterprises, each with a 创新型中小企业 filing started and
   every answer but the two steps the soak types filled in, and a login session in the session store
   (the site's login needs an SMS code; tests/bench/bench_filings.py does the same).
2. gunicorn (2 sync workers, production settings, DEBUG off, Redis cache when one answers on
   127.0.0.1:6379) and the real task worker (``manage.py db_worker``).
3. Every enterprise, in a thread of its own, over HTTP as the browser does: 【申请】 (which must
   resume its filing), then 【暂存】 the 基本情况 and 经营数据 steps with new values every
   SOAK_SAVE_INTERVAL seconds — in place as wizard.js sends it (JSON) and, every third save, as the
   page posts without JavaScript — and at its own time (between a quarter and 95 % of the run; a
   fifth of them right when PostgreSQL restarts) uploads its evidence zip over tus, which the worker
   inspects, and 【确认提交】 (again while 尚未通过检查), then once more, as a double click would.
4. PostgreSQL is restarted twice (``pg_ctl restart -m fast``), at a third and two thirds of
   SOAK_SECONDS (default 90), each time as soon as a submission is on its way (at most 2 s later).
   Nothing else is restarted.
5. A save or submit counts as acknowledged when the server says it is stored (the new revision /
   the redirect to 【详情】). Any other answer must be the 503 系统繁忙 that keeps what was typed: the
   JSON wizard.js shows (it keeps the page), or the page whose 【重新提交】 form holds every typed
   value — which the client then posts again, as the person would. Anything else is "unexplained".
6. Afterwards, in the database: one filing per enterprise (no duplicated draft), the last
   acknowledged values of both steps stored, every acknowledged submission in 待审核 with exactly
   one submit event (no duplicate), evidence inspected, no task left running, gunicorn and the
   worker still the processes started at the beginning.

Prints the report; exits 1 on any loss, duplicate, unexplained answer or unfinished client.
Environment: SOAK_ENTERPRISES, SOAK_SECONDS, SOAK_SAVE_INTERVAL (default 0.5), SOAK_KEEP=1 (keep
the temporary directory and its PostgreSQL log).
"""

from __future__ import annotations

import base64
import contextlib
import glob
import html
import http.client
import io
import json
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ENTERPRISES = int(os.environ.get("SOAK_ENTERPRISES", "50"))
SECONDS = float(os.environ.get("SOAK_SECONDS", "90"))
SAVE_INTERVAL = float(os.environ.get("SOAK_SAVE_INTERVAL", "0.5"))
KEEP = os.environ.get("SOAK_KEEP", "") not in ("", "0")
GUNICORN_WORKERS = 2
SETTINGS_MODULE = "tests.soak.settings"
GIVE_UP_AFTER = 120.0  # seconds past SECONDS a client may still need to get its last save / submit through
BUSY = "系统繁忙"
REVISION = re.compile(r'name="wizard_revision" value="(\d+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)">')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the PostgreSQL cluster ------------------------------------------------------------------------


class Cluster:
    """A throw-away PostgreSQL cluster on a free port (trust authentication, 127.0.0.1 only)."""

    def __init__(self, directory: Path):
        versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
        if not versions:
            raise SystemExit("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
        self.bin = Path(versions[-1])
        self.directory = directory
        self.data = directory / "pgdata"
        self.log = directory / "postgresql.log"
        self.port = free_port()
        self.as_root = os.geteuid() == 0  # initdb refuses root: run the server as "postgres"
        if self.as_root:
            shutil.chown(directory, "postgres", "postgres")

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> subprocess.CompletedProcess:
        argv = [str(self.bin / command[0]), *command[1:]]
        if self.as_root:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        return subprocess.run(argv, check=True, capture_output=True, text=True, cwd=self.directory)

    def start(self) -> None:
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"
        )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
            "-c max_connections=100 -c fsync=on -c synchronous_commit=on"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")

    def restart(self) -> float:
        """``pg_ctl restart -m fast``; the seconds until it accepts connections again."""
        import psycopg

        started = time.monotonic()
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w", "restart")
        while True:
            try:
                psycopg.connect(self.url(), connect_timeout=2).close()
                return time.monotonic() - started
            except psycopg.OperationalError:
                time.sleep(0.05)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        except subprocess.CalledProcessError:
            pass


# --- the population (in-process, through the services) ---------------------------------------------


@dataclass
class Enterprise:
    """One simulated enterprise: its session, filing and what the server acknowledged."""

    index: int
    filing_id: int
    sessionid: str
    csrf: str
    prefix: str
    revision: int
    submit_at: float = 0.0
    saves: int = 0
    acknowledged: dict[str, dict[str, str]] = field(default_factory=dict)  # step -> last stored values
    submitted: bool = False
    evidence: str = ""
    done: bool = False
    problems: list[str] = field(default_factory=list)


YES_NO = ("independent_legal_person", "is_sme", "not_on_lists", "no_major_incident", "product_permitted")


# the two steps the soak types (the rest of the answers are filled in beforehand)
def step_values(step: str, n: int, index: int) -> dict[str, str]:
    if step == "basic":  # the 是/否 radios are posted too, as the browser sends the checked ones
        return {"main_product": f"工业传感器{index}-{n}", **dict.fromkeys(YES_NO, "true")}
    revenue = 5200 + n % 90
    return {
        "revenue": f"{revenue}.00",
        "main_revenue": f"{revenue - 400}.00",
        "main_revenue_prev": "4000.00",
        "rd_spend": f"{320 + n % 40}.00",
        "total_assets": "9000.00",
        "total_liabilities": "4100.00",
    }


def seed(count: int) -> list[Enterprise]:
    from django.core.management import call_command

    from forms_engine import services as engine
    from portal.filings import services
    from tests.bench.bench_filings import ANSWERS, create_enterprises, log_in

    with contextlib.redirect_stdout(io.StringIO()):
        call_command("migrate", verbosity=0, interactive=False)
        call_command("bootstrap_portal", "--no-demo", verbosity=0)
        call_command("seed_demo_filing_windows", verbosity=0)
    population = []
    for index, enterprise in enumerate(create_enterprises(count)):
        user = enterprise.owner
        filing = services.start_filing(enterprise=enterprise, user=user, level="innovative")
        submission = engine.save_submission_progress(
            submission=filing.submission,
            expected_revision=filing.submission.revision,
            wizard_state={},
            answers={**filing.submission.answers, **ANSWERS},
        )
        sessionid, csrf = log_in(user)
        population.append(
            Enterprise(
                index, filing.pk, sessionid, csrf, f"form_{submission.version_id}", submission.revision
            )
        )
    return population


def evidence_zip(index: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("申报材料/营业执照副本.pdf", b"%PDF-1.7\n" + os.urandom(8 * 1024))
        archive.writestr("申报材料/研发费用明细.csv", f"年度,研发费用\n2025,{320 + index}.00\n".encode())
    return buffer.getvalue()


# --- the HTTP client ---------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    location: str
    body: str
    headers: dict[str, str]


class Counters:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.values: dict[str, int] = {}
        self.samples: list[str] = []
        self.submits_in_flight = 0
        self.first_ack_after: dict[int, float] = {}  # restart -> seconds from PostgreSQL back to an ack

    def add(self, name: str, amount: int = 1) -> None:
        with self.lock:
            self.values[name] = self.values.get(name, 0) + amount

    def get(self, name: str) -> int:
        return self.values.get(name, 0)

    def sample(self, text: str) -> None:
        with self.lock:
            if len(self.samples) < 12:
                self.samples.append(text)


class Client:
    def __init__(self, port: int, enterprise: Enterprise, counters: Counters, clock):
        self.port = port
        self.e = enterprise
        self.counters = counters
        self.clock = clock

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Answer:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        all_headers = {
            "Host": "127.0.0.1",
            "Cookie": f"sessionid={self.e.sessionid}; csrftoken={self.e.csrf}",
            **(headers or {}),
        }
        try:
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            data = response.read().decode("utf-8", "replace")
            return Answer(
                response.status,
                response.getheader("Location") or "",
                data,
                {k.lower(): v for k, v in response.getheaders()},
            )
        finally:
            conn.close()

    def post_form(self, path: str, fields: list[tuple[str, str]], headers: dict | None = None) -> Answer:
        return self.request(
            "POST",
            path,
            urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})},
        )

    # -- 【申请】 ------------------------------------------------------------------------------------
    def apply(self) -> None:
        while True:
            answer = self.request("GET", "/enterprise/filings/apply/innovative/")
            if answer.status == 302:
                if not answer.location.rstrip("/").endswith(f"/{self.e.filing_id}/fill"):
                    self.e.problems.append(f"【申请】 led to {answer.location}, not its own filing")
                return
            self.told_or_unexplained(answer, "apply")
            time.sleep(0.5)

    # -- evidence over tus ---------------------------------------------------------------------
    def upload_evidence(self) -> None:
        data = evidence_zip(self.e.index)
        meta = "filename " + base64.b64encode("2026年申报材料.zip".encode()).decode()
        tus = {"Tus-Resumable": "1.0.0", "X-CSRFToken": self.e.csrf}
        while not self.e.evidence:
            created = self.request(
                "POST",
                "/enterprise/filings/evidence/uploads/",
                headers={**tus, "Upload-Length": str(len(data)), "Upload-Metadata": meta},
            )
            if created.status != 201:
                self.told_or_unexplained(created, "upload")
                time.sleep(0.5)
                continue
            url = created.headers["location"]
            patched = self.request(
                "PATCH",
                url,
                data,
                {
                    **tus,
                    "Upload-Offset": "0",
                    "Content-Type": "application/offset+octet-stream",
                },
            )
            if patched.status == 204:
                self.e.evidence = url.rstrip("/").rsplit("/", 1)[-1]
                self.counters.add("uploads acknowledged")
            else:  # a new upload next time (the unfinished one is purged by the housekeeping job)
                self.told_or_unexplained(patched, "upload")
                time.sleep(0.5)

    # -- 【暂存】 -----------------------------------------------------------------------------------
    def save(self, step: str, values: dict[str, str], in_place: bool) -> None:
        """Post the step until the server acknowledges it, as a person would after 系统繁忙."""
        fields = [
            ("csrfmiddlewaretoken", self.e.csrf),
            (f"{self.e.prefix}-current_step", step),
            ("wizard_action", "save"),
            ("wizard_revision", str(self.e.revision)),
            *((f"{step}-{k}", v) for k, v in values.items()),
        ]
        path = f"/enterprise/filings/{self.e.filing_id}/fill/"
        failed_before = False
        while self.clock() < SECONDS + GIVE_UP_AFTER:
            headers = {"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"} if in_place else {}
            answer = self.post_form(path, fields, headers)
            stored = self._stored_revision(answer, in_place)
            if stored is not None and stored > self.e.revision:
                if stored == self.e.revision + 2:  # the save that answered 系统繁忙 had been stored
                    self.counters.add("saves stored although 系统繁忙 was answered, posted again")
                self.e.revision = stored
                self.e.acknowledged[step] = dict(values)
                self.counters.add("saves acknowledged")
                self._note_ack()
                return
            if answer.status == 409 and failed_before:
                # the attempt that answered 系统繁忙 was committed after all (the connection broke
                # after COMMIT): the page says another save came first; reload it and save again
                self.counters.add("saves stored although 系统繁忙 was answered, then reloaded")
                self.reload()
                fields = [(k, str(self.e.revision) if k == "wizard_revision" else v) for k, v in fields]
                continue
            if answer.status == 503:
                typed = [v for k, v in fields if k != "csrfmiddlewaretoken"]
                kept = self.check_told(answer, in_place, typed)
                if kept is None:
                    self.counters.add("saves failed without telling the user")
                    return
                self.counters.add("saves failed, user told, input kept")
                failed_before = True
                if not in_place:
                    fields = kept  # 【重新提交】: exactly what the 503 page kept
                time.sleep(0.5 + random.random())
                continue
            if in_place and answer.status == 200 and '"saved": false' in answer.body:
                in_place = False  # as wizard.js does: post the classic way, which shows why
                continue
            self.counters.add("saves answered unexpectedly")
            self.counters.sample(f"save {answer.status}: {answer.body[:200]!r}")
            self.reload()
            return
        self.e.problems.append(f"a save of {step} was not acknowledged before the deadline")

    def _stored_revision(self, answer: Answer, in_place: bool) -> int | None:
        if answer.status != 200:
            return None
        if in_place:
            try:
                payload = json.loads(answer.body)
            except ValueError:
                return None
            return payload.get("revision") if payload.get("saved") else None
        match = REVISION.search(answer.body)
        return int(match.group(1)) if match and "已暂存" in answer.body else None

    def reload(self) -> None:
        """Open the fill page again (the person refreshes): its revision is the stored one."""
        while self.clock() < SECONDS + GIVE_UP_AFTER:
            answer = self.request("GET", f"/enterprise/filings/{self.e.filing_id}/fill/")
            match = REVISION.search(answer.body) if answer.status == 200 else None
            if match:
                self.e.revision = int(match.group(1))
                return
            self.told_or_unexplained(answer, "reload")
            time.sleep(0.5)

    def check_told(self, answer: Answer, in_place: bool, typed: list[str]) -> list[tuple[str, str]] | None:
        """The 503 told the user and kept the input: the kept fields (the JSON: the typed ones)."""
        if in_place:
            try:
                payload = json.loads(answer.body)
            except ValueError:
                payload = {}
            # wizard.js shows the message and keeps the page as typed when the answer says so
            told = (
                BUSY in payload.get("message", "") and payload.get("unavailable") and not payload.get("saved")
            )
            if not told or "retry-after" not in answer.headers:
                self.counters.sample(f"503 without the message: {answer.body[:200]!r}")
                return None
            return []
        if BUSY not in answer.body or "retry-after" not in answer.headers:
            self.counters.sample(f"503 without the message: {answer.body[:200]!r}")
            return None
        kept = [(html.unescape(k), html.unescape(v)) for k, v in HIDDEN.findall(answer.body)]
        missing = [v for v in typed if v not in {value for _name, value in kept}]
        if missing:
            self.counters.sample(f"503 page lost typed values {missing}")
            return None
        return kept

    def told_or_unexplained(self, answer: Answer, what: str) -> None:
        if answer.status == 503 and BUSY in answer.body:
            self.counters.add(f"{what} answered 503 系统繁忙")
        else:
            self.counters.add(f"{what} answered unexpectedly")
            self.counters.sample(f"{what} {answer.status}: {answer.body[:200]!r}")

    # -- 【确认提交】 --------------------------------------------------------------------------------
    def submit(self) -> None:
        path = f"/enterprise/filings/{self.e.filing_id}/submit/"
        fields = [
            ("csrfmiddlewaretoken", self.e.csrf),
            ("evidence", self.e.evidence),
            ("revision", str(self.e.revision)),
        ]
        while self.clock() < SECONDS + GIVE_UP_AFTER:
            with self.counters.lock:
                self.counters.submits_in_flight += 1
            try:
                answer = self.post_form(path, fields)
            finally:
                with self.counters.lock:
                    self.counters.submits_in_flight -= 1
            if answer.status == 302 and answer.location.rstrip("/").endswith(f"/{self.e.filing_id}"):
                self.e.submitted = True
                self.counters.add("submissions acknowledged")
                self._note_ack()
                self.submit_again(path, fields)
                return
            if answer.status == 503:
                typed = [v for k, v in fields if k != "csrfmiddlewaretoken"]
                kept = self.check_told(answer, False, typed)
                if kept is None:
                    self.counters.add("submissions failed without telling the user")
                    return
                self.counters.add("submissions failed, user told, input kept")
                fields = kept
            elif answer.status == 409 and "尚未通过检查" in answer.body:
                self.counters.add("submits waiting for the evidence inspection")
            else:
                self.counters.add("submissions answered unexpectedly")
                self.counters.sample(f"submit {answer.status} {answer.location}: {answer.body[:300]!r}")
                return
            time.sleep(0.5 + random.random())
        self.e.problems.append("the submission was not acknowledged before the deadline")

    def submit_again(self, path: str, fields: list[tuple[str, str]]) -> None:
        """A double click, or the page sent again: harmless, it leads to 【详情】 once more."""
        while self.clock() < SECONDS + GIVE_UP_AFTER:
            again = self.post_form(path, fields)
            if again.status == 302 and again.location.rstrip("/").endswith(f"/{self.e.filing_id}"):
                self.counters.add("second submits acknowledged")
                return
            if again.status != 503 or self.check_told(again, False, []) is None:
                self.counters.add("second submits answered unexpectedly")
                self.counters.sample(f"second submit {again.status}: {again.body[:200]!r}")
                return
            self.counters.add("second submits answered 503 系统繁忙")
            time.sleep(0.5 + random.random())

    def _note_ack(self) -> None:
        now = self.clock()
        with self.counters.lock:
            for number, at in list(BACK_AT.items()):
                if now >= at and number not in self.counters.first_ack_after:
                    self.counters.first_ack_after[number] = now - at

    # -- the whole visit -----------------------------------------------------------------------
    def run(self) -> None:
        try:
            self.apply()
            while self.clock() < self.e.submit_at:
                started = self.clock()
                self.e.saves += 1
                step = "basic" if self.e.saves % 2 else "finance"
                self.save(step, step_values(step, self.e.saves, self.e.index), in_place=self.e.saves % 3 != 0)
                time.sleep(max(0.0, SAVE_INTERVAL - (self.clock() - started)))
            self.upload_evidence()  # inspected by the worker while the others save: through the restarts
            self.submit()
        except Exception as exc:  # noqa: BLE001 - reported, and fails the soak
            self.e.problems.append(f"client crashed: {exc!r}")
        finally:
            self.e.done = True


RESTARTS_AT: dict[int, float] = {1: SECONDS / 3, 2: 2 * SECONDS / 3}
STARTED_AT: dict[int, float] = {}  # restart number -> when pg_ctl restart began
BACK_AT: dict[int, float] = {}  # restart number -> when PostgreSQL accepted connections again


# --- processes -----------------------------------------------------------------------------------------


def cache_url() -> str:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return "redis://127.0.0.1:6379/0"
    except OSError:
        return "locmem://"


def start_processes(
    env: dict[str, str], port: int, directory: Path
) -> tuple[subprocess.Popen, subprocess.Popen]:
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(GUNICORN_WORKERS),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stderr=(directory / "gunicorn.log").open("wb"),
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=(directory / "worker.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if gunicorn.poll() is not None:
            raise SystemExit(f"gunicorn exited with {gunicorn.returncode}; see {directory / 'gunicorn.log'}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return gunicorn, worker
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.add(int(entry.name))
            except OSError:
                continue
    return found


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- the verdict --------------------------------------------------------------------------------------


def verify(population: list[Enterprise]) -> dict[str, int]:
    """Compare what the server acknowledged with what the database holds."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from forms_engine.models import FormSubmission
    from portal.filings.models import EvidenceArchive, Filing, FilingEvent

    by_id = {e.filing_id: e for e in population}
    filings = {
        f.pk: f for f in Filing.objects.filter(pk__in=by_id).select_related("submission", "enterprise")
    }
    counts = {k: 0 for k in ("drafts lost", "drafts duplicated", "saves lost", "submissions lost")}
    counts |= {"submissions duplicated": 0, "submitted without acknowledgement": 0}
    per_enterprise = (
        Filing.objects.filter(enterprise__in=[f.enterprise_id for f in filings.values()], level="innovative")
        .values("enterprise")
        .annotate(n=Count("pk"))
    )
    counts["drafts duplicated"] = sum(row["n"] - 1 for row in per_enterprise)
    counts["drafts lost"] = len(by_id) - len(filings)
    events = dict(
        FilingEvent.objects.filter(filing__in=filings, action="submit")
        .values("filing")
        .annotate(n=Count("pk"))
        .values_list("filing", "n")
    )
    for pk, e in by_id.items():
        filing = filings.get(pk)
        if filing is None:
            continue
        answers = filing.submission.answers
        for step, values in e.acknowledged.items():
            for key, value in values.items():
                stored = answers.get(key)
                if value == "true":
                    same = stored is True
                elif step == "basic":
                    same = stored == value
                else:
                    same = stored is not None and Decimal(str(stored)) == Decimal(value)
                if not same:
                    counts["saves lost"] += 1
                    e.problems.append(f"{key}: acknowledged {value!r}, stored {stored!r}")
        submitted = filing.submission.state == FormSubmission.State.SUBMITTED
        if e.submitted and not (submitted and filing.state == "pending"):
            counts["submissions lost"] += 1
            e.problems.append(f"acknowledged submission is {filing.state}/{filing.submission.state}")
        if submitted and not e.submitted:
            counts["submitted without acknowledgement"] += 1
        counts["submissions duplicated"] += max(0, events.get(pk, 0) - 1)
        if e.submitted and events.get(pk, 0) == 0:
            counts["submissions lost"] += 1
    archives = EvidenceArchive.objects.filter(public_id__in=[e.evidence for e in population if e.evidence])
    counts["evidence passed"] = archives.filter(state="passed").count()
    counts["evidence not passed"] = archives.exclude(state="passed").count()
    counts["tasks left running"] = DBTaskResult.objects.filter(status="RUNNING").count()
    counts["tasks failed"] = DBTaskResult.objects.filter(status="FAILED").count()
    return counts


def main() -> int:
    directory = Path(tempfile.mkdtemp(prefix="portal-soak-"))
    directory.chmod(0o755)
    cluster = Cluster(directory)
    print(
        f"PostgreSQL {cluster.bin.parent.name}: a cluster of its own in {directory}, port {cluster.port}",
        flush=True,
    )
    cluster.start()
    gunicorn = worker = None
    try:
        import psycopg

        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE portal_soak")
        files = directory / "files"
        files.mkdir()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "DATABASE_URL": cluster.url("portal_soak"),
            "CACHE_URL": cache_url(),
            "CACHE_KEY_PREFIX": f"soak-{secrets.token_hex(4)}",
            "MEDIA_ROOT": str(files / "media"),
            "PRIVATE_MEDIA_ROOT": str(files / "private"),
            "PYTHONPATH": str(ROOT),
        }
        os.environ.update(env)
        import django

        django.setup()
        started = time.monotonic()
        population = seed(ENTERPRISES)
        print(
            f"migrated and seeded: {len(population)} enterprises with a filing and a session "
            f"in {time.monotonic() - started:.0f} s (cache {env['CACHE_URL']})",
            flush=True,
        )
        from django.db import connections

        connections.close_all()

        port = free_port()
        gunicorn, worker = start_processes(env, port, directory)
        app_processes = {gunicorn.pid, *children(gunicorn.pid)}
        counters = Counters()
        begin = time.monotonic()

        def clock() -> float:
            return time.monotonic() - begin

        restart_marks = sorted(RESTARTS_AT.values())
        for e in population:
            if e.index % 5 == 0:  # a fifth submit right when PostgreSQL restarts
                e.submit_at = restart_marks[e.index // 5 % 2] + random.random() * 0.5
            else:
                e.submit_at = SECONDS * (0.25 + 0.7 * random.random())
        clients = [
            threading.Thread(target=Client(port, e, counters, clock).run, daemon=True) for e in population
        ]
        for thread in clients:
            thread.start()
        restart_seconds = []
        for number, at in sorted(RESTARTS_AT.items()):
            time.sleep(max(0.0, at - clock()))
            wait_until = clock() + 2  # the restart begins while a submission is on its way, if one comes
            while counters.submits_in_flight == 0 and clock() < wait_until:
                time.sleep(0.002)
            print(f"  {clock():5.1f} s: pg_ctl restart -m fast (restart {number})", flush=True)
            STARTED_AT[number] = clock()
            restart_seconds.append(cluster.restart())
            BACK_AT[number] = clock()
            print(
                f"  {clock():5.1f} s: PostgreSQL accepts connections again ({restart_seconds[-1]:.2f} s)",
                flush=True,
            )
        for thread in clients:
            thread.join(timeout=max(1.0, SECONDS + GIVE_UP_AFTER + 30 - clock()))
        ran = clock()
        time.sleep(3)  # the inspections queued last
        alive = gunicorn.poll() is None and worker.poll() is None
        same_processes = alive and {gunicorn.pid, *children(gunicorn.pid)} == app_processes
        counts = verify(population)
    finally:
        for process in (gunicorn, worker):
            if process is not None:
                stop(process)
        cluster.stop()
    return report(population, counters, counts, restart_seconds, ran, alive, same_processes, directory)


def report(population, counters, counts, restart_seconds, ran, alive, same_processes, directory) -> int:
    c = counters.get
    unfinished = [e for e in population if not e.done or e.problems]
    print(
        f"\nSoak: {len(population)} enterprises for {ran:.0f} s, gunicorn {GUNICORN_WORKERS} workers + db_worker, "
        f"PostgreSQL restarted {len(restart_seconds)} times"
    )
    for number, seconds in enumerate(restart_seconds, 1):
        back = counters.first_ack_after.get(number)
        print(
            f"  restart {number} at {STARTED_AT[number]:.1f} s: took {seconds:.2f} s until PostgreSQL accepted "
            + (
                f"connections again; the first save or submit acknowledged {back:.2f} s after that"
                if back is not None
                else "connections again; NOTHING acknowledged after it"
            )
        )
    print(f"{'':2}{'':<44}{'saves':>8}{'submissions':>13}")
    rows = [
        ("acknowledged", c("saves acknowledged"), c("submissions acknowledged")),
        (
            "failed, user told (503 系统繁忙), input kept",
            c("saves failed, user told, input kept"),
            c("submissions failed, user told, input kept"),
        ),
        (
            "failed without telling the user",
            c("saves failed without telling the user"),
            c("submissions failed without telling the user"),
        ),
        ("answered unexpectedly", c("saves answered unexpectedly"), c("submissions answered unexpectedly")),
        ("lost (acknowledged, not in the database)", counts["saves lost"], counts["submissions lost"]),
        ("duplicated", counts["drafts duplicated"], counts["submissions duplicated"]),
    ]
    for label, saves, submissions in rows:
        print(f"  {label:<44}{saves:>8}{submissions:>13}")
    print(
        f"  drafts lost: {counts['drafts lost']}; saves stored although 系统繁忙 was answered (the database "
        f"went away after the commit): {c('saves stored although 系统繁忙 was answered, posted again')} "
        f"posted again and acknowledged, {c('saves stored although 系统繁忙 was answered, then reloaded')} "
        "refused as a conflict and saved again after a reload"
    )
    print(
        f"  submissions in the database without acknowledgement: {counts['submitted without acknowledgement']}; "
        f"second submits (a double click) acknowledged {c('second submits acknowledged')}, answered 503 "
        f"系统繁忙 {c('second submits answered 503 系统繁忙')}, unexpectedly {c('second submits answered unexpectedly')}; "
        f"submits waiting for the inspection: {c('submits waiting for the evidence inspection')}"
    )
    print(
        f"  evidence: {c('uploads acknowledged')} uploaded, {counts['evidence passed']} passed, "
        f"{counts['evidence not passed']} not passed; tasks left running {counts['tasks left running']}, "
        f"failed {counts['tasks failed']}"
    )
    other = {
        k: v for k, v in counters.values.items() if k.split(" answered")[0] in ("apply", "upload", "reload")
    }
    if other:
        print("  other requests: " + ", ".join(f"{k} {v}" for k, v in sorted(other.items())))
    waits = (directory / "worker.log").read_text(errors="replace").count("database unavailable")
    print(
        f"  gunicorn and worker alive, never restarted: {'yes' if same_processes else 'NO'}; "
        f"outages the worker met and waited out: {waits} (one shorter than its 0.2 s poll may pass unseen)"
    )
    for sample in counters.samples:
        print(f"  sample: {sample}")
    for e in unfinished[:10]:
        print(f"  enterprise {e.index}: {'; '.join(e.problems) or 'did not finish'}")
    failed = (
        counts["saves lost"]
        or counts["submissions lost"]
        or counts["drafts lost"]
        or counts["drafts duplicated"]
        or counts["submissions duplicated"]
        or c("saves failed without telling the user")
        or c("submissions failed without telling the user")
        or c("saves answered unexpectedly")
        or c("submissions answered unexpectedly")
        or c("second submits answered unexpectedly")
        or unfinished
        or not same_processes
        or counts["tasks left running"]
        or counts["evidence not passed"]
        or any(v for k, v in counters.values.items() if k.endswith("answered unexpectedly"))
        or c("submissions acknowledged") != len(population)
        or len(counters.first_ack_after) < len(restart_seconds)
    )
    print(f"\nsoak: {'FAILED' if failed else 'passed: 0 lost, 0 duplicated through the restarts'}")
    if KEEP or failed:
        print(f"logs kept in {directory} (postgresql.log, gunicorn.log, worker.log)")
    else:
        shutil.rmtree(directory, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
