"""Recognition (认定, SPEC F-42) and the public notice before it (公示).

- :class:`Publicity` — one 公示: approved filings of one level, decided at one review level, of one
  province (none: the ministry's nationwide list). Creating it drafts a 省级/部级 notice page in the
  CMS; the period starts when an editor publishes that page and lasts ``period_days`` calendar days.
- :class:`PublicityEntry` — a filing on a 公示 (a filing is on one 公示 at most).
- :class:`Recognition` — one enterprise recognised at one level: number, year, validity, status
  (有效 / 已到期 / 已取消) and the facts printed on its certificate. Rows come from a 公示 (with the
  filing) or, for recognitions made before the portal, from an import (no filing).
- :class:`RecognitionSequence` — the last number handed out per numbering sequence (locked row).
- :class:`RecognitionSettings` — the query switch, the number pattern, validity years, the 公示
  period and the issuing authorities (a Wagtail setting, editable in the admin).
- :class:`ProvinceRecognitionSetting` — a province's own 公示 period and issuing authority.

The enterprise profile's recognition fields (``is_recognised``, ``recognition_level`` …) are written
only by :func:`portal.recognition.services.sync_enterprise_recognition`, from these rows.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from portal.enterprises.models import Enterprise
from portal.filings.states import ReviewLevel

Level = Enterprise.RecognitionLevel

# Neither the official number format nor a national 公示 period was found (policy/standards.md §4,
# §7): both are settings, and the defaults below are placeholders until the authorities confirm them.
DEFAULT_NUMBER_PATTERN = "{province_abbr}{level_code}{year}{seq:05d}"
DEFAULT_LEVEL_CODES = {Level.INNOVATIVE: "CX", Level.SPECIALIZED: "ZJTX", Level.LITTLE_GIANT: "XJR"}
DEFAULT_PUBLICITY_DAYS = 5  # Guangdong: 官网公示 5 天 (粤工信融资函〔2026〕39号, via G1); calendar days
DEFAULT_VALIDITY_YEARS = 3  # all three levels (粤工信规字〔2024〕5号 art. 13 and G6, §4)
UNCONFIRMED_NUMBER_NOTE = "认定编号格式为本平台配置的样式，正式编号规则待主管部门确认。"
UNCONFIRMED_CERTIFICATE_NOTE = "本证书为平台生成的样式，正式证书式样以认定机关发布为准。"


class RecognitionStatus(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("已到期")
    CANCELLED = "cancelled", _("已取消")


class CancelCategory(models.TextChoices):
    """Why a recognition is cancelled (F-44). Only 数据造假 has a consequence found in the sources: no
    new application for 3 years (工信厅企业函〔2026〕117号, via G2, [C1]); the full list of grounds in
    63号 was not found (policy/standards.md §4), so the other categories are the portal's own."""

    FRAUD = "fraud", _("数据造假")
    UNREPORTED_CHANGE = "unreported_change", _("未按规定报告重大变化")
    OTHER = "other", _("其他")


DEFAULT_FRAUD_BAR_YEARS = 3  # 117号 (2026), via G2: 数据造假 → no new application for 3 years [C1]


class Publicity(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿（公告待发布）")
        PUBLICISING = "publicising", _("公示中")
        # not stored: a 公示 past its last day reads 已结束 (no midnight job has to run for the
        # 【认定】 button to appear); see :attr:`Publicity.status`
        ENDED = "ended", _("已结束")
        RECOGNISED = "recognised", _("已认定")

    title = models.CharField(_("公示标题"), max_length=200)
    level = models.CharField(_("认定级别"), max_length=16, choices=Level.choices)
    province = models.ForeignKey(
        "reference.Region",
        verbose_name=_("省份"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("空：部级（全国）公示。"),
    )
    deciding_level = models.CharField(_("认定层级"), max_length=16, choices=ReviewLevel.choices)
    # the 注册地 code prefix the deciding reviewers' scope must cover ("" = the whole country)
    region_prefix = models.CharField(_("区域代码前缀"), max_length=6, blank=True, db_index=True)
    period_days = models.PositiveSmallIntegerField(_("公示期（自然日）"))
    period_start = models.DateField(_("公示开始日期"), null=True, blank=True)
    period_end = models.DateField(_("公示截止日期"), null=True, blank=True)
    notice = models.ForeignKey(
        "cms.NoticePage",
        verbose_name=_("公示公告"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)
    filings = models.ManyToManyField(
        "filings.Filing", verbose_name=_("公示的申报"), through="PublicityEntry", related_name="publicities"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    recognised_at = models.DateTimeField(_("认定完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示与认定")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_end__gte=F("period_start")),
                name="recognition_publicity_period_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def status_on(self, today: dt.date) -> str:
        if self.state == self.State.PUBLICISING and self.period_end is not None and self.period_end < today:
            return self.State.ENDED
        return self.state

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        return str(self.State(self.status).label)

    @property
    def where_label(self) -> str:
        return self.province.name if self.province_id else str(_("全国"))

    @property
    def period_label(self) -> str:
        if self.period_start is None:
            return str(_("公告发布之日起 %(days)s 天")) % {"days": self.period_days}
        return f"{self.period_start:%Y-%m-%d} 至 {self.period_end:%Y-%m-%d}"


class PublicityEntry(models.Model):
    publicity = models.ForeignKey(
        Publicity, verbose_name=_("公示"), on_delete=models.CASCADE, related_name="entries"
    )
    # one 公示 per filing: the state machine moves a filing into 公示中 once
    filing = models.OneToOneField(
        "filings.Filing", verbose_name=_("申报"), on_delete=models.PROTECT, related_name="publicity_entry"
    )
    position = models.PositiveIntegerField(_("序号"), default=0)

    class Meta:
        verbose_name = _("公示名单")
        verbose_name_plural = _("公示名单")
        ordering = ["publicity", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.publicity_id}#{self.position}"


class Recognition(models.Model):
    Status = RecognitionStatus

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="recognitions",
    )
    level = models.CharField(_("认定级别"), max_length=16, choices=Level.choices)
    filing = models.OneToOneField(
        "filings.Filing",
        verbose_name=_("申报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recognition",
        help_text=_("空：平台上线前的认定（迁移或演示数据）。"),
    )
    publicity = models.ForeignKey(
        Publicity,
        verbose_name=_("公示"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recognitions",
    )
    number = models.CharField(_("认定编号"), max_length=64, unique=True)
    # the pattern that produced the number ("" when it was imported as it stands): the official
    # format is not known yet, so every number says which placeholder produced it
    number_pattern = models.CharField(_("编号规则"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("认定年度"))
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"))
    status = models.CharField(
        _("状态"), max_length=16, choices=RecognitionStatus.choices, default=RecognitionStatus.VALID
    )
    # the facts as recognised: the certificate and the public query show these, whatever the
    # profile says later (a rename is a 重大变更 with its own review)
    enterprise_name = models.CharField(_("企业名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    region_code = models.CharField(_("注册地代码"), max_length=6, blank=True, db_index=True)
    authority = models.CharField(_("认定机关"), max_length=100)
    deciding_level = models.CharField(_("认定层级"), max_length=16, choices=ReviewLevel.choices, blank=True)
    # 取消认定 (F-44, portal.recognition.actions.CancelRecognitionAction)
    cancel_category = models.CharField(
        _("取消类别"), max_length=32, choices=CancelCategory.choices, blank=True
    )
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("取消操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # a 复核 of this recognition is under review: it stays in force past its last day until decided
    # (standards.md §4: "the original listing stays valid during review"); portal.lifecycle sets it
    renewal_pending = models.BooleanField(_("复核中"), default=False)
    barred_until = models.DateField(
        _("不得申报至"),
        null=True,
        blank=True,
        help_text=_("因数据造假被取消认定的企业，在此日期之前不得提出新的申报（此日起可再次申报）。"),
    )
    certificate_name = models.CharField(_("证书文件"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认定操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("认定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("认定企业")
        verbose_name_plural = _("认定企业")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")), name="recognition_validity_order"
            ),
        ]
        indexes = [
            models.Index(fields=["region_code", "level", "year"], name="recognition_register"),
            models.Index(fields=["enterprise", "status"], name="recognition_enterprise_status"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_name} · {self.get_level_display()} · {self.number}"

    def status_on(self, today: dt.date) -> str:
        """The status a person should read on ``today``: a valid recognition past its last day is
        已到期 even before the expiry job has marked it."""
        if self.status == RecognitionStatus.VALID and self.valid_until < today and not self.renewal_pending:
            return RecognitionStatus.EXPIRED
        return self.status

    @property
    def current_status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def current_status_label(self) -> str:
        return str(RecognitionStatus(self.current_status).label)

    @property
    def is_in_force(self) -> bool:
        return self.current_status == RecognitionStatus.VALID

    @property
    def validity_label(self) -> str:
        return f"{self.valid_from:%Y-%m-%d} 至 {self.valid_until:%Y-%m-%d}"


class RecognitionSequence(models.Model):
    """The last number of one sequence: the number pattern rendered without its ``{seq}``.

    Allocation locks the row (``select_for_update``) inside the recognition's transaction, so two
    recognitions at once wait for each other and a rolled-back one gives its number back."""

    key = models.CharField(_("序列"), max_length=100, unique=True)
    last_value = models.PositiveIntegerField(_("已用到"), default=0)

    class Meta:
        verbose_name = _("认定编号序列")
        verbose_name_plural = _("认定编号序列")

    def __str__(self) -> str:
        return f"{self.key}: {self.last_value}"


YEARS_VALIDATORS = [MinValueValidator(1), MaxValueValidator(10)]
DAYS_VALIDATORS = [MinValueValidator(1), MaxValueValidator(60)]


def _validate_pattern(value: str) -> None:
    from .numbers import NumberPatternError, check_pattern

    try:
        check_pattern(value)
    except NumberPatternError as exc:
        raise ValidationError(str(exc), code=exc.code) from exc


@register_setting(icon="tasks")
class RecognitionSettings(BaseGenericSetting):
    """One portal-wide set (numbers must be unique across the whole portal, whatever the site)."""

    query_enabled = models.BooleanField(
        _("开放企业认定查询"),
        default=True,
        help_text=_("关闭后 /query/ 页面和首页入口显示“稍后开放”。"),
    )
    query_note = models.CharField(
        _("查询结果说明"),
        max_length=255,
        blank=True,
        default=UNCONFIRMED_NUMBER_NOTE,
        help_text=_("显示在查询结果下方；正式编号规则确认后可清空。"),
    )
    publicity_days = models.PositiveSmallIntegerField(
        _("公示期（自然日）"),
        default=DEFAULT_PUBLICITY_DAYS,
        validators=DAYS_VALIDATORS,
        help_text=_(
            "全国默认，各省可在“各省认定设置”中另行设置。按自然日计算，自公示公告发布之日起算（含当日）；"
            "平台未内置节假日安排，不按工作日计算。"
        ),
    )
    number_pattern = models.CharField(
        _("认定编号格式"),
        max_length=100,
        default=DEFAULT_NUMBER_PATTERN,
        validators=[_validate_pattern],
        help_text=_(
            "占位符：{province_abbr} 省份简称（粤）、{province_code} 省份代码（44）、{level_code} 级别代码、"
            "{year} 认定年度、{seq} 序号（必填，可写作 {seq:05d} 补足 5 位）。同一格式下除序号外相同的编号共用一个"
            "连续序号。官方编号格式尚未确认，默认值仅为样式。"
        ),
    )
    innovative_code = models.CharField(_("创新型中小企业级别代码"), max_length=8, default="CX")
    specialized_code = models.CharField(_("专精特新中小企业级别代码"), max_length=8, default="ZJTX")
    little_giant_code = models.CharField(_("专精特新“小巨人”企业级别代码"), max_length=8, default="XJR")
    innovative_years = models.PositiveSmallIntegerField(
        _("创新型中小企业有效期（年）"), default=DEFAULT_VALIDITY_YEARS, validators=YEARS_VALIDATORS
    )
    specialized_years = models.PositiveSmallIntegerField(
        _("专精特新中小企业有效期（年）"), default=DEFAULT_VALIDITY_YEARS, validators=YEARS_VALIDATORS
    )
    little_giant_years = models.PositiveSmallIntegerField(
        _("专精特新“小巨人”企业有效期（年）"), default=DEFAULT_VALIDITY_YEARS, validators=YEARS_VALIDATORS
    )
    fraud_bar_years = models.PositiveSmallIntegerField(
        _("数据造假取消认定后不得申报（年）"),
        default=DEFAULT_FRAUD_BAR_YEARS,
        validators=[MaxValueValidator(10)],
        help_text=_(
            "依据工信厅企业函〔2026〕117号：数据造假的，取消认定，3年内不得再次申报（来源为转载，待核实）。"
        ),
    )
    ministry_authority = models.CharField(
        _("部级认定机关"), max_length=100, default="中华人民共和国工业和信息化部"
    )
    provincial_authority = models.CharField(
        _("省级认定机关（默认）"),
        max_length=100,
        default="{province}中小企业主管部门",
        help_text=_("{province} 为省份名称；各省可在“各省认定设置”中填写本省认定机关的正式名称。"),
    )
    certificate_note = models.CharField(
        _("证书样式说明"),
        max_length=200,
        blank=True,
        default=UNCONFIRMED_CERTIFICATE_NOTE,
        help_text=_("印在证书上并标注“样式”；正式证书式样确认后可清空。"),
    )

    panels = [
        MultiFieldPanel([FieldPanel("query_enabled"), FieldPanel("query_note")], heading=_("企业认定查询")),
        FieldPanel("publicity_days"),
        MultiFieldPanel(
            [
                FieldPanel("number_pattern"),
                FieldRowPanel(
                    [
                        FieldPanel("innovative_code"),
                        FieldPanel("specialized_code"),
                        FieldPanel("little_giant_code"),
                    ]
                ),
            ],
            heading=_("认定编号"),
        ),
        FieldRowPanel(
            [
                FieldPanel("innovative_years"),
                FieldPanel("specialized_years"),
                FieldPanel("little_giant_years"),
            ],
            heading=_("有效期"),
        ),
        FieldPanel("fraud_bar_years"),
        MultiFieldPanel(
            [
                FieldPanel("ministry_authority"),
                FieldPanel("provincial_authority"),
                FieldPanel("certificate_note"),
            ],
            heading=_("认定机关与证书"),
        ),
    ]

    class Meta:
        verbose_name = _("认定设置")
        verbose_name_plural = _("认定设置")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def level_code(self, level: str) -> str:
        return {
            Level.INNOVATIVE: self.innovative_code,
            Level.SPECIALIZED: self.specialized_code,
            Level.LITTLE_GIANT: self.little_giant_code,
        }[Level(level)]

    def validity_years(self, level: str) -> int:
        return {
            Level.INNOVATIVE: self.innovative_years,
            Level.SPECIALIZED: self.specialized_years,
            Level.LITTLE_GIANT: self.little_giant_years,
        }[Level(level)]


class ProvinceRecognitionSetting(models.Model):
    province = models.OneToOneField(
        "reference.Region",
        verbose_name=_("省份"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    publicity_days = models.PositiveSmallIntegerField(
        _("公示期（自然日）"),
        null=True,
        blank=True,
        validators=DAYS_VALIDATORS,
        help_text=_("留空使用全国默认。自公示公告发布之日起算（含当日）。"),
    )
    authority = models.CharField(
        _("认定机关"),
        max_length=100,
        blank=True,
        help_text=_("印在证书上的本省认定机关名称，如“广东省工业和信息化厅”；留空使用全国默认写法。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    panels = [FieldPanel("province"), FieldPanel("publicity_days"), FieldPanel("authority")]

    class Meta:
        verbose_name = _("各省认定设置")
        verbose_name_plural = _("各省认定设置")
        ordering = ["province__code"]

    def __str__(self) -> str:
        return self.province.name
