"""Site-wide editable values of the public site (Wagtail site settings)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    maker_contest_title = models.CharField(_("创客大赛标题"), max_length=100, default="创客中国大赛")
    maker_contest_text = models.CharField(
        _("创客大赛说明"), max_length=255, blank=True, default="中小企业创新创业大赛，点击进入创客大赛平台。"
    )
    maker_contest_url = models.URLField(_("创客大赛链接"), blank=True, default="https://www.cnmaker.org.cn/")
    maker_contest_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("创客大赛横幅图片"),
        help_text=_("建议宽高比 4:1；留空时显示文字横幅。"),
    )
    query_text = models.CharField(
        _("企业认定查询说明"),
        max_length=255,
        blank=True,
        default="输入企业名称、统一社会信用代码和验证码，查询企业认定结果。",
    )
    assessment_text = models.CharField(
        _("数字化水平评测说明"),
        max_length=255,
        blank=True,
        default="评测表分为制造业、生产性服务业、其他行业三个类别，系统根据企业基本信息自动匹配。",
    )
    filing_text = models.CharField(
        _("企业申报说明"), max_length=255, blank=True, default="申报期内，选择相应的申报级别进行申报。"
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("maker_contest_title"),
                FieldPanel("maker_contest_text"),
                FieldPanel("maker_contest_url"),
                FieldPanel("maker_contest_image"),
            ],
            heading=_("创客大赛"),
        ),
        MultiFieldPanel(
            [FieldPanel("query_text"), FieldPanel("assessment_text"), FieldPanel("filing_text")],
            heading=_("首页栏目说明"),
        ),
    ]

    class Meta:
        verbose_name = _("门户设置")
        verbose_name_plural = _("门户设置")
