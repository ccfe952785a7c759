"""``manage.py db_worker`` through a database restart (issue 13.7): django-tasks-db's worker exited
on the first connection error; the portal's waits for the database and carries on, and a task the
outage cut off is run again (the project's tasks are idempotent). The outage is made with Django's
execute_wrapper: the statements the database would have refused raise the OperationalError Django
raises then."""

from __future__ import annotations

import os

import pytest
from django.db import OperationalError, connection
from django_tasks_db.models import DBTaskResult

from portal.core.management.commands.db_worker import ResilientWorker
from portal.filings.models import EvidenceArchive

from .conftest import tus_upload
from .worker import DATABASE_TASKS
from .zipcraft import Entry, build

pytestmark = pytest.mark.django_db(transaction=True)


def worker() -> ResilientWorker:
    worker = ResilientWorker(
        queue_names=["*"],
        interval=0,
        batch=True,  # run what is queued, then return
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="restart-test",
        excluded_queue_names=[],
    )
    worker.retry_seconds = 0
    return worker


class Outage:
    """From the first statement containing ``starts_at`` on, the next ``statements`` fail."""

    def __init__(self, starts_at: str, statements: int):
        self.starts_at, self.left, self.failed = starts_at, statements, 0

    def __call__(self, execute, sql, params, many, context):
        if self.left and (self.failed or self.starts_at in sql):
            self.left -= 1
            self.failed += 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


@pytest.fixture
def queued(owner_client, settings):
    settings.TASKS = DATABASE_TASKS
    data = build([Entry("申报材料/营业执照副本.pdf".encode("gbk"), b"%PDF-1.7 " + os.urandom(5_000))])
    archive = tus_upload(owner_client, data, filename="重启.zip", chunk=8192)
    assert DBTaskResult.objects.get().status == "READY"
    return archive


def test_the_worker_waits_for_the_database_instead_of_exiting(queued):
    outage = Outage("", statements=5)  # the database is down when the worker looks for work
    with connection.execute_wrapper(outage):
        worker().run()
    assert outage.failed == 5
    queued.refresh_from_db()
    assert queued.state == "passed" and DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_task_cut_off_by_the_restart_runs_again_once_the_database_is_back(queued):
    # the verdict's UPDATE fails, then recording the failure, then the first tries to queue it again
    outage = Outage('UPDATE "filings_evidencearchive"', statements=4)
    with connection.execute_wrapper(outage):
        worker().run()
    assert outage.failed == 4
    queued.refresh_from_db()
    task = DBTaskResult.objects.get()
    assert queued.state == "passed" and task.status == "SUCCESSFUL"
    assert task.worker_ids == ["restart-test", "restart-test"]  # claimed twice: run again
    assert EvidenceArchive.objects.get().state == "passed"
