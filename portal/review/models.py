"""Who reviews what (SPEC F-40): a reviewer's scope is a region and a review level.

:class:`ReviewerScope` — one per staff member who reviews: the level (县/区, 市, 省, 部) and the
region (a county, a prefecture, a province; none for the ministry: the whole country). A reviewer
sees the filings of enterprises registered inside the region that reached the level, and acts on
those waiting at it (:mod:`portal.review.selectors`). Superusers keep every scope; a 省级管理员
manages the scopes inside their province.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from portal.core.scopes import region_prefix
from portal.filings.states import ReviewLevel

# the GB/T 2260 level a review level's region must have
REGION_LEVEL_OF = {
    ReviewLevel.COUNTY: "county",
    ReviewLevel.CITY: "prefecture",
    ReviewLevel.PROVINCE: "province",
}


class ReviewerScope(models.Model):
    panels = [FieldPanel("user"), FieldPanel("level"), FieldPanel("region")]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员"),
        on_delete=models.CASCADE,
        related_name="reviewer_scope",
    )
    level = models.CharField(_("审核层级"), max_length=16, choices=ReviewLevel.choices)
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("管辖区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("县/区级选区县，市级选地市，省级选省份；部级留空（全国）。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("审核人员范围")
        verbose_name_plural = _("审核人员范围")
        ordering = ["level", "region__code"]

    def __str__(self) -> str:
        return f"{self.user.get_username()}：{self.label}"

    @property
    def region_code(self) -> str:
        return self.region.code if self.region_id else ""

    @property
    def prefix(self) -> str:
        """The 注册地 code prefix the scope covers ("" = the whole country)."""
        return region_prefix(self.region_code) if self.region_id else ""

    @property
    def label(self) -> str:
        where = self.region.name if self.region_id else _("全国")
        return f"{where}·{ReviewLevel(self.level).label}级"

    def clean(self) -> None:
        if not self.level:
            return
        if self.level == ReviewLevel.MINISTRY:
            if self.region_id:
                raise ValidationError(
                    {
                        "region": ValidationError(
                            _("部级审核人员的范围为全国，请将管辖区域留空。"), code="ministry_region"
                        )
                    }
                )
            return
        if not self.region_id:
            raise ValidationError({"region": ValidationError(_("请选择管辖区域。"), code="region_required")})
        wanted = REGION_LEVEL_OF[ReviewLevel(self.level)]
        if self.region.level != wanted:
            raise ValidationError(
                {
                    "region": ValidationError(
                        _("%(level)s级审核人员的管辖区域应为%(kind)s。"),
                        code="region_level",
                        params={
                            "level": ReviewLevel(self.level).label,
                            "kind": {"county": _("区县"), "prefecture": _("地市"), "province": _("省份")}[
                                wanted
                            ],
                        },
                    )
                }
            )
