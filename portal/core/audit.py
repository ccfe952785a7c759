"""Retention of the audit log (Wagtail's log entries: pages and every other model).

网络安全法 art. 21 asks for network logs to be kept at least six months: ``AUDIT_LOG_RETENTION_DAYS``
(default 365) may not be set below :data:`MINIMUM_RETENTION_DAYS` (system check ``portal.E003``),
and :func:`purge_audit_log` never deletes an entry younger than the retention, whatever it is asked.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry

MINIMUM_RETENTION_DAYS = 180


def retention_days() -> int:
    return max(int(getattr(settings, "AUDIT_LOG_RETENTION_DAYS", 365)), MINIMUM_RETENTION_DAYS)


def purge_audit_log(*, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete log entries older than the retention; returns the count per table (idempotent)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days())
    counts = {}
    with transaction.atomic():
        for model in (ModelLogEntry, PageLogEntry):
            old = model.objects.filter(timestamp__lt=cutoff)
            counts[model._meta.label] = old.count() if dry_run else old.delete()[0]
    return counts
