"""申报时间 and 申报条件: when each province takes filings of each level, and what a filing needs.

- :class:`FilingWindow` — one round (year and batch) of one level in one province, open from
  ``opens_at`` to ``closes_at`` (entered and shown in Asia/Shanghai time). A provincial admin keeps
  the windows of their own province (SPEC F-30, FAQ 4).
- :class:`FilingRequirement` — the form a level is filed on and its prerequisites, as data: one
  nationwide row per level, optionally overridden for a province (F-31, F-33, F-34).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from portal.enterprises.models import Enterprise
from portal.filings.forms import FilingRequirementAdminForm, FilingWindowAdminForm

FilingLevel = Enterprise.RecognitionLevel


class FilingWindow(models.Model):
    base_form_class = FilingWindowAdminForm

    province = models.ForeignKey(
        "reference.Region",
        verbose_name=_("省份"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    level = models.CharField(_("申报级别"), max_length=16, choices=FilingLevel.choices)
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2018), MaxValueValidator(2100)]
    )
    batch = models.PositiveSmallIntegerField(
        _("批次"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    opens_at = models.DateTimeField(_("开放时间"), help_text=_("北京时间。"))
    closes_at = models.DateTimeField(_("截止时间"), help_text=_("北京时间；到此时刻后不能再提交。"))
    notice = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("申报通知"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("可选：本批次的申报通知公告，企业端显示其链接。"),
    )
    note = models.CharField(
        _("说明"), max_length=300, blank=True, help_text=_("可选：显示给企业的简短说明。")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("province"), FieldPanel("level")]),
                FieldRowPanel([FieldPanel("year"), FieldPanel("batch")]),
            ],
            heading=_("申报批次"),
        ),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("申报时间（北京时间）")),
        FieldPanel("notice"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("申报时间")
        verbose_name_plural = _("申报时间")
        ordering = ["-opens_at", "province__code", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "level", "year", "batch"], name="filings_window_one_per_batch"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="filings_window_order"
            ),
        ]
        indexes = [models.Index(fields=["province", "level", "opens_at"], name="filings_window_lookup")]

    def __str__(self) -> str:
        return f"{self.province.name if self.province_id else ''}{self.round_label}{self.get_level_display()}"

    @property
    def round_label(self) -> str:
        return str(_("%(year)s年第%(batch)s批")) % {"year": self.year, "batch": self.batch}

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = ValidationError(_("截止时间须晚于开放时间。"), code="closes_before_opens")
        if not errors and self.province_id and self.level and self.opens_at and self.closes_at:
            overlapping = FilingWindow.objects.filter(
                province_id=self.province_id,
                level=self.level,
                opens_at__lt=self.closes_at,
                closes_at__gt=self.opens_at,
            ).exclude(pk=self.pk)
            other = overlapping.first()
            if other is not None:
                errors["opens_at"] = ValidationError(
                    _(
                        "与已有的“%(other)s”（%(start)s 至 %(end)s）时间重叠：同一省份同一级别同一时间只能有一个申报批次。"
                    ),
                    code="window_overlap",
                    params={
                        "other": other.round_label,
                        "start": timezone.localtime(other.opens_at).strftime("%Y-%m-%d %H:%M"),
                        "end": timezone.localtime(other.closes_at).strftime("%Y-%m-%d %H:%M"),
                    },
                )
        if errors:
            raise ValidationError(errors)


class FilingRequirement(models.Model):
    """A level's form and prerequisites; the province's row wins over the nationwide one.

    A verified 法人 account is always required (FAQ 2) and is not a setting.
    """

    base_form_class = FilingRequirementAdminForm

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
    definition_key = models.SlugField(
        _("申报表标识"), max_length=64, help_text=_("表单管理中申报表的标识，如 specialized_filing。")
    )
    version_purpose = models.CharField(
        _("版本用途"), max_length=32, blank=True, help_text=_("留空为现行通用版本。")
    )
    requires_complete_profile = models.BooleanField(_("须完善企业基本信息"), default=True)
    requires_assessment = models.BooleanField(
        _("须先完成数字化水平评测"),
        default=False,
        help_text=_("专精特新中小企业申报前须完成数字化水平评测。"),
    )
    requires_recognition = models.CharField(
        _("须已获认定"),
        max_length=16,
        choices=FilingLevel.choices,
        blank=True,
        help_text=_("申报前须持有的有效认定，如“小巨人”须为专精特新中小企业（留空为不要求）。"),
    )
    requires_evidence = models.BooleanField(
        _("须上传其他材料"), default=True, help_text=_("提交时须附一个通过检查的 .zip 压缩包。")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("level"), FieldPanel("province")]),
        FieldRowPanel([FieldPanel("definition_key"), FieldPanel("version_purpose")]),
        MultiFieldPanel(
            [
                FieldPanel("requires_complete_profile"),
                FieldPanel("requires_assessment"),
                FieldPanel("requires_recognition"),
                FieldPanel("requires_evidence"),
            ],
            heading=_("申报条件"),
        ),
    ]

    class Meta:
        verbose_name = _("申报条件")
        verbose_name_plural = _("申报条件")
        ordering = ["level", "province__code"]
        constraints = [
            models.UniqueConstraint(fields=["level", "province"], name="filings_requirement_per_province"),
            models.UniqueConstraint(
                fields=["level"], condition=Q(province__isnull=True), name="filings_requirement_national"
            ),
        ]

    def __str__(self) -> str:
        where = self.province.name if self.province_id else _("全国")
        return f"{self.get_level_display()}（{where}）"

    def clean(self) -> None:
        from forms_engine.models import FormDefinition

        if self.definition_key and not FormDefinition.objects.filter(key=self.definition_key).exists():
            raise ValidationError(
                {
                    "definition_key": ValidationError(
                        _("没有标识为“%(key)s”的表单。"),
                        code="unknown_definition",
                        params={"key": self.definition_key},
                    )
                }
            )
        if self.requires_recognition and self.requires_recognition == self.level:
            raise ValidationError(
                {"requires_recognition": ValidationError(_("不能要求已获得本级别认定。"), code="same_level")}
            )
