"""FAQ and generic help pages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import HelpBodyBlock, QuestionAnswerBlock
from cms.cache import PublicPageCacheMixin

FAQ_SLUG = "faq"


class FAQPage(PublicPageCacheMixin, Page):
    """常见问题解答 at /faq/: an editable list of questions and answers."""

    questions = StreamField([("question_answer", QuestionAnswerBlock())], verbose_name=_("问答"), blank=True)

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    content_panels = Page.content_panels + [FieldPanel("questions")]
    search_fields = Page.search_fields + [index.SearchField("questions")]

    class Meta:
        verbose_name = _("常见问题页")
        verbose_name_plural = _("常见问题页")

    def clean(self):
        super().clean()
        if self.slug != FAQ_SLUG:
            raise ValidationError(
                {
                    "slug": ValidationError(
                        _("常见问题页的地址必须为“%(slug)s”。"), code="faq_slug", params={"slug": FAQ_SLUG}
                    )
                }
            )


class HelpPage(PublicPageCacheMixin, Page):
    """A generic help or guide page (平台使用指南, 申报指南 …)."""

    body = StreamField(HelpBodyBlock(), verbose_name=_("正文"), blank=True)

    parent_page_types = ["cms.HomePage", "cms.HelpPage"]
    subpage_types = ["cms.HelpPage"]

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    class Meta:
        verbose_name = _("帮助页")
        verbose_name_plural = _("帮助页")
