"""Form definitions, their immutable published versions, and submissions pinned to a version.

Models hold fields and single-row checks only; every write goes through
:mod:`forms_engine.services` (which owns transactions, immutability and the audit log).
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections import OrderedDict
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_engine.schema import Schema, parse_schema


def schema_checksum(schema: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a schema (key order and spacing do not matter)."""
    canonical = json.dumps(schema, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_PARSED: OrderedDict[str, Schema] = OrderedDict()
_PARSED_MAX = 128
_PARSED_LOCK = threading.Lock()


def _parse_cached(schema: dict[str, Any]) -> Schema:
    key = schema_checksum(schema)
    with _PARSED_LOCK:
        parsed = _PARSED.get(key)
        if parsed is not None:
            _PARSED.move_to_end(key)
            return parsed
    parsed = parse_schema(schema)  # raises SchemaValidationError; nothing is cached then
    with _PARSED_LOCK:
        _PARSED[key] = parsed
        while len(_PARSED) > _PARSED_MAX:
            _PARSED.popitem(last=False)
    return parsed


class FormDefinition(models.Model):
    class Category(models.TextChoices):
        SELF_TEST = "self_test", _("自测表")
        FILING = "filing", _("申报表")
        ASSESSMENT = "assessment", _("评测问卷")
        CHANGE = "change", _("重大变更")

    key = models.SlugField(
        _("标识"),
        max_length=64,
        unique=True,
        help_text=_("稳定标识，程序和数据都以它引用表单，创建后不可修改。"),
    )
    title = models.CharField(_("名称"), max_length=200)
    purpose = models.TextField(_("用途"), blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    self_service = models.BooleanField(
        _("企业可直接填写"),
        default=False,
        help_text=_(
            "勾选后，已登录企业可从 /forms/fill/<标识>/ 直接填写（如自测表、评测问卷）；申报表由申报流程创建。"
        ),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("表单定义")
        verbose_name_plural = _("表单定义")
        ordering = ["key"]
        permissions = [
            ("preview_formdefinition", _("可试填任意版本")),
            ("publish_formversion", _("可发布表单版本")),
            ("approve_formversion", _("可审批表单版本")),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.key}）"


class FormVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布（现行）")
        RETIRED = "retired", _("已停用")

    definition = models.ForeignKey(
        FormDefinition, on_delete=models.CASCADE, related_name="versions", verbose_name=_("表单定义")
    )
    number = models.PositiveIntegerField(_("版本号"))
    purpose = models.SlugField(
        _("适用情形"),
        max_length=32,
        blank=True,
        default="",
        help_text=_(
            "留空为通用（如新申请）。同一表单可同时有多个现行版本，各用于不同情形，"
            "如 review 表示复核仍按旧标准；宿主应用按情形选取版本。"
        ),
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    schema = models.JSONField(_("表单结构"))
    schema_format = models.PositiveSmallIntegerField(_("结构格式号"))
    checksum = models.CharField(_("校验和"), max_length=64)
    effective_date = models.DateField(_("生效日期"), null=True, blank=True)
    policy_basis = models.CharField(_("政策依据"), max_length=300, blank=True)
    change_note = models.TextField(_("变更说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("发布人"),
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("表单版本")
        verbose_name_plural = _("表单版本")
        ordering = ["definition__key", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "number"], name="formversion_unique_number"),
            # at most one current published version per definition and purpose
            models.UniqueConstraint(
                fields=["definition", "purpose"],
                condition=Q(status="published"),
                name="formversion_one_published_per_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.definition.title} v{self.number}（{self.get_status_display()}）"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @cached_property
    def parsed(self) -> Schema:
        """The typed schema (older formats are upgraded on read; the stored JSON is untouched).

        Parsing a questionnaire takes milliseconds and every wizard request needs it, so parsed
        schemas are kept per process by the checksum of their content (schemas are immutable
        objects; a changed draft has another checksum).
        """
        return _parse_cached(self.schema)

    @property
    def provisional(self) -> bool:
        return bool((self.schema or {}).get("metadata", {}).get("provisional"))


class FormSubmission(models.Model):
    """One enterprise's answers to one pinned form version (a draft until submitted).

    Host apps (filings, assessments) own submissions through a 1:1 PROTECT link to this model
    and keep their own states (under review, returned, recognised …); the engine knows only
    draft and submitted, the owner (for resuming drafts and permission checks) and the history of
    every submitted state (:class:`FormSubmissionRevision`). See docs/forms-engine.md, "Host contract".
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("表单版本")
    )
    # PROTECT: answers of filings are records of the review; deleting a login must never erase them
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="form_submissions",
        verbose_name=_("填写人"),
    )
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    answers = models.JSONField(_("答案"), default=dict, blank=True)
    wizard_state = models.JSONField(
        _("向导状态"),
        default=dict,
        blank=True,
        help_text=_("各步骤原样保存的输入，含未通过校验的内容，保证用户输入不丢失。"),
    )
    context = models.JSONField(
        _("上下文"),
        default=dict,
        blank=True,
        help_text=_("宿主应用提供的上下文（如所在省份），规则中以 ctx_ 前缀引用。"),
    )
    score = models.JSONField(_("评分结果"), null=True, blank=True)
    revision = models.PositiveIntegerField(
        _("修改次数"), default=0, help_text=_("每次保存加一，用于检测多个窗口同时编辑。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("表单填报")
        verbose_name_plural = _("表单填报")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["owner", "state"])]

    def __str__(self) -> str:
        return f"{self.version} · {self.owner} · {self.get_state_display()}"

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class FormSubmissionRevision(models.Model):
    """One earlier state of a submission, kept for good: each submit (and each migration of a
    draft to a newer version) adds one, so a reviewer sees what changed on resubmission."""

    class Event(models.TextChoices):
        SUBMITTED = "submitted", _("提交")
        MIGRATED = "migrated", _("迁移到新版本前")

    submission = models.ForeignKey(
        FormSubmission, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("表单填报")
    )
    number = models.PositiveIntegerField(_("序号"))
    event = models.CharField(_("事件"), max_length=20, choices=Event.choices, default=Event.SUBMITTED)
    version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("表单版本")
    )
    answers = models.JSONField(_("答案"), default=dict)
    context = models.JSONField(_("上下文"), default=dict, blank=True)
    score = models.JSONField(_("评分结果"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("操作人"),
    )
    reopened_at = models.DateTimeField(_("退回修改时间"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("退回人"),
    )
    reopen_reason = models.TextField(_("退回原因"), blank=True)

    class Meta:
        verbose_name = _("填报历史")
        verbose_name_plural = _("填报历史")
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="formsubmissionrevision_number")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} #{self.number} {self.get_event_display()}"


class FormVersionReview(models.Model):
    """One request to approve a draft version (the two-person rule before publishing).

    The author submits the draft as it is (its checksum is recorded); a second policy-staff
    member approves or rejects it with a comment. An approval is valid only for the checksum it
    was given for: editing the draft afterwards needs a new submission.
    """

    class Decision(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已退回")

    version = models.ForeignKey(
        FormVersion, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("表单版本")
    )
    checksum = models.CharField(_("提交时的校验和"), max_length=64)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("提交人"),
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    note = models.TextField(_("提交说明"), blank=True)
    decision = models.CharField(
        _("审批结果"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    comment = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("表单版本审批")
        verbose_name_plural = _("表单版本审批")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            # at most one open request per version
            models.UniqueConstraint(
                fields=["version"], condition=Q(decision="pending"), name="formversionreview_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.get_decision_display()}"

    @property
    def is_current(self) -> bool:
        """The draft has not changed since it was submitted."""
        return self.checksum == self.version.checksum
