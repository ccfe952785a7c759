"""The registry of scheduled jobs: each app registers its jobs in ``AppConfig.ready()``.

A job is a function ``(*, now: datetime, dry_run: bool) -> dict`` that is idempotent — running it
twice for the same moment changes nothing the second time (messages carry dedupe keys, states are
checked before they move) — and returns counts for the record. Its schedule is ``daily`` at a
Beijing-time ``at="HH:MM"``, or ``every_minutes=N``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

JobFunction = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Job:
    name: str
    title: str
    function: JobFunction
    at: str = ""  # daily at HH:MM (Asia/Shanghai)
    every_minutes: int = 0

    def slot(self, now: dt.datetime) -> tuple[str, dt.datetime]:
        """The slot ``now`` falls in and the moment it becomes due."""
        local = timezone.localtime(now)
        if self.every_minutes:
            minutes = (local.hour * 60 + local.minute) // self.every_minutes * self.every_minutes
            due = local.replace(hour=minutes // 60, minute=minutes % 60, second=0, microsecond=0)
            return due.strftime("%Y-%m-%dT%H:%M"), due
        hour, minute = (int(part) for part in self.at.split(":"))
        due = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if local < due:  # today's run is not due yet: the slot in force is yesterday's
            due -= dt.timedelta(days=1)
        return due.strftime("%Y-%m-%d"), due

    @property
    def schedule_label(self) -> str:
        return f"每 {self.every_minutes} 分钟" if self.every_minutes else f"每天 {self.at}"


JOBS: dict[str, Job] = {}


def register_job(
    name: str, title: str, *, at: str = "", every_minutes: int = 0
) -> Callable[[JobFunction], JobFunction]:
    if bool(at) == bool(every_minutes):
        raise ValueError("a job runs daily at HH:MM or every N minutes")

    def decorator(function: JobFunction) -> JobFunction:
        JOBS[name] = Job(name, title, function, at=at, every_minutes=every_minutes)
        return function

    return decorator


def get_job(name: str) -> Job:
    try:
        return JOBS[name]
    except KeyError:
        raise KeyError(f"unknown job {name!r}; known: {', '.join(sorted(JOBS))}") from None
