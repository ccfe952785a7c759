"""Background work on the Django Tasks API (django-tasks; the worker is `manage.py db_worker`).

Arguments are primary keys only (JSON-serialisable, and the task re-reads the row it acts on),
so running a task twice changes nothing.
"""

from __future__ import annotations

from django_tasks import task

from . import services


@task(queue_name="evidence")
def inspect_evidence_archive(archive_id: int) -> str:
    """Join the uploaded parts, inspect the zip, record 通过/未通过; returns the final state."""
    return services.run_inspection(archive_id=archive_id)


@task(queue_name="evidence")
def purge_evidence_uploads() -> dict[str, int]:
    """Delete expired unfinished uploads and orphaned part objects (for the scheduler)."""
    return services.purge_expired_uploads()
