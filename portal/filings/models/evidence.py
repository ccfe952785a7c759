"""The evidence archive: the one zip of 其他材料 (SPEC F-32, FAQ 8).

An archive is uploaded through the tus protocol (``portal.filings.evidence.tus``), checked by a
background task (``portal.filings.evidence.tasks``) and, once a filing is submitted with it,
frozen by :func:`portal.filings.evidence.services.lock_evidence_archive`. Every write goes through
``portal.filings.evidence.services``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.filings.evidence.refusals import render_problem


class EvidenceArchive(models.Model):
    class State(models.TextChoices):
        UPLOADING = "uploading", _("上传中")
        CHECKING = "checking", _("检查中")
        PASSED = "passed", _("通过")
        REFUSED = "refused", _("未通过")

    # URLs carry this, never the sequential primary key: nothing to enumerate.
    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    # PROTECT: evidence a filing was submitted with must never vanish with an account or an
    # enterprise; the services delete an archive only while it is not locked.
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="evidence_archives",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传账号"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.UPLOADING)
    filename = models.CharField(
        _("文件名"), max_length=255, help_text=_("上传时所选文件的名称（仅用于显示）。")
    )
    size = models.BigIntegerField(_("文件大小（字节）"))
    offset = models.BigIntegerField(_("已接收（字节）"), default=0)
    # Chunks received so far, in order: [[storage name, bytes], …]; joined into ``stored_name`` by
    # the inspection task, then emptied.
    parts = models.JSONField(_("已接收的分块"), default=list, blank=True)
    stored_name = models.CharField(
        _("存储名"), max_length=500, blank=True, help_text=_("服务器生成的存储路径，与上传的文件名无关。")
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    members = models.JSONField(_("压缩包内文件"), default=list, blank=True)
    member_count = models.PositiveIntegerField(_("文件数"), default=0)
    uncompressed_size = models.BigIntegerField(_("解压后大小（字节）"), default=0)
    refusal_code = models.CharField(_("未通过原因代码"), max_length=64, blank=True)
    refusal_params = models.JSONField(_("未通过原因参数"), default=dict, blank=True)
    # Every problem found (the first is refusal_code/refusal_params): [{"code": …, "params": {…}}, …]
    problems = models.JSONField(_("发现的问题"), default=list, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("替换"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replacement",
        help_text=_("通过检查后，被替换的压缩包将被删除。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    upload_expires_at = models.DateTimeField(_("上传截止时间"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("上传完成时间"), null=True, blank=True)
    inspected_at = models.DateTimeField(_("检查完成时间"), null=True, blank=True)
    inspection_seconds = models.FloatField(_("检查耗时（秒）"), null=True, blank=True)
    locked_at = models.DateTimeField(
        _("锁定时间"), null=True, blank=True, help_text=_("随申报提交后锁定，不能再替换或删除。")
    )

    class Meta:
        verbose_name = _("申报材料压缩包")
        verbose_name_plural = _("申报材料压缩包")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["enterprise", "state"], name="filings_evidence_owner_state"),
            models.Index(fields=["state", "upload_expires_at"], name="filings_evidence_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def percent(self) -> int:
        return int(self.offset * 100 // self.size) if self.size else 0

    @property
    def refusal_message(self) -> str:
        return render_problem(self.refusal_code, self.refusal_params) if self.refusal_code else ""

    @property
    def problem_messages(self) -> list[str]:
        return [render_problem(problem["code"], problem.get("params", {})) for problem in self.problems]
