"""What review adds to a filing: the chain configuration, 退回 notes anchored to fields, verified scores.

- :class:`ReviewChain` — per filing level and province (or nationwide), the ordered review levels and
  the deciding one (F-40). Read when a filing is first submitted; the filing keeps its own copy.
- :class:`ReturnNote` — a reviewer's 退回 comment on one field, on the evidence zip, or in general;
  the enterprise sees it beside that field in the reopened draft.
- :class:`ScoreAdjustment` — a reviewer's verified score of one indicator beside the self-score,
  with the reason; the deciding level's verified total decides.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from portal.filings import states
from portal.filings.states import ChainStep, ReviewLevel

from ..forms import ReviewChainAdminForm
from .windows import FilingLevel


class ReviewChain(models.Model):
    panels = [
        FieldRowPanel([FieldPanel("level"), FieldPanel("province")]),
        FieldRowPanel(
            [
                FieldPanel("step_county"),
                FieldPanel("step_city"),
                FieldPanel("step_province"),
                FieldPanel("step_ministry"),
            ],
            heading=_("审核层级（自下而上，最后一级为认定层级）"),
        ),
        FieldPanel("steps"),
    ]

    level = models.CharField(_("申报级别"), max_length=16, choices=FilingLevel.choices)
    province = models.ForeignKey(
        "reference.Region",
        verbose_name=_("适用省份"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
        help_text=_("留空为全国默认；填写省份则仅对该省生效并取代全国默认。"),
    )
    steps = models.JSONField(
        _("审核层级"),
        default=list,
        help_text=_("自下而上的审核层级，最后一级为认定层级，如：县/区审核 → 市审核 → 省认定。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    base_form_class = ReviewChainAdminForm

    class Meta:
        verbose_name = _("审核流程")
        verbose_name_plural = _("审核流程")
        ordering = ["level", "province__code"]
        constraints = [
            models.UniqueConstraint(fields=["level", "province"], name="filings_chain_per_province"),
            models.UniqueConstraint(
                fields=["level"], condition=Q(province__isnull=True), name="filings_chain_national"
            ),
        ]

    def __str__(self) -> str:
        where = self.province.name if self.province_id else _("全国")
        return f"{self.get_level_display()}（{where}）：{self.steps_label}"

    @property
    def chain_steps(self) -> list[ChainStep]:
        return [ChainStep.from_dict(step) for step in self.steps or []]

    @property
    def steps_label(self) -> str:
        return " → ".join(step.label for step in self.chain_steps)

    def clean(self) -> None:
        try:
            steps = self.chain_steps
            states.check_chain(steps)
        except states.ChainInvalidError as exc:
            raise ValidationError({"steps": ValidationError(str(exc), code=exc.code)}) from exc
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError(
                {"steps": ValidationError(_("审核层级格式不正确。"), code="chain_format")}
            ) from exc


class ReturnNote(models.Model):
    class Kind(models.TextChoices):
        FIELD = "field", _("填报内容")
        EVIDENCE = "evidence", _("其他材料")
        GENERAL = "general", _("总体意见")

    filing = models.ForeignKey(
        "filings.Filing", verbose_name=_("申报"), on_delete=models.CASCADE, related_name="return_notes"
    )
    event = models.ForeignKey(
        "filings.FilingEvent", verbose_name=_("退回记录"), on_delete=models.CASCADE, related_name="notes"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    field_key = models.CharField(_("字段标识"), max_length=64, blank=True)
    field_label = models.CharField(_("字段"), max_length=200, blank=True)
    comment = models.TextField(_("意见"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("退回意见")
        verbose_name_plural = _("退回意见")
        ordering = ["event", "pk"]

    def __str__(self) -> str:
        return f"{self.field_label or self.get_kind_display()}：{self.comment}"


class ScoreAdjustment(models.Model):
    filing = models.ForeignKey(
        "filings.Filing", verbose_name=_("申报"), on_delete=models.CASCADE, related_name="score_adjustments"
    )
    level = models.CharField(_("审核层级"), max_length=16, choices=ReviewLevel.choices)
    item_key = models.CharField(_("指标标识"), max_length=64)
    item_label = models.CharField(_("指标"), max_length=200)
    self_points = models.DecimalField(_("自评得分"), max_digits=10, decimal_places=4)
    verified_points = models.DecimalField(_("核定得分"), max_digits=10, decimal_places=4)
    reason = models.TextField(_("核定理由"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核定人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("核定得分")
        verbose_name_plural = _("核定得分")
        ordering = ["filing", "level", "item_key", "-created_at"]
        indexes = [models.Index(fields=["filing", "level"], name="filings_adjust_filing_level")]

    def __str__(self) -> str:
        return f"{self.item_label}：{self.self_points} → {self.verified_points}"
