"""Remove uploads parked for a form that was never submitted again (``KeptUploads``).

A file is kept under ``PRIVATE_MEDIA_ROOT/pending/`` while its form is being corrected; the
session ends after ``SESSION_IDLE_MINUTES``, so anything older than a day is abandoned. Run it
daily (cron or the task worker); it is idempotent.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from portal.core.storage import private_storage
from portal.core.uploads import KeptUploads


class Command(BaseCommand):
    help = "Delete kept uploads of abandoned forms (PRIVATE_MEDIA_ROOT/pending/ older than --hours)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=24.0)

    def handle(self, *args, hours: float, **options):
        directory = KeptUploads.directory
        if not private_storage.exists(directory):
            return
        cutoff = time.time() - hours * 3600
        removed = 0
        for name in private_storage.listdir(directory)[1]:
            path = f"{directory}/{name}"
            if private_storage.get_modified_time(path).timestamp() < cutoff:
                private_storage.delete(path)
                removed += 1
        self.stdout.write(f"{removed} abandoned upload(s) removed")
