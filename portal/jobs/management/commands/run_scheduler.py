"""``manage.py run_scheduler``: the one scheduler process (`make run` starts it beside the worker).

Every ``--interval`` seconds (default 30) it queues the jobs whose slot is due on the task worker.
Run exactly one per deployment (several would still run each slot once: the (job, slot) record is
unique, but they would race for nothing). ``--once`` queues what is due and exits (for cron).
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from portal.jobs.services import enqueue_due_jobs


class Command(BaseCommand):
    help = "Queue due scheduled jobs on the task worker, forever (or --once)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=30.0)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, interval=30.0, once=False, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
        while not stopping:
            close_old_connections()
            try:
                queued = enqueue_due_jobs()
            except Exception as exc:  # noqa: BLE001 - a database restart: try again next round
                self.stderr.write(f"scheduler: {exc}")
            else:
                for run in queued:
                    self.stdout.write(f"queued {run.name} {run.slot}")
            if once:
                return
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.5)
