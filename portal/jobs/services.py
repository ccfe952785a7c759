"""Running jobs: by the scheduler (one run per slot, on the task worker) and by hand.

- :func:`enqueue_due_jobs` — what the scheduler process calls every minute: for each job whose
  current slot has no run yet, record one (the unique (name, slot) constraint settles a race) and
  queue it on the task worker.
- :func:`run_job_now` — ``manage.py run_job NAME [--dry-run]``: inline, recorded as a manual run.
- :func:`execute_run` — the task body: run, record the result or the error.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import JobRun
from .registry import JOBS, get_job

logger = logging.getLogger(__name__)


def enqueue_due_jobs(*, now: dt.datetime | None = None) -> list[JobRun]:
    from .tasks import run_scheduled_job

    now = now or timezone.now()
    queued = []
    for job in JOBS.values():
        slot, due = job.slot(now)
        if due > now or JobRun.objects.filter(name=job.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = JobRun.objects.create(name=job.name, slot=slot)
        except IntegrityError:  # another scheduler took the slot
            continue
        transaction.on_commit(lambda run_id=run.pk: run_scheduled_job.enqueue(run_id))
        queued.append(run)
    return queued


def execute_run(run_id: int, *, now: dt.datetime | None = None) -> JobRun:
    run = JobRun.objects.get(pk=run_id)
    if run.state in (JobRun.State.DONE, JobRun.State.RUNNING):
        return run  # delivered twice: the first delivery did (or is doing) the work
    run.state, run.started_at = JobRun.State.RUNNING, timezone.now()
    run.save(update_fields=["state", "started_at"])
    try:
        result = get_job(run.name).function(now=now or timezone.now(), dry_run=run.dry_run)
    except Exception as exc:  # noqa: BLE001 - recorded, and the next slot tries again
        logger.exception("job %s (%s) failed", run.name, run.slot)
        run.state, run.error = JobRun.State.FAILED, f"{exc}\n{traceback.format_exc()}"[:10000]
    else:
        run.state, run.result = JobRun.State.DONE, result or {}
    run.finished_at = timezone.now()
    run.save(update_fields=["state", "result", "error", "finished_at"])
    return run


def run_job_now(name: str, *, dry_run: bool = False, now: dt.datetime | None = None) -> JobRun:
    get_job(name)
    stamp = timezone.localtime(timezone.now()).strftime("%Y%m%dT%H%M%S.%f")
    run = JobRun.objects.create(name=name, slot=f"manual-{stamp}", manual=True, dry_run=dry_run)
    return execute_run(run.pk, now=now)
