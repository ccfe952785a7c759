"""The real path: the inspection runs in a separate worker process (`manage.py db_worker`, the
durable database backend), not in the request."""

from __future__ import annotations

import os

import pytest
from django_tasks_db.models import DBTaskResult

from portal.filings.models import EvidenceArchive

from .conftest import tus_upload
from .worker import DATABASE_TASKS, run_batch
from .zipcraft import Entry, build

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_process_inspects_an_uploaded_archive(owner_client, settings, evidence_root):
    settings.TASKS = DATABASE_TASKS
    data = build(
        [
            Entry("申报材料/营业执照副本.pdf".encode("gbk"), b"%PDF-1.7 " + os.urandom(20_000)),
            Entry("报告?.pdf", b"%PDF-1.7 " + os.urandom(1000)),
        ]
    )
    good = build([Entry("申报材料/营业执照副本.pdf".encode("gbk"), b"%PDF-1.7 " + os.urandom(20_000))])
    passing = tus_upload(owner_client, good, filename="通过.zip", chunk=8192)
    refused = tus_upload(owner_client, data, filename="未通过.zip", chunk=8192)

    # the request only queued the work: a durable row each, nothing inspected yet
    assert {a.state for a in EvidenceArchive.objects.all()} == {"checking"}
    queued = DBTaskResult.objects.filter(task_path="portal.filings.evidence.tasks.inspect_evidence_archive")
    assert queued.count() == 2 and {task.status for task in queued} == {"READY"}
    assert (
        owner_client.get(f"/enterprise/filings/evidence/{passing.public_id}/status/").json()["state"]
        == "checking"
    )

    result = run_batch(evidence_root)
    assert result.returncode == 0, result.stdout + result.stderr

    passing.refresh_from_db()
    refused.refresh_from_db()
    assert passing.state == "passed"
    assert [member["name"] for member in passing.members] == ["申报材料/营业执照副本.pdf"]
    assert (refused.state, refused.refusal_code) == ("refused", "bad_character")
    assert {task.status for task in queued.all()} == {"SUCCESSFUL"}
    status = owner_client.get(f"/enterprise/filings/evidence/{refused.public_id}/status/").json()
    assert status["state"] == "refused" and "报告?.pdf" in status["refusal_message"]
