"""After recognition (SPEC F-22, F-26, F-43, F-45): the settings of 复核 and of the yearly 信息更新
cycle, and the record of each enterprise's 信息更新 per year.

- :class:`LifecycleSettings` — reminders (认定到期 at 90/30/7 days, 信息更新 before the end of the
  window), the nationwide renewal window, whether missing the 信息更新 costs 复核 eligibility.
- :class:`RenewalRule` — a level's renewal window and 复核 form, nationwide or for one province.
- :class:`AnnualUpdate` — one recognised enterprise in one year's 信息更新 cycle: updated by the
  window's end or not, and the staff's review of the update.

The 复核 itself is a :class:`portal.filings.models.Filing` of kind ``renewal`` linked to the
recognition it renews (``renewal_of``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from portal.enterprises.models import Enterprise
from portal.filings.forms import FilingRequirementAdminForm

Level = Enterprise.RecognitionLevel

# Not found in any source (policy/standards.md §4 says only "reviewed before expiry"): a setting.
DEFAULT_RENEWAL_OPENS_DAYS = 180
DEFAULT_EXPIRY_REMINDER_DAYS = "90,30,7"
DEFAULT_INFO_UPDATE_REMINDER_DAYS = "30,7"
# The 复核 form of each level when no rule names one. 小巨人: the 2026 复核 applies the 2022 (63号)
# standard (工信厅企业函〔2026〕117号 via G2, standards.md §4) — fixtures/forms/little_giant_review_2022.json.
DEFAULT_RENEWAL_FORMS = {
    Level.INNOVATIVE: "innovation_self_test",
    Level.SPECIALIZED: "specialized_filing",
    Level.LITTLE_GIANT: "little_giant_review_2022",
}


def parse_days(value: str) -> list[int]:
    """ "90,30,7" → [90, 30, 7] (descending, unique). Raises ValueError."""
    days = sorted(
        {int(part) for part in (value or "").replace("，", ",").split(",") if part.strip()}, reverse=True
    )
    if any(day < 0 or day > 730 for day in days):
        raise ValueError(value)
    return days


def validate_days(value: str) -> None:
    try:
        parse_days(value)
    except ValueError as exc:
        raise ValidationError(
            _("请填写以逗号分隔的天数（0–730），如 90,30,7。"), code="invalid_days"
        ) from exc


@register_setting(icon="time")
class LifecycleSettings(BaseGenericSetting):
    expiry_reminder_days = models.CharField(
        _("认定到期提醒（到期前天数）"),
        max_length=50,
        default=DEFAULT_EXPIRY_REMINDER_DAYS,
        validators=[validate_days],
        help_text=_("以逗号分隔，如 90,30,7：到期前 90、30、7 天各发一条“认定到期”消息。"),
    )
    renewal_opens_days = models.PositiveSmallIntegerField(
        _("复核开放（到期前天数，全国默认）"),
        default=DEFAULT_RENEWAL_OPENS_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_(
            "认定有效期最后一天前多少天起可申请复核，复核须在有效期届满前提交。政策未规定具体期限（待确认），"
            "各级别、各省可在“复核设置”中另行设置。"
        ),
    )
    info_update_reminder_days = models.CharField(
        _("信息更新提醒（截止前天数）"),
        max_length=50,
        default=DEFAULT_INFO_UPDATE_REMINDER_DAYS,
        validators=[validate_days],
        help_text=_("信息更新开放期截止前多少天提醒尚未更新的已认定企业，以逗号分隔。"),
    )
    missed_update_blocks_renewal = models.BooleanField(
        _("未按期信息更新的企业不具备复核资格"),
        default=True,
        help_text=_(
            "依据粤工信规字〔2024〕5号第十四条（来源为转载）：已认定企业每年4月30日前更新信息，未更新的不具备复核资格。"
        ),
    )
    window_open_reminders = models.BooleanField(
        _("申报开放时提醒符合条件的企业"),
        default=True,
        help_text=_("申报时间开放时，向本省符合申报条件的企业发送“申报提醒”。"),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("expiry_reminder_days"), FieldPanel("renewal_opens_days")],
            heading=_("认定到期与复核"),
        ),
        MultiFieldPanel(
            [FieldPanel("info_update_reminder_days"), FieldPanel("missed_update_blocks_renewal")],
            heading=_("信息更新"),
        ),
        FieldPanel("window_open_reminders"),
    ]

    class Meta:
        verbose_name = _("认定后管理设置")
        verbose_name_plural = _("认定后管理设置")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @property
    def expiry_days(self) -> list[int]:
        return parse_days(self.expiry_reminder_days)

    @property
    def info_update_days(self) -> list[int]:
        return parse_days(self.info_update_reminder_days)


class RenewalRule(models.Model):
    """复核设置: when a level's 复核 opens before expiry and which form it uses — nationwide (no
    province) or one province's own (which wins)."""

    base_form_class = FilingRequirementAdminForm  # the province field offers the member's own only

    level = models.CharField(_("认定级别"), max_length=16, choices=Level.choices)
    province = models.ForeignKey(
        "reference.Region",
        verbose_name=_("省份"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
        help_text=_("留空：全国默认。"),
    )
    opens_days = models.PositiveSmallIntegerField(
        _("复核开放（到期前天数）"),
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("认定有效期最后一天前多少天起可申请复核（政策未规定具体期限，待确认）。"),
    )
    definition_key = models.CharField(
        _("复核表单"),
        max_length=100,
        blank=True,
        help_text=_(
            "表单设计中的表单标识；留空使用默认：创新型 innovation_self_test、专精特新 specialized_filing、"
            "小巨人 little_giant_review_2022（2026年复核沿用2022年标准，工信厅企业函〔2026〕117号）。"
        ),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    panels = [
        FieldPanel("level"),
        FieldPanel("province"),
        FieldPanel("opens_days"),
        FieldPanel("definition_key"),
    ]

    class Meta:
        verbose_name = _("复核设置")
        verbose_name_plural = _("复核设置")
        ordering = ["level", "province__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "province"], name="lifecycle_one_rule_per_level_province"
            ),
            models.UniqueConstraint(
                fields=["level"],
                condition=models.Q(province__isnull=True),
                name="lifecycle_one_nationwide_rule_per_level",
            ),
        ]

    def __str__(self) -> str:
        where = self.province.name if self.province_id else _("全国")
        return f"{where} · {self.get_level_display()}"


class AnnualUpdate(models.Model):
    """One recognised enterprise's 信息更新 of one year (F-22, F-45)."""

    class State(models.TextChoices):
        PENDING = "pending", _("待更新")
        UPDATED = "updated", _("已更新")
        MISSED = "missed", _("逾期未更新")

    class Review(models.TextChoices):
        NONE = "", _("待审阅")
        CONFIRMED = "confirmed", _("已审阅")
        RETURNED = "returned", _("已退回")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="annual_updates",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    deadline = models.DateField(_("截止日期"))
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.PENDING)
    version = models.ForeignKey(
        "enterprises.EnterpriseProfileVersion",
        verbose_name=_("更新的版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"), null=True, blank=True)
    region_code = models.CharField(_("注册地代码"), max_length=6, blank=True, db_index=True)
    review = models.CharField(_("审阅"), max_length=16, choices=Review.choices, default="", blank=True)
    review_note = models.TextField(_("审阅意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审阅人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审阅时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("信息更新")
        verbose_name_plural = _("信息更新")
        ordering = ["-year", "state", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="lifecycle_one_update_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.year} · {self.get_state_display()}"

    def region_name(self) -> str:
        """注册地 by name (lists and exports read names, not codes)."""
        from portal.enterprises.selectors import region_label

        return region_label(self.region_code)
