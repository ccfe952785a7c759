"""Home page, notice index and notice pages."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.cache import PublicPageCacheMixin
from cms.regions import PROVINCE_NAMES, PROVINCES
from cms.search import index_text

NOTICES_SLUG = "notices"


class HomePage(PublicPageCacheMixin, Page):
    """The site root: latest notices, the entry blocks of the manual and the maker-contest banner."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.NoticeIndexPage", "cms.FAQPage", "cms.HelpPage"]
    max_count = 1

    class Meta:
        verbose_name = _("首页")
        verbose_name_plural = _("首页")

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import home_notices

        context = super().get_context(request, *args, **kwargs)
        context.update(home_notices(request=request))
        return context


class NoticeIndexPage(PublicPageCacheMixin, Page):
    """The notice listing at /notices/ with filters, keyword search and pagination."""

    intro = models.CharField(_("简介"), max_length=255, blank=True)

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NoticePage"]
    max_count = 1

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("公告栏目")
        verbose_name_plural = _("公告栏目")

    def clean(self):
        super().clean()
        # /notices/ is a stable URL (SPEC F-64): bookmarks and the home page rely on it.
        if self.slug != NOTICES_SLUG:
            raise ValidationError(
                {
                    "slug": ValidationError(
                        _("公告栏目的地址必须为“%(slug)s”。"),
                        code="notices_slug",
                        params={"slug": NOTICES_SLUG},
                    )
                }
            )

    def get_context(self, request, *args, **kwargs):
        from cms.forms import NoticeFilterForm
        from cms.selectors import list_notices

        context = super().get_context(request, *args, **kwargs)
        form = NoticeFilterForm(request.GET or None)
        filters = form.filters()
        context["filter_form"] = form
        context["filters_active"] = filters.is_active
        context["filter_errors"] = (
            [str(form.fields[name].label) for name in form.errors] if form.is_bound else []
        )
        context["notices"] = list_notices(filters, page_number=request.GET.get("page"), request=request)
        # the rendered filter form depends only on the submitted filter values (not on notices)
        context["filter_form_key"] = form.data.urlencode() if form.is_bound else ""
        return context


class NoticeLevel(models.TextChoices):
    MINISTRY = "ministry", _("部级公告")
    PROVINCIAL = "provincial", _("省级公告")


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


class NoticePage(PublicPageCacheMixin, Page):
    """One notice (公告) of the ministry or of a province, with attached documents."""

    level = models.CharField(
        _("级别"), max_length=16, choices=NoticeLevel.choices, default=NoticeLevel.MINISTRY
    )
    province = models.CharField(
        _("省份"), max_length=6, choices=PROVINCES, blank=True, help_text=_("省级公告必填；部级公告留空。")
    )
    publish_date = models.DateField(_("发布日期"), default=_today, db_index=True)
    summary = models.TextField(_("摘要"), blank=True, max_length=500)
    body = RichTextField(_("正文"))
    issuer = models.CharField(
        _("发文单位"),
        max_length=100,
        blank=True,
        help_text=_("落款单位，与发布日期一起显示在正文末尾右侧；留空则不显示落款。"),
    )

    parent_page_types = ["cms.NoticeIndexPage"]
    subpage_types: list[str] = []

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("level"), FieldPanel("province"), FieldPanel("publish_date")], heading=_("发布信息")
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("issuer"),
        InlinePanel("attachments", label=_("附件")),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("search_text"),
        index.FilterField("level"),
        index.FilterField("province"),
        index.FilterField("publish_date"),
    ]

    class Meta:
        verbose_name = _("公告")
        verbose_name_plural = _("公告")
        indexes = [models.Index(fields=["level", "province", "publish_date"], name="cms_notice_filter_idx")]

    def clean(self):
        super().clean()
        if self.level == NoticeLevel.PROVINCIAL and not self.province:
            raise ValidationError(
                {"province": ValidationError(_("省级公告必须选择省份。"), code="province_required")}
            )
        if self.level == NoticeLevel.MINISTRY and self.province:
            raise ValidationError(
                {"province": ValidationError(_("部级公告不能选择省份。"), code="province_forbidden")}
            )

    @property
    def province_name(self) -> str:
        return PROVINCE_NAMES.get(self.province, "")

    def search_text(self) -> str:
        """Title, summary and body expanded with Han bigrams (see cms.search)."""
        return index_text(self.title, self.summary, strip_tags(str(self.body or "")))


class NoticeAttachment(Orderable):
    page = ParentalKey(NoticePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("文档")
    )
    title = models.CharField(_("显示名称"), max_length=255, blank=True, help_text=_("留空则使用文档标题"))

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.document.title
