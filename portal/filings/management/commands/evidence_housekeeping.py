"""Housekeeping of evidence uploads: purge expired unfinished uploads and orphaned parts, and
queue again inspections a dead worker left 检查中. Idempotent; ``--dry-run`` only counts."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from portal.filings.evidence import services


class Command(BaseCommand):
    help = "Purge expired evidence uploads and orphaned parts; re-queue stale inspections."

    def add_arguments(self, parser):
        parser.add_argument("--purge", action="store_true", help="delete expired uploads and orphaned parts")
        parser.add_argument(
            "--requeue-after",
            type=int,
            metavar="MINUTES",
            help="queue again inspections still 检查中 this many minutes after the last byte",
        )
        parser.add_argument("--dry-run", action="store_true", help="count only, change nothing")

    def handle(self, *args, purge: bool, requeue_after: int | None, dry_run: bool, **options):
        if not purge and requeue_after is None:
            raise CommandError("say what to do: --purge and/or --requeue-after MINUTES")
        verb = "would be" if dry_run else "were"
        if purge:
            counts = services.purge_expired_uploads(dry_run=dry_run)
            self.stdout.write(
                f"{counts['expired_uploads']} expired uploads and {counts['orphan_parts']} "
                f"orphaned parts {verb} deleted"
            )
        if requeue_after is not None:
            count = services.requeue_stale_inspections(
                older_than=dt.timedelta(minutes=requeue_after), dry_run=dry_run
            )
            self.stdout.write(f"{count} stale inspections {verb} queued again")
