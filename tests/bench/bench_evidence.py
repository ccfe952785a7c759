"""A 300 MB evidence zip uploaded through the real server and inspected by the real worker.

gunicorn (1 sync worker, production settings, PostgreSQL) receives the archive over tus in 5 MB
PATCH requests, exactly as the browser sends it; `manage.py db_worker` joins the parts and inspects
the zip. Printed: upload time and throughput (against a plain disk copy of the same file, the
reference measured in the same run), peak RSS growth of the gunicorn worker (goal ≤ 64 MB) and of
the task worker, the inspection time (against one sequential SHA-256 read of the file) and the
time from the last byte to 通过.

Environment: BENCH_DATABASE_URL, BENCH_EVIDENCE_MB (archive size, default 299.5; 50 with BENCH_QUICK=1,
the smoke test, whose figures are not the goal's).
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from urllib.parse import urlparse

from tests.bench import harness

MB = 1024 * 1024
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
TARGET_MB = float(os.environ.get("BENCH_EVIDENCE_MB", "50" if QUICK else "299.5"))
CHUNK = 5 * MB
RSS_GOAL_MB = 64


def _status(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            values[key] = int(rest.split()[0]) * 1024
    return values


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def make_archive(path: Path) -> int:
    """~TARGET_MB as an enterprise sends it: scans and PDFs (barely compressible) and a large
    spreadsheet export (compressible), deflated as Windows' 压缩文件夹 does, under 300 MB."""
    target = int(TARGET_MB * MB)
    names = ["营业执照副本", "知识产权证明", "审计报告", "研发费用明细", "产品检测报告", "获奖证书"]
    stamp = (2026, 3, 1, 9, 0, 0)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        rows = "".join(f"{i},91440300MA5D{i:06d},{i * 37 % 100000}.00,深圳市南山区\n" for i in range(40_000))
        archive.writestr(zipfile.ZipInfo("申报材料/研发投入明细.csv", stamp), (rows * 20).encode())  # ~50 MB
        index = 0
        while path.stat().st_size + 6 * MB < target:
            info = zipfile.ZipInfo(f"申报材料/{names[index % len(names)]}{index:03d}.pdf", stamp)
            with archive.open(info, "w") as handle:
                handle.write(b"%PDF-1.7\n" + os.urandom(5 * MB - 9))
            index += 1
        rest = target - path.stat().st_size - 64 * 1024
        with archive.open(zipfile.ZipInfo("申报材料/附件.pdf", stamp), "w") as handle:
            handle.write(b"%PDF-1.7\n" + os.urandom(max(0, rest)))
    return path.stat().st_size


def _cookie(response: http.client.HTTPResponse, name: str) -> str | None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            match = re.match(rf"{name}=([^;]+)", value)
            if match:
                return match.group(1)
    return None


class Session:
    def __init__(self, base_url: str, sessionid: str):
        parsed = urlparse(base_url)
        self.host, self.port = parsed.hostname, parsed.port
        self.cookies = {"sessionid": sessionid}
        self.csrf = ""

    def request(self, method: str, path: str, body=None, headers=None) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers = {"Cookie": cookie, "X-CSRFToken": self.csrf, **(headers or {})}
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        token = _cookie(response, "csrftoken")
        if token:
            self.cookies["csrftoken"] = self.csrf = token
        return response


class Slice:
    """``length`` bytes of a file from ``offset``, read 64 KB at a time by http.client."""

    def __init__(self, path: Path, offset: int, length: int):
        self.handle = path.open("rb")
        self.handle.seek(offset)
        self.left = length

    def read(self, size: int = 65536) -> bytes:
        data = self.handle.read(min(size, self.left)) if self.left > 0 else b""
        self.left -= len(data)
        if not data:
            self.handle.close()
        return data


def upload(session: Session, path: Path) -> str:
    size = path.stat().st_size
    meta = "filename " + base64.b64encode(path.name.encode()).decode()
    created = session.request(
        "POST",
        "/enterprise/filings/evidence/uploads/",
        headers={"Tus-Resumable": "1.0.0", "Upload-Length": str(size), "Upload-Metadata": meta},
    )
    if created.status != 201:
        raise RuntimeError(f"creation answered {created.status}")
    url = created.getheader("Location")
    offset = 0
    while offset < size:
        length = min(CHUNK, size - offset)
        response = session.request(
            "PATCH",
            url,
            body=Slice(path, offset, length),
            headers={
                "Tus-Resumable": "1.0.0",
                "Upload-Offset": str(offset),
                "Content-Length": str(length),
                "Content-Type": "application/offset+octet-stream",
            },
        )
        if response.status != 204:
            raise RuntimeError(f"PATCH at {offset} answered {response.status}")
        offset = int(response.getheader("Upload-Offset"))
    return url.rstrip("/").rsplit("/", 1)[-1]


def main() -> None:
    storage_root = Path(tempfile.mkdtemp(prefix="portal-bench-evidence-"))
    os.environ["EVIDENCE_STORAGE_ROOT"] = str(storage_root)
    harness.setup_django()
    from django.test import Client

    from portal.filings.models import EvidenceArchive
    from tests.accounts.factories import VerifiedLegalAccountFactory
    from tests.enterprises.factories import EnterpriseFactory

    account = VerifiedLegalAccountFactory()
    EnterpriseFactory(owner=account.user, uscc=account.uscc, name="压测证据科技有限公司")
    client = Client()
    client.force_login(account.user)
    sessionid = client.cookies["sessionid"].value

    work = Path(tempfile.mkdtemp(prefix="portal-bench-zip-"))
    archive_path = work / "2026年申报材料.zip"
    size = make_archive(archive_path)
    started = time.perf_counter()
    with archive_path.open("rb") as source, (work / "copy.zip").open("wb") as target:
        while block := source.read(64 * 1024):  # the block size the server streams with
            target.write(block)
        target.flush()
        os.fsync(target.fileno())
    copy_seconds = time.perf_counter() - started
    (work / "copy.zip").unlink()
    import hashlib

    started = time.perf_counter()
    with archive_path.open("rb") as handle:
        while block := handle.read(MB):
            hashlib.sha256(block)
    read_seconds = time.perf_counter() - started

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": harness.SETTINGS_MODULE,
        "DATABASE_URL": harness.DATABASE_URL,
        "PYTHONPATH": str(harness.ROOT),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--queue-name",
            "*",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "--verbosity",
            "0",
        ],
        cwd=harness.ROOT,
        env=env,
    )
    try:
        with harness.gunicorn_server(workers=1) as base_url:
            port = urlparse(base_url).port
            master = next(
                pid
                for pid in _children(os.getpid())
                if f"127.0.0.1:{port}".encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
            )
            app_pid = _children(master)[0]
            session = Session(base_url, sessionid)
            page = session.request("GET", "/enterprise/filings/evidence/")
            if page.status != 200:
                raise RuntimeError(f"the evidence page answered {page.status}")
            time.sleep(1)
            app_before, worker_before = _status(app_pid), _status(worker.pid)
            started = time.perf_counter()
            public_id = upload(session, archive_path)
            upload_seconds = time.perf_counter() - started
            app_after = _status(app_pid)
            started = time.perf_counter()
            while True:
                archive = EvidenceArchive.objects.get(public_id=public_id)
                if archive.state in {"passed", "refused"}:
                    break
                if time.perf_counter() - started > 600:
                    raise RuntimeError("inspection did not finish in 10 minutes")
                time.sleep(0.1)
            verdict_seconds = time.perf_counter() - started
            worker_after = _status(worker.pid)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(storage_root, ignore_errors=True)

    app_growth = (app_after["VmHWM"] - app_before["VmRSS"]) / MB
    worker_growth = (worker_after["VmHWM"] - worker_before["VmRSS"]) / MB
    print(
        f"\nEvidence zip of {size / MB:.1f} MB ({archive.member_count} members), tus in {CHUNK // MB} MB chunks, "
        "gunicorn 1 sync worker + db_worker, PostgreSQL"
    )
    print(f"  verdict: {archive.get_state_display()} {archive.refusal_code}")
    print(
        f"  upload: {upload_seconds:.2f} s, {size / MB / upload_seconds:.0f} MB/s "
        f"({upload_seconds / copy_seconds:.1f}× a 64 KB-block disk copy of {copy_seconds:.2f} s)"
    )
    print(
        f"  app process (gunicorn worker) peak RSS growth: {app_growth:.1f} MB "
        f"(goal ≤ {RSS_GOAL_MB} MB: {'met' if app_growth <= RSS_GOAL_MB else 'MISSED'})"
    )
    print(f"  task worker peak RSS growth: {worker_growth:.1f} MB")
    print(
        f"  inspection: {archive.inspection_seconds:.2f} s "
        f"({archive.inspection_seconds / read_seconds:.1f}× one SHA-256 read of {read_seconds:.2f} s); "
        f"last byte → 通过: {verdict_seconds:.2f} s (queue + joining the parts + inspection)"
    )
