"""Enterprise profile (企业信息, SPEC F-20–F-22), its dated versions and the update window.

- :class:`Enterprise` — one per legal-person account (F-17). Name, USCC and the legal
  representative come from 实名认证 and are written only by
  :func:`portal.enterprises.services.register_verified_enterprise`; the rest of the profile is
  edited through :func:`portal.enterprises.services.update_enterprise_profile`.
- :class:`EnterpriseProfileVersion` — a snapshot stored on every change (who, when, what).
- :class:`ProfileUpdateWindow` — the yearly 【信息更新】 window of recognised enterprises
  (default 1 January – 30 April), a Wagtail generic setting editable in the admin.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

# Mobile (11 digits) or landline with area code, optional extension: 0755-12345678-123.
CONTACT_PHONE_RE = r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$"
EMPLOYEES_MAX = 100_000


class Enterprise(models.Model):
    class SizeClass(models.TextChoices):
        """SME size classes per 工信部联企业〔2011〕300号《中小企业划型标准规定》. 大型 is not one:
        the portal serves small and medium enterprises only (migration 0002 cleared stored "large")."""

        MEDIUM = "medium", _("中型")
        SMALL = "small", _("小型")
        MICRO = "micro", _("微型")

    class RecognitionLevel(models.TextChoices):
        INNOVATIVE = "innovative", _("创新型中小企业")
        SPECIALIZED = "specialized", _("专精特新中小企业")
        LITTLE_GIANT = "little_giant", _("专精特新“小巨人”企业")

    # PROTECT: the profile, its versions and (later) filings and recognitions are records the
    # review chain and the public query rely on; deleting a login must never erase them
    # silently. Staff first transfer or retire the enterprise, then delete the account.
    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("法人账号"),
        on_delete=models.PROTECT,
        related_name="enterprise",
    )
    # Identity, from 实名认证 (not editable in the profile form)
    name = models.CharField(_("企业名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=64)
    legal_representative_id = models.CharField(_("法定代表人身份证号"), max_length=18)
    # Profile
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("注册地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        help_text=_("决定由哪一级、哪个地区的管理端审核该企业。"),
    )
    industry = models.ForeignKey(
        "reference.Industry",
        verbose_name=_("所属行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        help_text=_("决定企业填写哪一套数字化水平评测问卷。"),
    )
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    registered_capital = models.DecimalField(
        _("注册资本（万元）"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=_("注册资本（万元）不能为负数。"))],
    )
    size_class = models.CharField(_("企业规模"), max_length=16, choices=SizeClass.choices, blank=True)
    employees = models.PositiveIntegerField(
        _("从业人员数（人）"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, message=_("从业人员数（人）至少为 1。")),
            # A sanity bound far above any SME: where 300号 counts employees its ceilings end below
            # 2,000; sectors classed by revenue alone have none, so the bound is not a size rule.
            MaxValueValidator(EMPLOYEES_MAX, message=_("从业人员数（人）不能超过 %(limit_value)s。")),
        ],
    )
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(
        _("联系电话"),
        max_length=24,
        blank=True,
        validators=[
            RegexValidator(
                CONTACT_PHONE_RE,
                message=_("联系电话格式不正确：请填写11位手机号或带区号的固定电话（如 0755-12345678）。"),
                code="contact_phone_format",
            )
        ],
    )
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    address = models.CharField(_("通讯地址"), max_length=255, blank=True)
    main_products = models.CharField(_("主要产品（服务）"), max_length=500, blank=True)
    # Written only by portal.recognition.services.sync_enterprise_recognition, from the
    # enterprise's recognitions (tests/recognition/test_only_writer.py keeps it so).
    is_recognised = models.BooleanField(
        _("已认定"), default=False, help_text=_("已认定的企业只能在每年的信息更新开放期内修改基本信息。")
    )
    # The recognition in force (level, year, validity), derived with is_recognised by the same writer.
    recognition_level = models.CharField(
        _("认定级别"), max_length=16, choices=RecognitionLevel.choices, blank=True
    )
    recognition_year = models.PositiveSmallIntegerField(_("认定年度"), null=True, blank=True)
    recognition_valid_from = models.DateField(_("认定有效期起"), null=True, blank=True)
    recognition_valid_until = models.DateField(_("认定有效期至"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("企业信息")
        verbose_name_plural = _("企业信息")
        ordering = ["name"]
        permissions = [("view_legal_representative_id", _("可查看法定代表人完整身份证号"))]

    def __str__(self) -> str:
        return self.name


class EnterpriseProfileVersion(models.Model):
    class Kind(models.TextChoices):
        VERIFICATION = "verification", _("实名认证")
        EDIT = "edit", _("编辑")
        ANNUAL_UPDATE = "annual_update", _("信息更新")
        MAJOR_CHANGE = "major_change", _("重大变更")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    data = models.JSONField(_("企业信息快照"), default=dict)
    changed_fields = models.JSONField(_("变更字段"), default=list)
    # SET_NULL: a history entry outlives the account of the person who made it.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by_name = models.CharField(_("操作人登录名"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("企业信息版本")
        verbose_name_plural = _("企业信息版本")
        ordering = ["enterprise", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "number"], name="enterprises_version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} v{self.number}"


MONTH_VALIDATORS = [MinValueValidator(1), MaxValueValidator(12)]
DAY_VALIDATORS = [MinValueValidator(1), MaxValueValidator(31)]


@register_setting(icon="date")
class ProfileUpdateWindow(BaseGenericSetting):
    """The yearly window in which recognised enterprises may 【信息更新】 their profile.

    Inclusive at both ends. A window may wrap the new year (e.g. 12-01 → 02-28). 2-29 stands for
    the last day of February in common years.
    """

    start_month = models.PositiveSmallIntegerField(_("开放开始月份"), default=1, validators=MONTH_VALIDATORS)
    start_day = models.PositiveSmallIntegerField(_("开放开始日"), default=1, validators=DAY_VALIDATORS)
    end_month = models.PositiveSmallIntegerField(_("开放结束月份"), default=4, validators=MONTH_VALIDATORS)
    end_day = models.PositiveSmallIntegerField(_("开放结束日"), default=30, validators=DAY_VALIDATORS)

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_month"), FieldPanel("start_day")]),
                FieldRowPanel([FieldPanel("end_month"), FieldPanel("end_day")]),
            ],
            heading=_("已认定企业信息更新开放期（每年，含首尾两日）"),
        )
    ]

    class Meta:
        verbose_name = _("信息更新开放期")
        verbose_name_plural = _("信息更新开放期")

    def clean(self) -> None:
        errors = {}
        for month_name, day_name in (("start_month", "start_day"), ("end_month", "end_day")):
            month, day = getattr(self, month_name), getattr(self, day_name)
            try:
                dt.date(2000, month, day)  # a leap year, so 2-29 is accepted
            except (TypeError, ValueError):
                errors[day_name] = ValidationError(
                    _("%(month)s月没有%(day)s日。"), code="invalid_day", params={"month": month, "day": day}
                )
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        return f"{self.start_month}-{self.start_day} – {self.end_month}-{self.end_day}"
