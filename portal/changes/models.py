"""企业重大变更 (SPEC F-25, the manual's 三(四); policy/standards.md §4).

A :class:`MajorChange` is one reported change of one type, owning its engine submission (the
change form ``change_<type>``, category “重大变更”, edited by policy staff as data). Drafts may be
edited and deleted; a submitted change is reviewed by the province-level reviewers of the
enterprise's province — and, for a move to another province, of the new province too — and an
approved one updates the profile as a dated version. :class:`ChangeEvent` is its timeline.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeType(models.TextChoices):
    RENAME = "rename", _("更名")
    REGION = "region", _("注册地变更")
    CONTROL = "control", _("控股股东/实际控制人变更")
    BUSINESS = "business", _("主营业务变更")
    MERGER = "merger", _("合并/分立")
    OTHER = "other", _("其他")


def definition_key(change_type: str) -> str:
    return f"change_{change_type}"


class MajorChange(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("暂存")
        PENDING = "pending", _("待审核")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已核准")
        REJECTED = "rejected", _("不予核准")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="major_changes",
    )
    change_type = models.CharField(_("变更类型"), max_length=16, choices=ChangeType.choices)
    submission = models.OneToOneField(
        "forms_engine.FormSubmission",
        verbose_name=_("变更表"),
        on_delete=models.PROTECT,
        related_name="major_change",
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)
    effective_date = models.DateField(_("变更生效日期"), null=True, blank=True)
    # reported later than CHANGES_LATE_REPORT_MONTHS after it took effect (the policy's 3 months)
    reported_late = models.BooleanField(_("逾期报告"), default=False)
    # the provinces whose reviewers decide (two for a move across provinces), and their decisions:
    # {"440000": {"decision": "approved", "by": "…", "at": "…", "comment": "…"}}
    provinces = models.JSONField(_("审核省份"), default=list, blank=True)
    decisions = models.JSONField(_("各省审核结果"), default=dict, blank=True)
    region_code = models.CharField(_("注册地代码"), max_length=6, blank=True, db_index=True)
    # a move to another province: the new province reviews it too
    target_province_code = models.CharField(_("迁入省份代码"), max_length=6, blank=True, db_index=True)
    applied_version = models.ForeignKey(
        "enterprises.EnterpriseProfileVersion",
        verbose_name=_("更新后的企业信息版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("企业重大变更")
        verbose_name_plural = _("企业重大变更")
        ordering = ["-created_at", "-pk"]
        permissions = [("review_majorchange", _("可审核企业重大变更"))]
        indexes = [models.Index(fields=["state", "region_code"], name="changes_queue")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_change_type_display()} · {self.get_state_display()}"

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)

    @property
    def late_label(self) -> str:
        return str(_("逾期报告")) if self.reported_late else ""


class ChangeEvent(models.Model):
    change = models.ForeignKey(
        MajorChange, verbose_name=_("变更"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=32)
    from_state = models.CharField(_("原状态"), max_length=16, blank=True)
    to_state = models.CharField(_("新状态"), max_length=16, blank=True)
    province_code = models.CharField(_("审核省份"), max_length=6, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    is_staff_action = models.BooleanField(_("管理端操作"), default=False)
    comment = models.TextField(_("意见"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.change_id} {self.action}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


ACTION_LABELS = {
    "create": _("新增变更"),
    "submit": _("提交"),
    "resubmit": _("修改后重新提交"),
    "approve": _("核准"),
    "approve_partial": _("一省核准（待另一省核准）"),
    "reject": _("不予核准"),
    "return": _("退回修改"),
}
