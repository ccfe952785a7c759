"""``manage.py run_job NAME [--dry-run]`` (or ``--list``): run a scheduled job by hand, recorded."""

import json

from django.core.management.base import BaseCommand, CommandError

from portal.jobs.registry import JOBS
from portal.jobs.services import run_job_now


class Command(BaseCommand):
    help = "Run a scheduled job now (recorded as a manual run); --dry-run counts and changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--list", action="store_true", help="list the jobs and their schedules")

    def handle(self, *args, name=None, dry_run=False, list=False, **options):
        if list or not name:
            for job in sorted(JOBS.values(), key=lambda j: j.name):
                self.stdout.write(f"{job.name:32} {job.schedule_label:12} {job.title}")
            return
        if name not in JOBS:
            raise CommandError(f"没有名为 {name} 的定时任务；可用：{', '.join(sorted(JOBS))}")
        run = run_job_now(name, dry_run=dry_run)
        self.stdout.write(
            f"{run.name} {run.get_state_display()} {json.dumps(run.result, ensure_ascii=False)}"
        )
        if run.state == run.State.FAILED:
            raise CommandError(run.error.splitlines()[0] if run.error else "failed")
