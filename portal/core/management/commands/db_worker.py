"""``manage.py db_worker`` that outlives a database restart (issue 13.7).

django-tasks-db's worker exits on the first ``OperationalError`` that is not a locked SQLite
database — a PostgreSQL restart ended every worker, and with it the evidence inspections, until
someone started them again. This command (``portal.core`` comes before ``django_tasks_db`` in
INSTALLED_APPS, so ``manage.py db_worker`` is this one; options unchanged) runs the same worker
and, when the database cannot be reached, waits and carries on:

- between tasks: the broken connection is dropped and the loop resumes once the database answers
  (checked every ``RETRY_SECONDS``, logged once per outage);
- a task that failed because the database went away (its failure could not even be recorded, or
  it was recorded as a connection error) is queued again once the database is back: the
  project's tasks are idempotent (docs/jobs.md), and otherwise it would stay 运行中 for ever.
"""

from __future__ import annotations

import logging
import os
import time

from django.core.management.base import CommandError
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult

from portal.core.unavailable import database_unavailable

logger = logging.getLogger("django_tasks_db")

RETRY_SECONDS = 1.0
DATABASE_ERRORS = (OperationalError, InterfaceError)
DATABASE_ERROR_PATHS = {f"{cls.__module__}.{cls.__qualname__}" for cls in DATABASE_ERRORS}


class ResilientWorker(upstream.Worker):
    """django-tasks-db's worker, carrying on through database restarts."""

    retry_seconds = RETRY_SECONDS

    def run(self) -> None:
        last_failure = None
        while self.running:
            try:
                super().run()
                return  # --batch or --max-tasks: finished
            except DATABASE_ERRORS as exc:
                now = time.monotonic()
                if last_failure is None or now - last_failure > 5 * self.retry_seconds + 1:
                    logger.warning("database unavailable (%s); waiting for it", str(exc).strip())
                last_failure = now  # a new outage is one after a quiet spell: logged once each
                connections.close_all()
                self.startup_delay = False
                time.sleep(self.retry_seconds)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        except DATABASE_ERRORS:
            # the task's outcome could not be recorded: run it again once the database is back
            self._requeue_when_back(db_task_result.pk)
            return
        if (
            db_task_result.status == TaskResultStatus.FAILED
            and db_task_result.exception_class_path in DATABASE_ERROR_PATHS
        ):
            self._requeue_when_back(db_task_result.pk)

    def _requeue_when_back(self, pk) -> None:
        """Put the task back in the queue (it was cut off by the database, not by its own fault)."""
        while self.running:
            close_old_connections()
            try:
                DBTaskResult.objects.filter(pk=pk).update(
                    status=TaskResultStatus.READY,
                    started_at=None,
                    finished_at=None,
                    exception_class_path="",
                    traceback="",
                    return_value=None,
                )
            except DATABASE_ERRORS as exc:
                if not database_unavailable(exc):
                    raise
                connections.close_all()
                time.sleep(self.retry_seconds)
            else:
                logger.warning("task id=%s was cut off by the database; queued again", pk)
                return


class Command(upstream.Command):
    help = upstream.Command.help + " (waits for the database through a restart instead of exiting)"

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        # upstream's handle() with ResilientWorker in place of its Worker
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning(
                "Warning: --reload and --batch cannot be specified together. Disabling autoreload."
            )
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child process
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
