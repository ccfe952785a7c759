"""Reference data: administrative divisions (GB/T 2260) and industries (GB/T 4754-2017).

Rows come from ``fixtures/reference/*.json`` through ``manage.py load_reference_data``; codes are
stored keys that other apps keep in their own rows, so they are never renumbered.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        PREFECTURE = "prefecture", _("地级")
        COUNTY = "county", _("县级")

    code = models.CharField(_("区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent"], name="reference_region_parent_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Industry(models.Model):
    class Level(models.TextChoices):
        SECTION = "section", _("门类")
        DIVISION = "division", _("大类")
        GROUP = "group", _("中类")

    class QuestionnaireCategory(models.TextChoices):
        MANUFACTURING = "manufacturing", _("制造业")
        PRODUCER_SERVICES = "producer_services", _("生产性服务业")
        OTHER = "other", _("其他行业")

    code = models.CharField(_("行业代码"), max_length=4, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    questionnaire_category = models.CharField(
        _("数字化水平评测问卷类别"),
        max_length=32,
        choices=QuestionnaireCategory.choices,
        default=QuestionnaireCategory.OTHER,
        help_text=_("决定该行业企业填写哪一套数字化水平评测问卷。"),
    )
    category_set_by_staff = models.BooleanField(
        _("问卷类别由工作人员设定"),
        default=False,
        help_text=_("为真时，重新加载参考数据不会覆盖问卷类别（除非使用 --reset-categories）。"),
    )

    class Meta:
        verbose_name = _("国民经济行业")
        verbose_name_plural = _("国民经济行业")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent"], name="reference_industry_parent_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
