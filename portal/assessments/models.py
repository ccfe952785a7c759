"""One attempt of the digital-level questionnaire (数字化水平评测, SPEC F-35).

An :class:`Assessment` belongs to the enterprise and owns its engine submission 1:1 (PROTECT:
answers and results are records a filing refers to). The questionnaire (category and definition
key) is fixed when the attempt starts, from the enterprise's 所属行业 at that moment; the result
(total, level, per-dimension subtotals) is written once, by the engine's submit hook, in the same
transaction as the submit. Every write goes through :mod:`portal.assessments.services`.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.reference.models import Industry


class Assessment(models.Model):
    class Level(models.IntegerChoices):
        # 0 is a result too (未达到一级): the specialised filing's indicator 5 scores it 0
        NONE = 0, _("未达到一级")
        ONE = 1, _("一级")
        TWO = 2, _("二级")
        THREE = 3, _("三级")
        FOUR = 4, _("四级")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="assessments", verbose_name=_("企业")
    )
    submission = models.OneToOneField(
        "forms_engine.FormSubmission",
        on_delete=models.PROTECT,
        related_name="assessment",
        verbose_name=_("答卷"),
    )
    category = models.CharField(
        _("评测表类别"),
        max_length=32,
        choices=Industry.QuestionnaireCategory.choices,
        help_text=_("开始评测时按企业所属行业确定，之后行业变更不影响本次评测。"),
    )
    definition_key = models.SlugField(_("评测表标识"), max_length=64)
    total = models.DecimalField(_("总分"), max_digits=10, decimal_places=4, null=True, blank=True)
    max_total = models.DecimalField(_("满分"), max_digits=10, decimal_places=4, null=True, blank=True)
    level = models.PositiveSmallIntegerField(
        _("数字化水平等级"), choices=Level.choices, null=True, blank=True
    )
    # [{"key": "foundation", "label": "数字化基础", "points": "32.5", "max": "50"}, …] in schema order
    dimensions = models.JSONField(_("各维度得分"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("数字化水平评测")
        verbose_name_plural = _("数字化水平评测")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["enterprise", "submitted_at"], name="assessment_ent_submitted")]
        constraints = [
            # 【去自评】 twice (two tabs, a double click) resumes the open draft, never a second one
            models.UniqueConstraint(
                fields=["enterprise", "definition_key"],
                condition=Q(submitted_at__isnull=True),
                name="assessment_one_open_draft_per_questionnaire",
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(total__isnull=False, level__isnull=False),
                name="assessment_submitted_has_result",
            ),
        ]

    def __str__(self) -> str:
        state = self.level_label if self.is_submitted else _("填写中")
        return f"{self.enterprise} · {self.category_label} · {state}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def level_label(self) -> str:
        """一级 … 四级, or 未达到一级; "" while the attempt is a draft."""
        return str(self.get_level_display()) if self.level is not None else ""

    @property
    def category_label(self) -> str:
        return str(self.get_category_display())

    @property
    def total_text(self) -> str:
        """The total as read: ``85.5`` (no trailing zeros)."""
        return points_text(self.total)

    @property
    def max_total_text(self) -> str:
        return points_text(self.max_total)


def points_text(value: Decimal | str | None) -> str:
    if value is None or value == "":
        return ""
    number = Decimal(value).normalize()
    return f"{number.quantize(Decimal(1)) if number == number.to_integral_value() else number:f}"
