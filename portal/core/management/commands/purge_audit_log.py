"""``manage.py purge_audit_log [--dry-run]``: delete audit entries older than AUDIT_LOG_RETENTION_DAYS
(at least 180 days; younger entries are never deleted). See portal/core/audit.py."""

from django.core.management.base import BaseCommand

from portal.core.audit import purge_audit_log, retention_days


class Command(BaseCommand):
    help = "Delete audit log entries older than the retention (AUDIT_LOG_RETENTION_DAYS, at least 180 days)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be deleted, delete nothing"
        )

    def handle(self, *args, dry_run: bool = False, **options):
        counts = purge_audit_log(dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        total = sum(counts.values())
        self.stdout.write(f"Audit log retention {retention_days()} days: {verb} {total} entries {counts}")
