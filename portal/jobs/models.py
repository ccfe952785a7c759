"""A record of every run of a scheduled job (SPEC F-63: scheduled jobs are idempotent and recorded).

One row per job and *slot* (``2026-12-05`` for a daily job, ``2026-12-05T13:00`` for an hourly
one, ``manual-…`` for a run by hand): the unique constraint is what makes a slot run once even if
two schedulers are started by mistake.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("运行中")
        DONE = "done", _("完成")
        FAILED = "failed", _("失败")

    name = models.CharField(_("任务"), max_length=64)
    slot = models.CharField(_("时段"), max_length=64)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.QUEUED)
    dry_run = models.BooleanField(_("仅预演"), default=False)
    manual = models.BooleanField(_("手动运行"), default=False)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)
    queued_at = models.DateTimeField(_("排队时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("定时任务记录")
        verbose_name_plural = _("定时任务记录")
        ordering = ["-queued_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="jobs_one_run_per_slot")]

    def __str__(self) -> str:
        return f"{self.name} {self.slot} ({self.get_state_display()})"
